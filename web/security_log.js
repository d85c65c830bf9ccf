// For the beheerder and the auditor: the organisation's security log (GET
// /api/v1/security-log), newest first, fifty lines at a time with a button for older ones.
import { getJson } from "./api.js";
import { h, heading, paragraph, button, formatTime, dataTable, count } from "./dom.js";

// The kinds of line in words; an unknown kind is shown as it is.
const KINDS = {
  "sign_in.succeeded": "Aangemeld",
  "sign_in.failed": "Aanmelden mislukt",
  "sign_in.throttled": "Aanmelden geremd",
  "sign_in.deactivated": "Aanmelden geweigerd: gedeactiveerd",
  "user.created": "Gebruiker aangemaakt",
  "user.deactivated": "Gebruiker gedeactiveerd",
  "user.activated": "Gebruiker geactiveerd",
  "token.created": "Token uitgegeven",
  "tokens.revoked": "Tokens ingetrokken",
  "password.changed": "Wachtwoord gewijzigd",
  "email.changed": "E-mailadres gewijzigd",
};

const LIMITS = {
  address: "te veel pogingen van dit adres",
  name_at_address: "te vaak mislukt met deze naam vanaf dit adres",
  name: "deze naam vanaf veel adressen",
};

function details(entry) {
  const d = entry.details ?? {};
  const parts = [];
  if (d.limit) parts.push(`${LIMITS[d.limit] ?? d.limit}, ${d.retry_after} s wachten`);
  if (d.tokens_revoked !== undefined) parts.push(`${count(d.tokens_revoked, "token", "tokens")} ingetrokken`);
  if (d.sessions_ended !== undefined) parts.push(`${count(d.sessions_ended, "sessie", "sessies")} beëindigd`);
  if (d.role) parts.push(`rol ${d.role}`);
  if (d.familiar_address === false) parts.push("nieuw adres");
  return parts.join("; ");
}

function row(entry) {
  const cell = (text) => h("td", { class: "utrecht-table__cell" }, text);
  return h(
    "tr",
    { class: "utrecht-table__row" },
    cell(formatTime(entry.at)),
    cell(KINDS[entry.kind] ?? entry.kind),
    cell(entry.user?.name ?? (entry.kind.startsWith("sign_in.") ? "(onbekende naam)" : "-")),
    cell(entry.actor?.name ?? "-"),
    cell(entry.client_address ?? "opdrachtregel"),
    cell(details(entry)),
  );
}

export async function securityLogView(show) {
  const first = await getJson("/api/v1/security-log?limit=50");
  const body = h("tbody", { class: "utrecht-table__body" }, first.items.map(row));
  const more = h("div", {});
  const offerMore = (next) => {
    more.replaceChildren(
      next === null
        ? paragraph("Dit is het begin van het logboek.")
        : button("Oudere regels", async () => {
            const page = await getJson(`/api/v1/security-log?limit=50&before=${next}`);
            body.append(...page.items.map(row));
            offerMore(page.next);
          }),
    );
  };
  offerMore(first.next);
  show(
    "Beveiligingslog",
    heading(1, "Beveiligingslog"),
    paragraph(
      "Aanmeldingen, geremde aanmeldpogingen en wijzigingen aan accounts van uw organisatie, " +
        "nieuwste eerst. Regels worden nooit gewijzigd of verwijderd.",
    ),
    dataTable(
      { class: "utrecht-table" },
      h("caption", { class: "utrecht-table__caption" }, "Beveiligingslog van uw organisatie"),
      h(
        "thead",
        { class: "utrecht-table__header" },
        h(
          "tr",
          { class: "utrecht-table__row" },
          ["Tijd", "Gebeurtenis", "Gebruiker", "Door", "Adres", "Bijzonderheden"].map((t) =>
            h("th", { class: "utrecht-table__header-cell", scope: "col" }, t),
          ),
        ),
      ),
      body,
    ),
    more,
  );
}
