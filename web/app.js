// navolg in the browser: one page, views chosen by the address after '#'. Every datum comes
// from the HTTP API of api/http/openapi.json, the same API every other client uses. Forms are
// `novalidate`: navolg checks every value and says what is wrong in Dutch, where the
// browser's own messages would be in the browser's language.
import { ApiError, getJson, sendJson } from "./api.js";
import {
  h, heading, paragraph, link, button, alert, formField, textbox, select, dataTable, formatDate,
} from "./dom.js";
import { processView } from "./process.js";
import { deadlinesView, borgingshuisView } from "./overview.js";
import { usersView } from "./users.js";
import { securityLogView } from "./security_log.js";

const main = () => document.getElementById("inhoud");
let me = null;

function show(title, ...children) {
  document.title = `${title} - navolg`;
  main().replaceChildren(...children.filter((child) => child !== null && child !== undefined));
  main().focus();
}

// What the signed-in user may do is the server's policy table (me.actions); the menu offers
// the pages of those actions and nothing here knows which role may what.
const may = (action) => me?.actions?.includes(action) ?? false;

const PAGES = [
  ["read_processes", "#/processen", "Processen"],
  ["read_deadline_overview", "#/termijnen", "Termijnen"],
  ["read_borgingshuis", "#/borgingshuis", "Borgingshuis"],
  ["manage_users", "#/gebruikers", "Gebruikers"],
  ["read_security_log", "#/beveiligingslog", "Beveiligingslog"],
];

function menuItems() {
  return PAGES.filter(([action]) => may(action)).map(([, href, text]) => [href, text]);
}

function renderMenu() {
  const menu = document.getElementById("menu");
  if (!me) {
    menu.replaceChildren();
    return;
  }
  const items = menuItems();
  menu.replaceChildren(
    h(
      "ul",
      { class: "menu" },
      items.map(([href, text]) =>
        h(
          "li",
          {},
          link(href, text, location.hash.startsWith(href) ? { "aria-current": "page" } : {}),
        ),
      ),
      h("li", {}, h("span", { class: "wie" }, `${me.name} (${me.role}, ${me.organisation})`)),
      h("li", {}, button("Afmelden", signOut)),
    ),
  );
}

async function signOut() {
  try {
    await sendJson("DELETE", "/api/v1/session");
  } catch {
    /* already ended */
  }
  me = null;
  location.hash = "#/aanmelden";
}

function signInView() {
  const organisation = textbox({ autocomplete: "organization", required: true });
  const name = textbox({ autocomplete: "username", required: true });
  const password = textbox({ type: "password", autocomplete: "current-password", required: true });
  const message = h("div", {});
  const form = h(
    "form",
    {
      class: "formulier",
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        message.replaceChildren();
        try {
          me = await sendJson("POST", "/api/v1/session", {
            organisation: organisation.value.trim(),
            name: name.value.trim(),
            password: password.value,
          });
          location.hash = menuItems()[0]?.[0] ?? "#/processen";
        } catch (error) {
          message.replaceChildren(
            alert(
              "error",
              error.status === 401
                ? "Aanmelden is niet gelukt: de organisatie, naam of het wachtwoord klopt niet."
                : error.message,
            ),
          );
          password.value = "";
          password.focus();
        }
      },
    },
    formField("organisatie", "Organisatie", organisation),
    formField("naam", "Naam", name),
    formField("wachtwoord", "Wachtwoord", password),
    button("Aanmelden", undefined, { primary: true, type: "submit" }),
  );
  show("Aanmelden", heading(1, "Aanmelden"), message, form);
}

async function processesView() {
  const [page, workflows] = await Promise.all([allProcesses(), getJson("/api/v1/workflows")]);
  const list = workflows.items ?? workflows;
  const definitions = Object.fromEntries(
    await Promise.all(
      list.map(async (w) => [
        w.key,
        await getJson(`/api/v1/workflows/${encodeURIComponent(w.key)}`),
      ]),
    ),
  );
  const stateTitle = (p) =>
    definitions[p.workflow.key]?.states.find((s) => s.key === p.state)?.title ?? p.state;
  const nextDue = await nextDeadlines();
  const waiting = await awaitingAdoption(page.items, definitions);
  const table =
    page.items.length === 0
      ? paragraph("Er zijn nog geen processen.")
      : dataTable(
          { class: "utrecht-table" },
          h("caption", { class: "utrecht-table__caption" }, "Processen van uw organisatie"),
          h(
            "thead",
            { class: "utrecht-table__header" },
            h(
              "tr",
              { class: "utrecht-table__row" },
              ["Titel", "Fase", "Eerstvolgende termijn", "Procesdefinitie", "Laatst gewijzigd"].map(
                (t) => h("th", { class: "utrecht-table__header-cell", scope: "col" }, t),
              ),
            ),
          ),
          h(
            "tbody",
            { class: "utrecht-table__body" },
            page.items.map((p) =>
              h(
                "tr",
                { class: "utrecht-table__row" },
                h(
                  "td",
                  { class: "utrecht-table__cell" },
                  link(`#/processen/${encodeURIComponent(p.id)}`, p.title),
                ),
                h("td", { class: "utrecht-table__cell" }, stateTitle(p)),
                h("td", { class: "utrecht-table__cell" }, nextDue.get(p.id) ?? "-"),
                h(
                  "td",
                  { class: "utrecht-table__cell" },
                  definitions[p.workflow.key]?.title ?? p.workflow.key,
                ),
                h(
                  "td",
                  { class: "utrecht-table__cell" },
                  new Date(p.updated_at ?? p.created_at).toLocaleDateString("nl-NL"),
                ),
              ),
            ),
          ),
        );
  const parts = [heading(1, "Processen")];
  if (waiting.length) {
    parts.push(
      heading(2, "Wacht op uw vaststelling"),
      h(
        "ul",
        { class: "utrecht-unordered-list" },
        waiting.map((w) =>
          h(
            "li",
            { class: "utrecht-unordered-list__item" },
            link(
              `#/processen/${encodeURIComponent(w.process.id)}`,
              `${w.product} van ${w.process.title}`,
            ),
          ),
        ),
      ),
    );
  }
  parts.push(table);
  if (may("create_process")) {
    const title = textbox({ required: true, maxlength: 200 });
    // With more than one definition nothing is preselected: the choice is the user's.
    const workflow = select(
      list.map((w) => w.key),
      list.length === 1 ? list[0].key : "",
    );
    workflow.querySelectorAll("option").forEach((o) => {
      if (definitions[o.value]) o.textContent = definitions[o.value].title;
    });
    const message = h("div", {});
    parts.push(
      heading(2, "Nieuw proces"),
      message,
      h(
        "form",
        {
          class: "formulier",
          novalidate: true,
          onsubmit: async (event) => {
            event.preventDefault();
            if (!workflow.value) {
              message.replaceChildren(alert("error", "Kies een procesdefinitie."));
              workflow.focus();
              return;
            }
            try {
              const created = await sendJson("POST", "/api/v1/processes", {
                workflow: workflow.value,
                title: title.value.trim(),
              });
              location.hash = `#/processen/${encodeURIComponent(created.id)}`;
            } catch (error) {
              message.replaceChildren(alert("error", error.message));
            }
          },
        },
        formField("nieuw-titel", "Titel", title),
        formField("nieuw-definitie", "Procesdefinitie", workflow),
        button("Proces aanmaken", undefined, { primary: true, type: "submit" }),
      ),
    );
  }
  show("Processen", ...parts);
}

// Every page of GET /api/v1/processes, following `next`.
async function allProcesses() {
  const items = [];
  let after = null;
  do {
    const page = await getJson(
      `/api/v1/processes?limit=200${after ? `&after=${encodeURIComponent(after)}` : ""}`,
    );
    items.push(...page.items);
    after = page.next;
  } while (after);
  return { items };
}

// Process id -> "due date (deadline)" of its earliest open deadline.
async function nextDeadlines() {
  const due = new Map();
  try {
    const overview = await getJson("/api/v1/deadlines?status=open&limit=500");
    for (const item of overview.items) {
      if (!due.has(item.process.id)) {
        due.set(
          item.process.id,
          `${formatDate(item.deadline.due)} (${item.deadline.title}${item.overdue ? ", verlopen" : ""})`,
        );
      }
    }
  } catch {
    /* the overview is extra; the list stands without it */
  }
  return due;
}

// The products the signed-in user's role adopts whose current version is not adopted yet.
async function awaitingAdoption(processes, definitions) {
  const adopts = (key) =>
    definitions[key]?.products.filter((p) => p.adoption?.role === me.role) ?? [];
  const candidates = processes.filter((p) => !p.closed_at && adopts(p.workflow.key).length);
  const views = await Promise.all(
    candidates.map((p) => getJson(`/api/v1/processes/${encodeURIComponent(p.id)}`)),
  );
  return views.flatMap((view) =>
    adopts(view.workflow.key).flatMap((product) => {
      const entries = [view.products[product.key]].flat();
      return entries
        .filter((e) => e && e.version > 0 && !e.adopted)
        .map(() => ({ process: view, product: product.title }));
    }),
  );
}

async function route() {
  const hash = location.hash || "#/processen";
  try {
    if (!me && hash !== "#/aanmelden") {
      try {
        me = await getJson("/api/v1/me");
      } catch (error) {
        if (error.status === 401) {
          location.hash = "#/aanmelden";
          return;
        }
        throw error;
      }
    }
    renderMenu();
    if (hash === "#/aanmelden") return signInView();
    const processMatch = hash.match(/^#\/processen\/([^/]+)$/);
    if (processMatch) return await processView(decodeURIComponent(processMatch[1]), me, show);
    if (hash.startsWith("#/termijnen")) return await deadlinesView(show, me);
    if (hash === "#/borgingshuis") return await borgingshuisView(show);
    if (hash === "#/beveiligingslog") return await securityLogView(show);
    if (hash === "#/gebruikers" || !may("read_processes")) return await usersView(show);
    return await processesView();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      me = null;
      location.hash = "#/aanmelden";
      return;
    }
    show("Fout", heading(1, "Er ging iets mis"), alert("error", error.message));
  }
}

window.addEventListener("hashchange", route);
route();
