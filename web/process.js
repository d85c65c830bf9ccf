// The process page: the phases as a timeline, what is missing, the next steps and why they
// cannot be taken yet, a form per process product, adoption for bestuur, the trail, and the
// auditor's documents.
import { ApiError, getDefinition, getJson, sendJson } from "./api.js";
import {
  h,
  heading,
  paragraph,
  link,
  button,
  alert,
  errorSummary,
  clearInvalid,
  formField,
  textarea,
  readable,
  count,
  formatTime,
  formatDate,
} from "./dom.js";
import { answersFor, productForm, productText } from "./forms.js";
import { handOverForm, reminderForm, reminderText } from "./follow_up.js";

const enc = encodeURIComponent;

// The phases in the definition's order: the steps on the way, then the current end state or,
// while the process runs, the first end state (the goal, "afgerond").
function timeline(definition, process) {
  const current = definition.states.findIndex((s) => s.key === process.state);
  const ended = definition.states[current]?.end;
  const goal = definition.states.find((s) => s.end);
  const phases = definition.states.filter(
    (s) => !s.end || s.key === process.state || (!ended && s === goal),
  );
  return h(
    "ol",
    { class: "fasen", "aria-label": "Fasen van het proces" },
    phases.map((state) => {
      const index = definition.states.indexOf(state);
      const status = index === current ? "huidig" : index < current ? "gedaan" : "komt";
      const label = { huidig: "huidige fase", gedaan: "gedaan", komt: "nog te doen" }[status];
      return h(
        "li",
        { class: `fase fase--${status}`, "aria-current": index === current ? "step" : null },
        h("span", { class: "fase__naam" }, state.title),
        h("span", { class: "fase__status" }, ` (${label})`),
      );
    }),
  );
}

function missingList(missing) {
  if (!missing.length) return null;
  return h(
    "ul",
    { class: "utrecht-unordered-list ontbreekt" },
    missing.map((m) => h("li", { class: "utrecht-unordered-list__item" }, m.detail)),
  );
}

// The trail names users by id; the reader's own id is shown as their name.
// Who did it, by name: the server names the organisation's users (actor_name); a user it no
// longer knows keeps the id the trail holds.
function actorName(event, me) {
  const actor = event.actor;
  if (!actor || actor.role === "system") return "navolg";
  if (actor.user === me.id) return `${me.name} (${actor.role})`;
  return event.actor_name ? `${event.actor_name} (${actor.role})` : `${actor.role} (${actor.user})`;
}

const kDamaged = "urn:navolg:problem:audittrail-beschadigd";

// The trail, oldest first: the first page at once, the next ones on request. Drawn again
// after a command (`again`), it keeps what it showed and asks only for the events since.
let trailSeen = null; // { id, events, next }: what the last drawn trail showed

function trailPart(id, me, again) {
  const list = h("ol", { class: "trail" });
  const more = h("p", {});
  const seen = again && trailSeen?.id === id && trailSeen.next === null ? trailSeen : null;
  trailSeen = { id, events: seen ? [...seen.events] : [], next: null };
  const show = (events) =>
    list.append(
      ...events.map((e) =>
        h(
          "li",
          {},
          h("time", { datetime: e.at }, formatTime(e.at)),
          " ",
          h("span", { class: "trail__wie" }, `${actorName(e, me)}: `),
          e.description,
          h("span", { class: "trail__seq" }, ` #${e.seq}`),
        ),
      ),
    );
  const load = async (after) => {
    const page = await getJson(`/api/v1/processes/${enc(id)}/events?after=${after}&limit=200`);
    trailSeen.events.push(...page.items);
    trailSeen.next = page.next;
    show(page.items);
    more.replaceChildren(
      page.next === null ? "" : button("Meer gebeurtenissen tonen", () => load(page.next)),
    );
  };
  show(trailSeen.events);
  const section = h(
    "section",
    { "aria-labelledby": "kop-trail" },
    heading(2, "Logboek", { id: "kop-trail" }),
    list,
    more,
  );
  load(trailSeen.events.at(-1)?.seq ?? 0).catch((error) => {
    if (!(error instanceof ApiError)) throw error;
    more.replaceChildren(alert("error", error.message));
  });
  return section;
}

// The documents an auditor takes away: the report, the verslag, the signed export.
function accountability(id) {
  return h(
    "section",
    { "aria-labelledby": "kop-verantwoording" },
    heading(2, "Verantwoording", { id: "kop-verantwoording" }),
    h(
      "ul",
      { class: "utrecht-unordered-list" },
      h("li", {}, link(`/api/v1/processes/${enc(id)}/report`, "Zorgvuldigheidsrapport")),
      h(
        "li",
        {},
        link(`/api/v1/processes/${enc(id)}/participatieverslag`, "Participatieverslag"),
      ),
      h(
        "li",
        {},
        link(`/api/v1/processes/${enc(id)}/events.jsonl`, "Logboek downloaden (.jsonl)", {
          download: `${id}.jsonl`,
        }),
      ),
      h(
        "li",
        {},
        link("#/openbare-sleutel", "Openbare sleutel om de export te controleren"),
      ),
    ),
  );
}

// What the user reads after taking `step`: the step, or for a step that ends the process how
// it ended ("Het proces is afgerond.").
function stepDone(step, definition) {
  const target = definition.states.find((s) => s.key === step.to);
  if (target?.end) return `Het proces is ${target.title.toLowerCase()}.`;
  return `Stap gezet: ${step.title ?? step.transition}.`;
}

// A process whose trail does not verify: what navolg found, and the evidence to take away.
async function damagedView(id, error, show) {
  // The report is built on the part of the trail that verifies, so it still knows the title.
  const report = await getJson(`/api/v1/processes/${enc(id)}/report`).catch(() => null);
  const title = report?.process?.title || `Proces ${id}`;
  show(
    title,
    heading(1, title),
    alert("error", "Logboek beschadigd", [error.message]),
    paragraph(
      "Dit proces wordt niet getoond en neemt geen wijzigingen aan, omdat de gegevens niet " +
        "meer overeenkomen met het logboek. Het zorgvuldigheidsrapport en de export laten " +
        "zien tot waar het logboek nog klopt.",
    ),
    accountability(id),
  );
}

let colleaguesSeen = null;

// `known`: the process view a command just answered, drawn without asking for it again.
export async function processView(id, me, show, known) {
  let process = known;
  try {
    process ??= await getJson(`/api/v1/processes/${enc(id)}`);
  } catch (error) {
    if (error instanceof ApiError && error.type === kDamaged) return damagedView(id, error, show);
    throw error;
  }
  // A page drawn again after a command keeps the colleagues it had: the save answered with
  // the process, and the page needs no other request.
  const [definition, colleagues] = await Promise.all([
    getDefinition(process.workflow.key, process.workflow.version),
    known && colleaguesSeen ? colleaguesSeen : getJson("/api/v1/colleagues"),
  ]);
  colleaguesSeen = colleagues;
  const context = { definition, process, colleagues: colleagues.items };
  const reload = () => processView(id, me, show);
  // The page drawn anew (the process has a new version), with the confirmation of what was
  // done kept in the section it was done in, where the user is.
  const reloadWith = async (message, headingId) => {
    await reload();
    confirmNear([headingId], message);
  };
  const messages = h("div", { class: "meldingen", "aria-live": "polite" });
  const report = (error) => {
    messages.replaceChildren(
      alert(
        "error",
        error.status === 412
          ? "Iemand anders heeft het proces intussen gewijzigd. " +
              "Laad de pagina opnieuw en probeer het nog eens."
          : error.message,
        (error.missing ?? []).map((m) => m.detail),
      ),
    );
    messages.scrollIntoView?.();
  };
  // A change, then the page drawn anew with a message of what happened beside the first of
  // `near` (ids of the button pressed, then of its section) that the new page has.
  // `handled(error)` may take care of a refusal itself (a form that shows it at its fields);
  // else it is reported at the top.
  const change = async (action, done, { near = [], handled = () => false } = {}) => {
    // What an earlier act confirmed is not about this one.
    for (const old of document.querySelectorAll(".bevestiging")) old.remove();
    try {
      const view = await action();
      await (view?.id === id ? processView(id, me, show, view) : reload());
      confirmNear(near, done);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (!(await handled(error))) report(error);
    }
  };

  const state = definition.states.find((s) => s.key === process.state);
  // Whether this user may change the process (role and assignment, the server's rule); when
  // not, the page only reads: no forms, no buttons, and the server's reason once.
  const mayAct = process.may_act !== false;
  const outOfReach = process.next
    .flatMap((step) => step.missing)
    .find((m) => m.code === "niet_toegewezen");
  const productSections = definition.products.map((product) =>
    productSection(product, process, me, change, context),
  );
  const steps =
    process.next.length === 0
      ? paragraph("Er zijn geen stappen meer: het proces is beëindigd.")
      : h(
          "ul",
          { class: "stappen" },
          process.next.map((step) => stepItem(step, definition, process, mayAct, change)),
        );

  show(
    process.title,
    heading(1, process.title),
    paragraph(
      `Fase: ${state?.title ?? process.state} · ${definition.title}`,
    ),
    messages,
    !mayAct && outOfReach ? alert("info", outOfReach.detail) : null,
    h(
      "section",
      { "aria-labelledby": "kop-fasen" },
      heading(2, "Waar staat het proces?", { id: "kop-fasen" }),
      timeline(definition, process),
    ),
    assignmentPart(process, definition, me, colleagues.items, reloadWith),
    deadlinesPart(process, me, reloadWith),
    h(
      "section",
      { "aria-labelledby": "kop-stappen" },
      heading(2, "Volgende stappen", { id: "kop-stappen" }),
      steps,
    ),
    h(
      "section",
      { "aria-labelledby": "kop-producten" },
      heading(2, "Procesproducten", { id: "kop-producten" }),
      productSections,
    ),
    trailPart(id, me, Boolean(known)),
    accountability(id),
  );
}

const manages = (me) => me.actions?.includes("manage_processes");

// Shows `message` beside the first element of `ids` the page has: after a button, or at the
// end of the section a heading names; at the top when none is there. The confirmation is
// scrolled into view and announced (role=status).
function confirmNear(ids, message) {
  const confirmation = alert("ok", message);
  confirmation.classList.add("bevestiging");
  const anchor = ids.map((i) => document.getElementById(i)).find(Boolean);
  if (anchor?.tagName === "BUTTON") anchor.after(confirmation);
  else if (anchor) (anchor.closest("section") ?? anchor.parentElement).append(confirmation);
  else document.querySelector(".meldingen")?.replaceChildren(confirmation);
  confirmation.scrollIntoView?.({ block: "nearest" });
}

// A question before an act that cannot be undone: `question` with a confirming button and
// "Annuleren", shown in place of `trigger` until answered. Focus goes to the question.
function confirmFirst(trigger, question, confirmText, onConfirm) {
  const panel = h(
    "div",
    { class: "bevestigen", role: "group", "aria-label": confirmText, tabindex: "-1" },
    paragraph(question),
    h(
      "div",
      { class: "knoppen" },
      button(confirmText, () => onConfirm(), { primary: true }),
      button("Annuleren", () => {
        panel.replaceWith(trigger);
        trigger.focus();
      }),
    ),
  );
  trigger.replaceWith(panel);
  panel.focus();
}

// Who runs the process, and for a manager the hand-over to another adviseur.
function assignmentPart(process, definition, me, colleagues, reloadWith) {
  if (!definition.assignee) return null;
  const name = process.assignee
    ? (process.people?.[process.assignee] ?? process.assignee)
    : "nog niemand";
  const handover = process.handover;
  const field = definition.products
    .find((p) => p.key === definition.assignee.product)
    ?.fields.find((f) => f.key === definition.assignee.field);
  const role = field?.role;
  return h(
    "section",
    { "aria-labelledby": "kop-toegewezen" },
    heading(2, "Adviseur", { id: "kop-toegewezen" }),
    paragraph(`Dit proces is toegewezen aan ${name}.`),
    handover
      ? paragraph(
          `Overgedragen op ${formatTime(handover.at)} door ` +
            `${process.people?.[handover.by.user] ?? "een manager"}.`,
        )
      : null,
    manages(me) && !process.closed_at && role
      ? handOverForm(
          process.id,
          "",
          process.assignee,
          colleagues.filter((c) => c.role === role && c.active),
          () => process.version,
          (_, message) => reloadWith(message, "kop-toegewezen"),
        )
      : null,
  );
}

function deadlinesPart(process, me, reloadWith) {
  const open = process.deadlines.filter((d) => !d.met_at && !d.cancelled_at);
  if (!open.length) return null;
  const assigneeName = process.people?.[process.assignee];
  return h(
    "section",
    { "aria-labelledby": "kop-termijnen" },
    heading(2, "Termijnen", { id: "kop-termijnen" }),
    h(
      "ul",
      { class: "utrecht-unordered-list" },
      open.map((d) =>
        h(
          "li",
          {},
          h(
            "span",
            { class: d.overdue ? "te-laat" : "" },
            `${d.title ?? readable(d.key)}: uiterlijk ${formatDate(d.due)}` +
              (d.overdue ? " (verlopen)" : ""),
          ),
          d.last_reminder
            ? paragraph(reminderText(d.last_reminder, process.people?.[d.last_reminder.by.user]))
            : null,
          manages(me) && process.assignee
            ? reminderForm(process.id, d, assigneeName, () => process.version, (_, message) =>
                reloadWith(message, "kop-termijnen"),
              )
            : null,
        ),
      ),
    ),
  );
}

// One next step. A step the user's role never takes is said, not offered as a button; the
// step forward is the primary button, a stop the secondary one.
function stepItem(step, definition, process, mayAct, change) {
  const transition = definition.transitions.find((t) => t.key === step.transition);
  const title = step.title ?? readable(step.transition);
  const missing = step.missing.filter((m) => m.code !== "niet_toegewezen");
  const roleRefusal = missing.find((m) => m.code === "rol_niet_toegestaan");
  if (!mayAct || roleRefusal) {
    const rest = missing.filter((m) => m !== roleRefusal);
    return h(
      "li",
      { class: "stap" },
      heading(3, title),
      roleRefusal ? paragraph(roleRefusal.detail) : null,
      rest.length
        ? h("div", {}, paragraph("Deze stap kan nog niet, omdat:"), missingList(rest))
        : paragraph(
            roleRefusal
              ? "Aan de andere voorwaarden is voldaan."
              : "Deze stap kan nu, door wie het proces mag wijzigen.",
          ),
    );
  }
  const needsMotivation = (transition?.guards ?? []).some((g) => g.kind === "motivation");
  const motivation = needsMotivation
    ? textarea("", { rows: 2, required: true, "aria-required": "true" })
    : null;
  const buttonId = `stap-${step.transition}`;
  const take = () =>
    change(
      () =>
        sendJson(
          "POST",
          `/api/v1/processes/${enc(process.id)}/transitions/${enc(step.transition)}`,
          motivation ? { motivatie: motivation.value.trim() } : {},
          process.version,
        ),
      stepDone(step, definition),
      { near: [buttonId, "kop-stappen"] },
    );
  const forward = !transition?.stops_process;
  const action = button(title, take, { primary: step.allowed && forward });
  action.id = buttonId;
  return h(
    "li",
    { class: "stap" },
    heading(3, title),
    step.allowed
      ? paragraph("Deze stap kan nu.")
      : h("div", {}, paragraph("Deze stap kan nog niet, omdat:"), missingList(missing)),
    motivation
      ? formField(`motivatie-${step.transition}`, "Motivering (verplicht)", motivation)
      : null,
    action,
  );
}

// A product of the current phase is open; those of other phases are folded away with their
// status in the summary, and open on a click.
function productSection(product, process, me, change, context) {
  const entry = process.products[product.key];
  const instances = product.repeating ? entry : [entry];
  const mayAct = process.may_act !== false && !process.closed_at;
  const editable =
    mayAct && product.editors.includes(me.role) && product.editable_in.includes(process.state);
  const adopter = mayAct && product.adoption?.role === me.role;
  const waitsForMe = adopter && instances.some((i) => i.version > 0 && !i.adopted);
  const current = product.editable_in.includes(process.state) || waitsForMe;
  const parts = [];
  instances.forEach((instance, index) => {
    const n = product.repeating ? (instance.instance ?? index + 1) : undefined;
    const name = `${product.title}${n ? ` ${n}` : ""}`;
    if (product.repeating) parts.push(heading(4, name));
    parts.push(productStatus(product, instance, process.people));
    const adopted = product.adoption && instance.adopted;
    if (editable && adopted) {
      parts.push(lockedForm(product, process, instance, n, change, context));
    } else if (editable) {
      parts.push(editForm(product, process, instance, n, change, context));
    } else if (instance.version > 0 && !(adopter && !instance.adopted)) {
      parts.push(productText(product, instance.content, process.people));
    }
    if (editable && product.adoption && instance.version > 0 && !instance.adopted) {
      parts.push(offerPart(product, process, instance, n, change));
    }
    if (adopter && instance.version > 0 && !instance.adopted) {
      parts.push(adoptPart(product, process, instance, n, change));
    }
  });
  if (product.repeating && editable) {
    parts.push(heading(4, `Nieuw: ${product.title} ${instances.length + 1}`));
    parts.push(editForm(product, process, null, instances.length + 1, change, context));
  }
  if (product.repeating && !instances.length && !editable) parts.push(paragraph("Nog geen."));
  return h(
    "section",
    { class: "product", "aria-labelledby": `product-${product.key}` },
    h(
      "details",
      { class: "product__vouw", open: current || null },
      h(
        "summary",
        {},
        heading(3, product.title, { id: `product-${product.key}` }),
        h("span", { class: "product__samenvatting" }, `Status: ${summaryOf(product, instances)}.`),
      ),
      parts,
    ),
  );
}

// "versie 2, compleet, vastgesteld" for the folded section: what a glance needs.
function summaryOf(product, instances) {
  if (product.repeating) {
    if (!instances.length) return "nog geen";
    const complete = instances.filter((i) => i.complete).length;
    return `${count(instances.length, "exemplaar", "exemplaren")}, ${complete} compleet`;
  }
  return statusFacts(product, instances[0]).join(", ");
}

function statusFacts(product, instance) {
  const facts = [];
  if (instance.version === 0) facts.push("nog niet opgeslagen");
  else
    facts.push(`versie ${instance.version}`, instance.complete ? "compleet" : "nog niet compleet");
  if (product.adoption && instance.version > 0) {
    if (instance.adopted) facts.push("vastgesteld");
    else if (instance.offered) facts.push("ter vaststelling aangeboden");
    else if (instance.adopted_version) {
      facts.push(`versie ${instance.adopted_version} vastgesteld, daarna gewijzigd`);
    } else facts.push("nog niet vastgesteld");
  }
  return facts;
}

function productStatus(product, instance, people = {}) {
  const offered = instance.offered;
  return h(
    "div",
    {},
    // A single product's status stands in its section's summary; each of many has its own.
    product.repeating ? paragraph(`Status: ${statusFacts(product, instance).join(", ")}.`) : null,
    instance.adopted && instance.adopted_at
      ? paragraph(
          `Versie ${instance.adopted_version} is vastgesteld op ${formatTime(instance.adopted_at)}.`,
        )
      : null,
    offered
      ? paragraph(
          `Versie ${offered.version} is ter vaststelling aangeboden op ${formatTime(offered.at)}` +
            `${people[offered.by.user] ? ` door ${people[offered.by.user]}` : ""}.`,
        )
      : null,
    instance.missing.length
      ? h("div", {}, paragraph("Wat nog ontbreekt:"), missingList(instance.missing))
      : null,
  );
}

const instanceBody = (product, n, instance) => ({
  product: product.key,
  ...(n ? { instance: n } : {}),
  hash: instance.hash,
});

// The author offers the current, complete version for adoption; it then waits on bestuur's
// list. A new version needs a new offer.
function offerPart(product, process, instance, n, change) {
  if (instance.offered) return null;
  const name = `${product.title}${n ? ` ${n}` : ""}`;
  if (!instance.complete) {
    return paragraph(`Als ${name} compleet is, kunt u het ter vaststelling aanbieden.`);
  }
  const id = `aanbieden-${product.key}${n ? `-${n}` : ""}`;
  const offer = button(`${name} ter vaststelling aanbieden`, () =>
    change(
      () =>
        sendJson(
          "POST",
          `/api/v1/processes/${enc(process.id)}/adoption-offers`,
          instanceBody(product, n, instance),
          process.version,
        ),
      `${name} (versie ${instance.version}) is ter vaststelling aangeboden aan ${product.adoption.role}.`,
      { near: [`vaststelling-${product.key}${n ? `-${n}` : ""}`, `product-${product.key}`] },
    ),
  );
  offer.id = id;
  return h("div", { class: "knoppen", id: `vaststelling-${product.key}${n ? `-${n}` : ""}` }, offer);
}

// Bestuur reads exactly the text it adopts and confirms before the adoption is recorded.
function adoptPart(product, process, instance, n, change) {
  const name = `${product.title}${n ? ` ${n}` : ""}`;
  const adopt = button(
    `${name} vaststellen`,
    () =>
      confirmFirst(
        adopt,
        `U stelt versie ${instance.version} van ${name} vast, met de tekst hierboven. ` +
          "De vaststelling komt in het logboek en kan niet ongedaan worden gemaakt.",
        `Ja, versie ${instance.version} vaststellen`,
        () =>
          change(
            () =>
              sendJson(
                "POST",
                `/api/v1/processes/${enc(process.id)}/adoptions`,
                instanceBody(product, n, instance),
                process.version,
              ),
            `${name} is vastgesteld (versie ${instance.version}).`,
            { near: [`product-${product.key}`] },
          ),
      ),
    { primary: true },
  );
  return h(
    "div",
    { class: "vaststellen" },
    paragraph(
      instance.adopted_version
        ? `Versie ${instance.adopted_version} was vastgesteld; ` +
            `versie ${instance.version} wacht op uw vaststelling:`
        : `U stelt deze tekst vast (versie ${instance.version}):`,
    ),
    productText(product, instance.content, process.people),
    adopt,
  );
}

// An adopted text is shown, not edited: changing it voids the adoption, so the form opens
// only after the author confirms that, and its save says so to the server.
function lockedForm(product, process, instance, n, change, context) {
  const name = `${product.title}${n ? ` ${n}` : ""}`;
  const holder = h("div", { class: "vergrendeld" });
  const open = button(`Wijzigen — de vaststelling vervalt`, () =>
    confirmFirst(
      open,
      `Versie ${instance.adopted_version} van ${name} is vastgesteld door ` +
        `${product.adoption.role}. Als u een nieuwe versie opslaat, vervalt die vaststelling ` +
        "en moet de nieuwe versie opnieuw worden vastgesteld.",
      "Ja, wijzigen",
      () => {
        const form = editForm(product, process, instance, n, change, context, true);
        holder.replaceChildren(
          alert("info", "Bij opslaan vervalt de vaststelling."),
          form,
        );
        form.querySelector("input, textarea, select")?.focus();
      },
    ),
  );
  holder.append(productText(product, instance.content, process.people), open);
  return holder;
}

// The form of one product instance (`instance` null: a new one). A save states the version of
// this instance it was read at (its ETag), so a colleague's save of another product does not
// refuse it; when this instance did change, what the user typed stays in the form, with what
// is stored now beside it, and saving again overwrites it deliberately. A refused value is
// shown at its field and in a summary at the top of the form that links to it.
function editForm(product, process, instance, n, change, context, voidsAdoption = false) {
  const key = `${product.key}${n ? `-${n}` : ""}`;
  const form = productForm(product, instance?.content, key, {
    ...context,
    answers: answersFor(context.definition, process, product.key),
  });
  let etag = instance?.etag ? instance.etag.slice(1, -1) : process.version;
  let voids = voidsAdoption;
  const feedback = h("div", { "aria-live": "polite" });
  const element = h("form", { class: "formulier", novalidate: true });
  const stale = async (error) => {
    const fresh = await getJson(`/api/v1/processes/${enc(process.id)}`);
    const now = [fresh.products[product.key]].flat().find((e) => (e.instance ?? 1) === (n ?? 1));
    etag = now?.etag ? now.etag.slice(1, -1) : fresh.version;
    feedback.replaceChildren(
      alert("error", `${error.message} Uw tekst staat nog in het formulier.`, [
        "Vergelijk hem met wat er nu is opgeslagen (hieronder) en sla opnieuw op om uw versie te bewaren.",
      ]),
      now?.version
        ? h(
            "details",
            { class: "opvolging", open: true },
            h("summary", {}, `Nu opgeslagen: versie ${now.version}`),
            productText(product, now.content, fresh.people),
          )
        : null,
    );
    feedback.scrollIntoView?.({ block: "nearest" });
  };
  // A refusal about values: each at its field, all in a summary that takes the focus.
  const invalid = (error) => {
    const entries = error.missing.map((problem) => {
      const target = problem.field ? form.locate(problem.field) : null;
      target?.mark(problem.detail);
      return { id: target?.id, message: problem.detail };
    });
    if (!entries.length) entries.push({ message: error.message });
    const summary = errorSummary(
      entries.length === 1
        ? "Er is 1 fout in het formulier:"
        : `Er zijn ${entries.length} fouten in het formulier:`,
      entries,
    );
    feedback.replaceChildren(summary);
    summary.focus();
  };
  // Adopted meanwhile (bestuur was quicker): the choice to void it, in the form.
  const adoptedMeanwhile = (error) => {
    const again = button("Toch opslaan — de vaststelling vervalt", () => {
      voids = true;
      element.requestSubmit();
    });
    feedback.replaceChildren(alert("error", error.message), again);
    again.focus();
  };
  const handled = async (error) => {
    clearInvalid(element);
    if (error.status === 412) await stale(error);
    else if (error.status === 422) invalid(error);
    else if (error.missing.some((m) => m.code === "vaststelling_vervalt")) adoptedMeanwhile(error);
    else return false;
    return true;
  };
  const path = `/api/v1/processes/${enc(process.id)}/products/${enc(product.key)}${n ? `/${n}` : ""}`;
  const save = button(`${product.title}${n ? ` ${n}` : ""} opslaan`, undefined, {
    primary: true,
    type: "submit",
  });
  save.id = `opslaan-${key}`;
  element.addEventListener("submit", (event) => {
    event.preventDefault();
    change(
      () =>
        sendJson("PUT", voids ? `${path}?vaststellingVervalt=true` : path, form.read(), etag),
      `${product.title}${n ? ` ${n}` : ""} is opgeslagen.`,
      { near: [save.id, `product-${product.key}`], handled },
    );
  });
  element.append(feedback, ...form.elements, save);
  return element;
}
