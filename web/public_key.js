// The public key page, for an auditor with or without an account: the key that verifies the
// signed last line of every export of a logboek (GET /api/v1/audit/public-key, answered
// without signing in), its key id, and how to verify an export with it
// (docs/audit-format.md).
import { getJson } from "./api.js";
import { h, heading, paragraph, link, alert } from "./dom.js";

const COMMAND = "navolg audit verify EXPORT.jsonl --key navolg.pub";

// `signedIn`: whether the page is shown to a signed-in user (who has the menu) or to
// someone on the sign-in screen (who gets a way back to it).
export async function publicKeyView(show, signedIn) {
  const back = signedIn
    ? null
    : paragraph(link("#/aanmelden", "Terug naar aanmelden"));
  let key;
  try {
    key = await getJson("/api/v1/audit/public-key");
  } catch (error) {
    show("Openbare sleutel", heading(1, "Openbare sleutel"), alert("error", error.message), back);
    return;
  }
  show(
    "Openbare sleutel",
    heading(1, "Openbare sleutel"),
    paragraph(
      "Met deze sleutel controleert u dat een export van een logboek uit deze navolg komt en " +
        "daarna niet is gewijzigd.",
    ),
    h(
      "ol",
      { class: "utrecht-ordered-list" },
      h(
        "li",
        { class: "utrecht-ordered-list__item" },
        "Sla de sleutel hieronder op als bestand navolg.pub en noteer de sleutel-id, zodat u " +
          "bij elke volgende controle weet dat u dezelfde sleutel gebruikt.",
      ),
      h(
        "li",
        { class: "utrecht-ordered-list__item" },
        "Controleer een export (het .jsonl-bestand dat u bij een proces downloadt) met het " +
          "commando hieronder: navolg meldt of elke gebeurtenis aansluit op de vorige en of " +
          "de ondertekende laatste regel bij deze sleutel hoort.",
      ),
    ),
    h(
      "dl",
      { class: "sleutel" },
      h("dt", {}, "Sleutel-id"),
      h("dd", {}, h("code", { class: "sleutel-id" }, key.key_id)),
      h("dt", {}, "Algoritme"),
      h("dd", {}, key.algorithm),
    ),
    heading(2, "Sleutel (PEM)"),
    h("pre", { class: "utrecht-code-block afbreken" }, key.public_key_pem),
    heading(2, "Commando"),
    h("pre", { class: "utrecht-code-block afbreken" }, h("code", {}, COMMAND)),
    paragraph(
      "Zonder navolg kan het ook, met openssl of een kort programma: de beschrijving staat in " +
        "docs/audit-format.md bij de broncode van navolg.",
    ),
    back,
  );
}
