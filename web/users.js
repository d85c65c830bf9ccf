// For the beheerder: the organisation's users, a new user with a role, a first password and
// an e-mail address (optional), a user's e-mail address changed or removed, a new password for
// a user (which ends that user's sessions), and deactivating a user (after a confirmation) or
// activating them again.
import { getJson, sendJson } from "./api.js";
import {
  h,
  heading,
  paragraph,
  link,
  button,
  alert,
  formField,
  textbox,
  select,
  formatTime,
  dataTable,
} from "./dom.js";

const enc = encodeURIComponent;

export async function usersView(show) {
  // The roles a user can have come with the list (engine/role.h), so none is written here.
  const { items: users, roles } = await getJson("/api/v1/users");
  const messages = h("div", { "aria-live": "polite" });
  const done = (text) =>
    usersView(show).then(() =>
      document.querySelector("main [aria-live]")?.replaceChildren(alert("ok", text)),
    );
  const failed = (error) => messages.replaceChildren(alert("error", error.message));

  // Deactivating takes access away at once; it asks first. Activating asks nothing.
  const toggle = (user) =>
    user.active
      ? button(`${user.name} deactiveren`, async () => {
          const sure = window.confirm(
            `${user.name} deactiveren? Aanmelden, sessies en tokens worden meteen geweigerd; ` +
              "de naam blijft in de logboeken staan.",
          );
          if (!sure) return;
          try {
            await sendJson("POST", `/api/v1/users/${enc(user.id)}/deactivate`);
            await done(`${user.name} is gedeactiveerd.`);
          } catch (error) {
            failed(error);
          }
        })
      : button(`${user.name} activeren`, async () => {
          try {
            await sendJson("POST", `/api/v1/users/${enc(user.id)}/activate`);
            await done(
              `${user.name} is weer actief en kan met het wachtwoord aanmelden; ` +
                "geef zo nodig een nieuw token uit.",
            );
          } catch (error) {
            failed(error);
          }
        });

  // The address in a box of its own row: saving it empty removes it.
  const emailForm = (user) => {
    const email = textbox({ type: "email", autocomplete: "off", value: user.email ?? "" });
    return h(
      "form",
      {
        class: "inline-formulier",
        novalidate: true,
        onsubmit: async (event) => {
          event.preventDefault();
          try {
            const saved = await sendJson("PUT", `/api/v1/users/${enc(user.id)}/email`, {
              email: email.value,
            });
            await done(
              saved.email
                ? `Het e-mailadres van ${user.name} is nu ${saved.email}.`
                : `${user.name} heeft geen e-mailadres meer.`,
            );
          } catch (error) {
            failed(error);
          }
        },
      },
      formField(`email-${user.id}`, `E-mailadres van ${user.name}`, email),
      button("E-mailadres opslaan", undefined, { type: "submit" }),
    );
  };

  const rows = users.map((user) => {
    const password = textbox({ type: "password", autocomplete: "new-password", minlength: 12 });
    return h(
      "tr",
      { class: user.active ? "utrecht-table__row" : "utrecht-table__row inactief" },
      h("td", { class: "utrecht-table__cell" }, user.name),
      h("td", { class: "utrecht-table__cell" }, user.role),
      h("td", { class: "utrecht-table__cell" }, emailForm(user)),
      h(
        "td",
        { class: "utrecht-table__cell" },
        user.active ? "actief" : `gedeactiveerd sinds ${formatTime(user.deactivated_at)}`,
      ),
      h("td", { class: "utrecht-table__cell" }, user.has_password ? "ja" : "nee"),
      h("td", { class: "utrecht-table__cell" }, String(user.active_sessions)),
      h("td", { class: "utrecht-table__cell" }, toggle(user)),
      h(
        "td",
        { class: "utrecht-table__cell" },
        h(
          "form",
          {
            class: "inline-formulier",
            novalidate: true,
            onsubmit: async (event) => {
              event.preventDefault();
              try {
                await sendJson("PUT", `/api/v1/users/${enc(user.id)}/password`, {
                  password: password.value,
                });
                await done(
                  `Het wachtwoord van ${user.name} is gewijzigd; zijn of haar sessies zijn beëindigd.`,
                );
              } catch (error) {
                failed(error);
              }
            },
          },
          formField(`wachtwoord-${user.id}`, `Nieuw wachtwoord voor ${user.name}`, password),
          button("Wachtwoord instellen", undefined, { type: "submit" }),
        ),
      ),
    );
  });

  const name = textbox({ required: true, maxlength: 200, autocomplete: "off" });
  const role = select(roles);
  const password = textbox({ type: "password", autocomplete: "new-password", minlength: 12 });
  const email = textbox({ type: "email", autocomplete: "off" });
  const create = h(
    "form",
    {
      class: "formulier",
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          const body = {
            name: name.value.trim(),
            role: role.value,
            ...(password.value ? { password: password.value } : {}),
            ...(email.value.trim() ? { email: email.value } : {}),
          };
          const created = await sendJson("POST", "/api/v1/users", body);
          await done(`${created.name} (${created.role}) is aangemaakt.`);
        } catch (error) {
          failed(error);
        }
      },
    },
    formField("nieuwe-naam", "Naam", name),
    formField("nieuwe-rol", "Rol", role),
    formField(
      "nieuw-wachtwoord",
      "Eerste wachtwoord",
      password,
      "Minstens 12 tekens. Geef het de gebruiker persoonlijk.",
    ),
    formField(
      "nieuw-email",
      "E-mailadres (niet verplicht)",
      email,
      "Bijvoorbeeld naam@organisatie.nl. Voor herinneringen per e-mail.",
    ),
    button("Gebruiker aanmaken", undefined, { primary: true, type: "submit" }),
  );

  show(
    "Gebruikers",
    heading(1, "Gebruikers"),
    messages,
    dataTable(
      { class: "utrecht-table" },
      h("caption", { class: "utrecht-table__caption" }, "Gebruikers van uw organisatie"),
      h(
        "thead",
        { class: "utrecht-table__header" },
        h(
          "tr",
          { class: "utrecht-table__row" },
          [
            "Naam",
            "Rol",
            "E-mailadres",
            "Status",
            "Wachtwoord",
            "Sessies",
            "Toegang",
            "Nieuw wachtwoord",
          ].map((t) =>
            h("th", { class: "utrecht-table__header-cell", scope: "col" }, t),
          ),
        ),
      ),
      h("tbody", { class: "utrecht-table__body" }, rows),
    ),
    heading(2, "Nieuwe gebruiker"),
    create,
    paragraph(
      "Een token voor een koppeling met een ander systeem geeft u uit via de ",
      link("/api/v1/openapi.json", "API-beschrijving"),
      " of met navolg user add op de server.",
    ),
  );
}
