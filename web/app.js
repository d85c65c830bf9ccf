// navolg in the browser: one page, views chosen by the address after '#'. Every datum comes
// from the HTTP API of api/http/openapi.json, the same API every other client uses. Forms are
// `novalidate`: navolg checks every value and says what is wrong in Dutch, where the
// browser's own messages would be in the browser's language.
import { ApiError, getJson, sendJson } from "./api.js";
import {
  h,
  heading,
  paragraph,
  link,
  button,
  alert,
  errorSummary,
  markInvalid,
  clearInvalid,
  formField,
  textbox,
} from "./dom.js";
import { processView } from "./process.js";
import { processListView } from "./process_list.js";
import { deadlinesView, borgingshuisView } from "./overview.js";
import { usersView } from "./users.js";
import { securityLogView } from "./security_log.js";
import { publicKeyView } from "./public_key.js";

const main = () => document.getElementById("inhoud");
let me = null;

function draw(title, ...children) {
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
      h(
        "li",
        {},
        h("span", { class: "wie" }, `${me.name} (${me.role}, ${me.organisation_name || me.organisation})`),
      ),
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

// The sign-in form's messages the NL Design System way (dom.js): a summary above the form
// that links to each field, the message again under the field, and aria-invalid on it.
// `errors`: [{ field, text }], field being what signInField returned; none clears them.
function showSignInErrors(message, fields, errors, summary) {
  for (const field of fields) clearInvalid(field.element);
  for (const { field, text } of errors) markInvalid(field.control, text);
  const entries = errors.map(({ field, text }) => ({ id: field.control.id, message: text }));
  message.replaceChildren(entries.length ? errorSummary(summary, entries) : "");
}

// A labelled field of the sign-in form.
function signInField(id, label, control, description) {
  return { control, element: formField(id, label, control, description) };
}

// Drawn at once, so that what the address asks for is on the page when the address changes;
// with one organisation in the installation the organisation field then gives way to its name.
async function signInView(show) {
  let only = null;
  const organisation = signInField(
    "organisatie",
    "Organisatie",
    textbox({ autocomplete: "organization", required: true }),
    "De naam van uw organisatie of de korte naam die de beheerder u gaf. Hoofdletters maken niet uit.",
  );
  const name = signInField("naam", "Naam", textbox({ autocomplete: "username", required: true }));
  const password = signInField(
    "wachtwoord",
    "Wachtwoord",
    textbox({ type: "password", autocomplete: "current-password", required: true }),
  );
  let fields = [organisation, name, password];
  const message = h("div", {});
  const form = h(
    "form",
    {
      class: "formulier",
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        const empty = fields
          .filter((field) => field.control.value.trim() === "")
          .map((field) => ({
            field,
            text: {
              organisatie: "Vul de naam van uw organisatie in.",
              naam: "Vul uw naam in.",
              wachtwoord: "Vul uw wachtwoord in.",
            }[field.control.id],
          }));
        showSignInErrors(message, fields, empty, "Vul alle velden in om aan te melden.");
        if (empty.length) {
          empty[0].field.control.focus();
          return;
        }
        try {
          me = await sendJson("POST", "/api/v1/session", {
            organisation: only ? only.slug : organisation.control.value.trim(),
            name: name.control.value.trim(),
            password: password.control.value,
          });
          location.hash = menuItems()[0]?.[0] ?? "#/processen";
        } catch (error) {
          password.control.value = "";
          const unknownOrganisation = error.missing.some((m) => m.code === "organisatie_onbekend");
          if (unknownOrganisation && !only) {
            const errors = [{ field: organisation, text: error.message }];
            showSignInErrors(message, fields, errors, "Aanmelden is niet gelukt.");
            organisation.control.focus();
            return;
          }
          message.replaceChildren(
            alert(
              "error",
              error.status === 401
                ? "Aanmelden is niet gelukt: de naam of het wachtwoord klopt niet. Let op hoofdletters."
                : error.message,
            ),
          );
          password.control.focus();
        }
      },
    },
    fields.map((field) => field.element),
    button("Aanmelden", undefined, { primary: true, type: "submit" }),
  );
  show(
    "Aanmelden",
    heading(1, "Aanmelden"),
    message,
    form,
    h(
      "p",
      { class: "utrecht-paragraph" },
      "Controleert u een export van een logboek? ",
      link("#/openbare-sleutel", "Openbare sleutel en hoe u controleert"),
      " (zonder aan te melden).",
    ),
  );
  try {
    only = (await getJson("/api/v1/sign-in-options")).organisation;
  } catch {
    /* then the organisation is asked for */
  }
  if (only && organisation.element.isConnected && organisation.control.value === "") {
    organisation.element.replaceWith(paragraph(`U meldt zich aan bij ${only.name}.`));
    fields = [name, password];
  } else {
    only = null;
  }
}

// Pages anyone may open without signing in.
const PUBLIC_PAGES = ["#/aanmelden", "#/openbare-sleutel"];

// Each navigation draws only while it is the latest: a slow page the user has already left
// (its answer arriving late) must not replace the page they went to.
let navigation = 0;

async function route() {
  const hash = location.hash || "#/processen";
  const current = ++navigation;
  const show = (title, ...children) => {
    if (current === navigation) draw(title, ...children);
  };
  try {
    if (!me && hash !== "#/aanmelden") {
      try {
        me = await getJson("/api/v1/me");
      } catch (error) {
        if (error.status !== 401) throw error;
        if (!PUBLIC_PAGES.includes(hash)) {
          location.hash = "#/aanmelden";
          return;
        }
      }
    }
    renderMenu();
    if (hash === "#/aanmelden") return await signInView(show);
    if (hash === "#/openbare-sleutel") return await publicKeyView(show, me !== null);
    const processMatch = hash.match(/^#\/processen\/([^/]+)$/);
    if (processMatch) return await processView(decodeURIComponent(processMatch[1]), me, show);
    if (hash.startsWith("#/termijnen")) return await deadlinesView(show, me);
    if (hash.startsWith("#/borgingshuis")) return await borgingshuisView(show, hash, me);
    if (hash === "#/beveiligingslog") return await securityLogView(show);
    if (hash === "#/gebruikers" || !may("read_processes")) return await usersView(show);
    return await processListView(may, show);
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
