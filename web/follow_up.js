// The manager's follow-up, wherever a process or a deadline is shown: hand the process over
// to another adviseur, and remind its adviseur of a deadline. Both are small forms behind a
// disclosure, and both say what happened right where the manager pressed the button.
import { ApiError, sendJson } from "./api.js";
import {
  h,
  alert,
  button,
  formField,
  select,
  textarea,
  formatTime,
  markInvalid,
  clearInvalid,
} from "./dom.js";

const enc = encodeURIComponent;
let counter = 0;

// "Herinnerd op 2 dec 2026 14:05 door Mia Manager: Lukt het deze week?", or null.
export function reminderText(reminder, byName) {
  if (!reminder) return null;
  const by = byName ?? reminder.by_name;
  const message = reminder.bericht ? `: ${reminder.bericht}` : "";
  return `Herinnerd op ${formatTime(reminder.at)}${by ? ` door ${by}` : ""}${message}`;
}

// A disclosure with a form; `send()` does the request, `done(answer)` tells what happened.
// Errors stay in the form, beside the fields.
function disclosure(summary, fields, submitText, send, done) {
  const message = h("div", { "aria-live": "polite" });
  const details = h("details", { class: "opvolging" }, h("summary", {}, summary));
  const form = h(
    "form",
    {
      class: "formulier",
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          const answer = await send();
          message.replaceChildren(alert("ok", done(answer)));
          form.remove();
          details.open = true;
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          message.replaceChildren(
            alert("error", error.message, error.missing.slice(1).map((m) => m.detail)),
          );
        }
      },
    },
    fields,
    button(submitText, undefined, { primary: true, type: "submit" }),
  );
  details.append(form, message);
  return details;
}

// The process version a command is sent with (If-Match): `version()` is asked at the moment
// of sending, and every answer's version is kept, so that a second action in the same place
// is not refused as stale because of the first.
// "Overdragen": to one of `adviseurs` ({ id, name }) other than the current assignee.
// `onDone(view, message)` gets the process view the server answers with and the confirmation.
export function handOverForm(processId, title, assignee, adviseurs, version, onDone = () => {}) {
  const n = ++counter;
  const choices = adviseurs.filter((a) => a.id !== assignee).map((a) => ({ key: a.id, title: a.name }));
  const to = select(choices, "", { required: true });
  const note = textarea("", { rows: 2 });
  return disclosure(
    `Overdragen${title ? `: ${title}` : ""}`,
    [
      formField(`overdragen-aan-${n}`, "Aan welke adviseur (verplicht)", to),
      formField(`overdragen-toelichting-${n}`, "Toelichting", note, "Niet verplicht."),
    ],
    "Overdragen",
    () => {
      clearInvalid(to.closest(".utrecht-form-field"));
      if (!to.value) {
        markInvalid(to, "Kies een adviseur.");
        to.focus();
        throw new ApiError(422, { detail: "Kies aan welke adviseur u het proces overdraagt." });
      }
      const body = { to: to.value, ...(note.value.trim() ? { toelichting: note.value.trim() } : {}) };
      return sendJson("POST", `/api/v1/processes/${enc(processId)}/handovers`, body, version());
    },
    (view) => {
      const message = `Overgedragen aan ${view.people?.[view.assignee] ?? "de gekozen adviseur"}.`;
      onDone(view, message);
      return message;
    },
  );
}

// "Herinnering sturen" about the open deadline `deadline` ({ key, title, due }).
export function reminderForm(processId, deadline, assigneeName, version, onDone = () => {}) {
  const n = ++counter;
  const message = textarea("", { rows: 2 });
  return disclosure(
    "Herinnering sturen",
    [
      formField(
        `herinnering-${n}`,
        "Bericht aan de adviseur",
        message,
        `Niet verplicht. ${assigneeName ?? "De adviseur"} ziet het bij deze termijn.`,
      ),
    ],
    "Herinnering sturen",
    () =>
      sendJson(
        "POST",
        `/api/v1/processes/${enc(processId)}/reminders`,
        { deadline: deadline.key, ...(message.value.trim() ? { bericht: message.value.trim() } : {}) },
        version(),
      ),
    (view) => {
      const message = `Herinnering gestuurd aan ${assigneeName ?? "de adviseur"}.`;
      onDone(view, message);
      return message;
    },
  );
}
