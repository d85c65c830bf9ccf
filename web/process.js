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
} from "./dom.js";
import { productForm, productText } from "./forms.js";

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
        link("/api/v1/audit/public-key", "Openbare sleutel om de export te controleren"),
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
  const definition = await getDefinition(process.workflow.key, process.workflow.version);
  const reload = () => processView(id, me, show);
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
  // A change, then the page drawn anew with a message of what happened.
  const change = async (action, done) => {
    try {
      const view = await action();
      await (view?.id === id ? processView(id, me, show, view) : reload());
      document.querySelector(".meldingen")?.replaceChildren(alert("ok", done));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      report(error);
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
    productSection(product, process, me, change),
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
    deadlinesPart(process),
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

function deadlinesPart(process) {
  const open = process.deadlines.filter((d) => !d.met_at && !d.cancelled_at);
  if (!open.length) return null;
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
          { class: d.overdue ? "te-laat" : "" },
          `${readable(d.key)}: uiterlijk ${d.due}${d.overdue ? " (verlopen)" : ""}`,
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

function productSection(product, process, me, change) {
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
    if (editable) parts.push(editForm(product, process, instance.content, n, change));
    else if (instance.version > 0) parts.push(productText(product, instance.content));
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
          productText(product, instance.content),
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
    parts.push(editForm(product, process, null, instances.length + 1, change));
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

function editForm(product, process, content, n, change) {
  const form = productForm(product, content, `${product.key}${n ? `-${n}` : ""}`);
  const path = `/api/v1/processes/${enc(process.id)}/products/${enc(product.key)}${n ? `/${n}` : ""}`;
  return h(
    "form",
    {
      class: "formulier",
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        change(
          () => sendJson("PUT", path, form.read(), process.version),
          `${product.title} is opgeslagen.`,
        );
      },
    },
    form.elements,
    button(`${product.title}${n ? ` ${n}` : ""} opslaan`, undefined, {
      primary: true,
      type: "submit",
    }),
  );
}
