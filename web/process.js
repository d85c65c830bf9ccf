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
  formField,
  textarea,
  readable,
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

// The trail, newest page last: the first page at once, the next ones on request.
function trailPart(id, me) {
  const list = h("ol", { class: "trail" });
  const more = h("p", {});
  const load = async (after) => {
    const page = await getJson(
      `/api/v1/processes/${enc(id)}/events?after=${after}&limit=200`,
    );
    list.append(
      ...page.items.map((e) =>
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
    more.replaceChildren(
      page.next === null
        ? ""
        : button("Meer gebeurtenissen tonen", () => load(page.next)),
    );
  };
  const section = h(
    "section",
    { "aria-labelledby": "kop-trail" },
    heading(2, "Logboek", { id: "kop-trail" }),
    list,
    more,
  );
  load(0).catch((error) => {
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

// `known`: the process view a command just answered, drawn without asking for it again.
export async function processView(id, me, show, known) {
  let process = known;
  try {
    process ??= await getJson(`/api/v1/processes/${enc(id)}`);
  } catch (error) {
    if (error instanceof ApiError && error.type === kDamaged) return damagedView(id, error, show);
    throw error;
  }
  const [definition, colleagues] = await Promise.all([
    getDefinition(process.workflow.key, process.workflow.version),
    getJson("/api/v1/colleagues"),
  ]);
  const context = { definition, process, colleagues: colleagues.items };
  const reload = () => processView(id, me, show);
  // The page drawn anew (the process has a new version), with the confirmation of what was
  // done kept in the section it was done in, where the user is.
  const reloadWith = async (message, headingId) => {
    await reload();
    document.getElementById(headingId)?.parentElement.append(alert("ok", message));
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
  // A change, then the page drawn anew with a message of what happened. `handled(error)` may
  // take care of a refusal itself (a stale product save keeps its form); else it is reported.
  const change = async (action, done, handled = () => false) => {
    try {
      const view = await action();
      await (view?.id === id ? processView(id, me, show, view) : reload());
      document.querySelector(".meldingen")?.replaceChildren(alert("ok", done));
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
    trailPart(id, me),
    accountability(id),
  );
}

const manages = (me) => me.actions?.includes("manage_processes");

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

function stepItem(step, definition, process, mayAct, change) {
  const transition = definition.transitions.find((t) => t.key === step.transition);
  const missing = step.missing.filter((m) => m.code !== "niet_toegewezen");
  if (!mayAct) {
    return h(
      "li",
      { class: "stap" },
      heading(3, step.title ?? readable(step.transition)),
      missing.length
        ? h("div", {}, paragraph("Deze stap kan nog niet, omdat:"), missingList(missing))
        : paragraph("Deze stap kan nu, door wie het proces mag wijzigen."),
    );
  }
  const needsMotivation = (transition?.guards ?? []).some((g) => g.kind === "motivation");
  const motivation = needsMotivation ? textarea("", { rows: 2 }) : null;
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
    );
  return h(
    "li",
    { class: "stap" },
    heading(3, step.title ?? readable(step.transition)),
    step.allowed
      ? paragraph("Deze stap kan nu.")
      : h("div", {}, paragraph("Deze stap kan nog niet, omdat:"), missingList(step.missing)),
    motivation ? formField(`motivatie-${step.transition}`, "Motivering", motivation) : null,
    button(step.title ?? readable(step.transition), take, { primary: step.allowed }),
  );
}

function productSection(product, process, me, change, context) {
  const entry = process.products[product.key];
  const instances = product.repeating ? entry : [entry];
  const editable =
    process.may_act !== false &&
    product.editors.includes(me.role) &&
    product.editable_in.includes(process.state) &&
    !process.closed_at;
  const parts = [heading(3, product.title, { id: `product-${product.key}` })];
  instances.forEach((instance, index) => {
    const n = product.repeating ? (instance.instance ?? index + 1) : undefined;
    if (product.repeating) parts.push(heading(4, `${product.title} ${n}`));
    parts.push(productStatus(product, instance));
    if (editable) parts.push(editForm(product, process, instance, n, change, context));
    else if (instance.version > 0) {
      parts.push(productText(product, instance.content, process.people));
    }
    const adoption = product.adoption;
    if (
      adoption &&
      process.may_act !== false &&
      adoption.role === me.role &&
      instance.version > 0 &&
      !instance.adopted &&
      !process.closed_at
    ) {
      parts.push(
        h(
          "div",
          { class: "vaststellen" },
          paragraph(`U stelt deze tekst vast (versie ${instance.version}):`),
          productText(product, instance.content, process.people),
          button(
            `${product.title} vaststellen`,
            () =>
              change(
                () =>
                  sendJson(
                    "POST",
                    `/api/v1/processes/${enc(process.id)}/adoptions`,
                    { product: product.key, ...(n ? { instance: n } : {}), hash: instance.hash },
                    process.version,
                  ),
                `${product.title} is vastgesteld.`,
              ),
            { primary: true },
          ),
        ),
      );
    }
  });
  if (product.repeating && editable) {
    parts.push(heading(4, `Nieuw: ${product.title} ${instances.length + 1}`));
    parts.push(editForm(product, process, null, instances.length + 1, change, context));

  }
  if (product.repeating && !instances.length && !editable) parts.push(paragraph("Nog geen."));
  return h("section", { class: "product", "aria-labelledby": `product-${product.key}` }, parts);
}

function productStatus(product, instance) {
  const facts = [];
  if (instance.version === 0) facts.push("nog niet opgeslagen");
  else
    facts.push(`versie ${instance.version}`, instance.complete ? "compleet" : "nog niet compleet");
  if (product.adoption)
    facts.push(
      instance.adopted
        ? "vastgesteld"
        : instance.adopted_version
          ? `versie ${instance.adopted_version} vastgesteld, daarna gewijzigd`
          : "nog niet vastgesteld",
    );
  return h(
    "div",
    {},
    paragraph(`Status: ${facts.join(", ")}.`),
    instance.missing.length
      ? h("div", {}, paragraph("Wat nog ontbreekt:"), missingList(instance.missing))
      : null,
  );
}

// The form of one product instance (`instance` null: a new one). A save states the version of
// this instance it was read at (its ETag), so a colleague's save of another product does not
// refuse it; when this instance did change, what the user typed stays in the form, with what
// is stored now beside it, and saving again overwrites it deliberately.
function editForm(product, process, instance, n, change, context) {
  const form = productForm(product, instance?.content, `${product.key}${n ? `-${n}` : ""}`, {
    ...context,
    answers: answersFor(context.definition, process, product.key),
  });
  let etag = instance?.etag ? instance.etag.slice(1, -1) : process.version;
  const feedback = h("div", { "aria-live": "polite" });
  const stale = async (error) => {
    if (error.status !== 412) return false;
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
    return true;
  };
  const path = `/api/v1/processes/${enc(process.id)}/products/${enc(product.key)}${n ? `/${n}` : ""}`;
  return h(
    "form",
    {
      class: "formulier",
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        change(
          () => sendJson("PUT", path, form.read(), etag),
          `${product.title} is opgeslagen.`,
          stale,
        );
      },
    },
    feedback,
    form.elements,
    button(`${product.title}${n ? ` ${n}` : ""} opslaan`, undefined, {
      primary: true,
      type: "submit",
    }),
  );
}
