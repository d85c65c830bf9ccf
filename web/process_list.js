// The process list: one page of the organisation's processes in one request (GET
// /api/v1/processes: the filters, the page, each process's phase, assignee and next deadline,
// all from the server), what waits for the user's adoption in one more, and a new process.
// The filters and the page are in the address (#/processen?fase=...&na=...), so the browser's
// back button and a bookmark work.
import { getDefinition, getJson, getWorkflows, sendJson } from "./api.js";
import {
  h, heading, paragraph, link, button, alert, formField, textbox, select, dataTable, formatDate,
  formatTime,
} from "./dom.js";

const PAGE_SIZE = 50;

// The filters of the address as the API names them.
function filtersOf(params) {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (params.get("fase")) query.set("state", params.get("fase"));
  if (params.get("mijn") === "ja") query.set("mine", "true");
  if (params.get("verlopen") === "ja") query.set("overdue", "true");
  if (params.get("zoek")) query.set("q", params.get("zoek"));
  if (params.get("na")) query.set("after", params.get("na"));
  return query;
}

function nextDeadlineText(next) {
  if (!next) return "-";
  return `${formatDate(next.due)} (${next.title}${next.overdue ? ", verlopen" : ""})`;
}

function processTable(page) {
  const cell = (...children) => h("td", { class: "utrecht-table__cell" }, ...children);
  return dataTable(
    { class: "utrecht-table" },
    h("caption", { class: "utrecht-table__caption" }, "Processen van uw organisatie"),
    h(
      "thead",
      { class: "utrecht-table__header" },
      h(
        "tr",
        { class: "utrecht-table__row" },
        ["Titel", "Fase", "Eerstvolgende termijn", "Toegewezen aan", "Laatst gewijzigd"].map((t) =>
          h("th", { class: "utrecht-table__header-cell", scope: "col" }, t),
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
          cell(link(`#/processen/${encodeURIComponent(p.id)}`, p.title)),
          cell(p.state_title),
          cell(nextDeadlineText(p.next_deadline)),
          cell(p.assignee ? (p.assignee.name ?? p.assignee.id) : "-"),
          cell(formatTime(p.updated_at ?? p.created_at)),
        ),
      ),
    ),
  );
}

function filterForm(params, phases) {
  const phase = select(phases, params.get("fase") ?? "");
  phase.querySelector("option[value='']").textContent = "Alle fasen";
  const search = textbox({ value: params.get("zoek") ?? "", maxlength: 200 });
  const checkbox = (name) => {
    const box = h("input", { type: "checkbox", class: "utrecht-checkbox", id: `filter-${name}` });
    box.checked = params.get(name) === "ja";
    return box;
  };
  const mine = checkbox("mijn");
  const overdue = checkbox("verlopen");
  const choice = (box, text) =>
    h("div", { class: "keuze" }, box, " ", h("label", { for: box.id }, text));
  return h(
    "form",
    {
      class: "formulier filters",
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        const next = new URLSearchParams();
        if (phase.value) next.set("fase", phase.value);
        if (search.value.trim()) next.set("zoek", search.value.trim());
        if (mine.checked) next.set("mijn", "ja");
        if (overdue.checked) next.set("verlopen", "ja");
        location.hash = `#/processen?${next}`;
      },
    },
    formField("filter-fase", "Fase", phase),
    formField("filter-zoek", "Zoekterm", search, "Een deel van de titel van het proces."),
    choice(mine, "Alleen aan mij toegewezen"),
    choice(overdue, "Alleen met een verlopen termijn"),
    button("Toon", undefined, { type: "submit" }),
  );
}

// "Volgende pagina" follows the server's `next`; "Eerste pagina" starts again.
function pager(params, page) {
  const parts = [];
  if (page.total > 0) {
    const where = params.get("na") ? " (vervolgpagina)" : "";
    parts.push(paragraph(`${page.items.length} van ${page.total} getoond${where}.`));
  }
  const links = [];
  if (params.get("na")) {
    const first = new URLSearchParams(params);
    first.delete("na");
    links.push(link(`#/processen?${first}`, "Eerste pagina"));
  }
  if (page.next) {
    const following = new URLSearchParams(params);
    following.set("na", page.next);
    links.push(link(`#/processen?${following}`, "Volgende pagina"));
  }
  if (links.length) parts.push(h("nav", { class: "pager", "aria-label": "Pagina's" }, links));
  return parts;
}

// What waits for the user's adoption: first what the author offered ("ter vaststelling
// aangeboden"), then versions still in preparation, which bestuur may adopt but need not.
function waitingList(waiting) {
  if (!waiting?.items.length) return [];
  const item = (w) =>
    h(
      "li",
      { class: "utrecht-unordered-list__item" },
      link(
        `#/processen/${encodeURIComponent(w.process.id)}`,
        `${w.product.title} van ${w.process.title}`,
      ),
      w.offered
        ? ` (versie ${w.version}, aangeboden op ${formatTime(w.offered.at)}` +
            `${w.offered.by?.name ? ` door ${w.offered.by.name}` : ""})`
        : ` (versie ${w.version}, opgeslagen op ${formatTime(w.saved_at)}, nog niet aangeboden)`,
    );
  const offered = waiting.items.filter((w) => w.offered);
  const preparing = waiting.items.filter((w) => !w.offered);
  return [
    heading(2, "Wacht op uw vaststelling"),
    offered.length
      ? h("ul", { class: "utrecht-unordered-list" }, offered.map(item))
      : paragraph("Er is nu niets ter vaststelling aangeboden."),
    preparing.length ? heading(3, "In voorbereiding") : null,
    preparing.length ? h("ul", { class: "utrecht-unordered-list" }, preparing.map(item)) : null,
    waiting.next ? paragraph(`En meer: ${waiting.total} in totaal.`) : null,
  ];
}

function newProcessForm(list, definitions) {
  const title = textbox({ required: true, maxlength: 200 });
  // With more than one definition nothing is preselected: the choice is the user's.
  const workflow = select(
    list.map((w) => ({ key: w.key, title: definitions[w.key]?.title ?? w.title })),
    list.length === 1 ? list[0].key : "",
  );
  const message = h("div", {});
  return [
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
  ];
}

export async function processListView(may, show) {
  const params = new URLSearchParams(location.hash.split("?")[1] ?? "");
  const [page, waiting, workflows] = await Promise.all([
    getJson(`/api/v1/processes?${filtersOf(params)}`),
    may("adopt_products") ? getJson("/api/v1/adoptions?status=open").catch(() => null) : null,
    getWorkflows(),
  ]);
  const list = workflows.items ?? workflows;
  // The phases to filter on, from the definitions (each fetched once per page load).
  const definitions = Object.fromEntries(
    await Promise.all(list.map(async (w) => [w.key, await getDefinition(w.key, w.version)])),
  );
  const phases = [];
  for (const definition of Object.values(definitions)) {
    for (const state of definition.states) {
      if (!phases.some((p) => p.key === state.key)) phases.push({ key: state.key, title: state.title });
    }
  }
  const filtered = ["fase", "zoek", "mijn", "verlopen"].some((name) => params.get(name));
  const parts = [heading(1, "Processen"), ...waitingList(waiting), filterForm(params, phases)];
  if (page.items.length === 0) {
    parts.push(
      paragraph(filtered ? "Geen processen die aan deze keuze voldoen." : "Er zijn nog geen processen."),
    );
  } else {
    parts.push(processTable(page));
  }
  parts.push(...pager(params, page));
  if (may("create_process")) parts.push(...newProcessForm(list, definitions));
  show("Processen", ...parts);
}
