// The manager's overview of open deadlines (with a bar chart per advisor and the CSV) and the
// organisation's Borgingshuis.
import { getJson, request } from "./api.js";
import {
  h, heading, paragraph, link, button, formField, textbox, select, dataTable, count, formatDate,
} from "./dom.js";
import { handOverForm, reminderForm, reminderText } from "./follow_up.js";

const STATUS = { overdue: "Verlopen", due_soon: "Binnenkort", open: "Alle open" };

// One bar per assignee; the numbers are in the text too, so nothing depends on colour or size.
// Bars are HTML, not a drawing: the names stay readable at 375 px and grow with the text.
function barChart(counts) {
  const max = Math.max(1, ...counts.map((c) => c.count));
  const bar = (c) => {
    const element = h("span", { class: "grafiek__balk" });
    element.style.width = `${Math.max(1, (c.count / max) * 100)}%`;
    return element;
  };
  return h(
    "figure",
    { class: "grafiek" },
    h(
      "ul",
      { class: "grafiek__rijen" },
      counts.map((c) =>
        h(
          "li",
          { class: "grafiek__rij" },
          h("span", { class: "grafiek__label" }, c.label),
          h("span", { class: "grafiek__spoor" }, bar(c)),
          h("span", { class: "grafiek__aantal" }, String(c.count)),
        ),
      ),
    ),
    h("figcaption", {}, "Aantal termijnen per toegewezen adviseur"),
  );
}

// What can be done about a late deadline: who was reminded when, and for a manager the
// reminder and the hand-over, in the row itself.
function followUpCell(item, manages, candidates) {
  const assigneeCell = h(
    "td",
    { class: "utrecht-table__cell" },
    item.assignee?.name ?? item.assignee?.id ?? "niet toegewezen",
  );
  const reminded = h("p", { class: "utrecht-paragraph" }, reminderText(item.last_reminder));
  const actions = [reminded];
  let version = item.process.version;
  const current = () => version;
  if (manages && item.assignee) {
    actions.push(
      reminderForm(item.process.id, item.deadline, item.assignee.name, current, (view) => {
        version = view.version;
        const deadline = view.deadlines.find(
          (d) => d.key === item.deadline.key && d.instance === item.deadline.instance,
        );
        const last = deadline?.last_reminder;
        reminded.textContent = reminderText(last, view.people?.[last?.by.user]);
      }),
    );
  }
  if (manages && item.assignee) {
    actions.push(
      handOverForm(item.process.id, "", item.assignee.id, candidates(item), current, (view) => {
        version = view.version;
        assigneeCell.textContent = view.people?.[view.assignee] ?? view.assignee;
      }),
    );
  }
  return [assigneeCell, h("td", { class: "utrecht-table__cell" }, actions)];
}

export async function deadlinesView(show, me) {
  const params = new URLSearchParams(location.hash.split("?")[1] ?? "");
  const status = STATUS[params.get("status")] ? params.get("status") : "overdue";
  const days = params.get("days") ?? "14";
  const query = new URLSearchParams({ status, ...(status === "due_soon" ? { days } : {}) });
  const manages = me?.actions?.includes("manage_processes");
  const [overview, colleagues] = await Promise.all([
    getJson(`/api/v1/deadlines?${query}`),
    manages ? getJson("/api/v1/colleagues") : { items: [] },
  ]);
  // A process goes over to a colleague with the role of the one it is assigned to now.
  const roleOf = new Map(colleagues.items.map((c) => [c.id, c.role]));
  const candidates = (item) =>
    colleagues.items.filter((c) => c.active && c.role === roleOf.get(item.assignee?.id));

  const statusSelect = select(Object.keys(STATUS), status);
  statusSelect.querySelectorAll("option").forEach((o) => {
    if (STATUS[o.value]) o.textContent = STATUS[o.value];
  });
  const daysBox = textbox({ type: "number", min: 0, max: 366, value: days });
  const filters = h(
    "form",
    {
      class: "formulier filters",
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        const filter = new URLSearchParams({ status: statusSelect.value, days: daysBox.value });
        location.hash = `#/termijnen?${filter}`;
      },
    },
    formField("filter-status", "Welke termijnen", statusSelect),
    formField("filter-dagen", "Binnen hoeveel dagen (bij binnenkort)", daysBox),
    button("Toon", undefined, { type: "submit" }),
  );

  const download = button("Download als CSV", async () => {
    const response = await request("GET", `/api/v1/deadlines?${query}`, { accept: "text/csv" });
    const url = URL.createObjectURL(await response.blob());
    const anchor = h("a", { href: url, download: `termijnen-${status}.csv` });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    URL.revokeObjectURL(url);
  });

  const table =
    overview.items.length === 0
      ? paragraph("Geen termijnen die aan deze keuze voldoen.")
      : dataTable(
          { class: "utrecht-table" },
          h(
            "caption",
            { class: "utrecht-table__caption" },
            `${STATUS[status]}: ${count(overview.total, "termijn", "termijnen")}, ` +
              `vandaag is ${formatDate(overview.today)}`,
          ),
          h(
            "thead",
            { class: "utrecht-table__header" },
            h(
              "tr",
              { class: "utrecht-table__row" },
              ["Proces", "Fase", "Termijn", "Uiterste datum", "Dagen", "Adviseur", "Opvolging"].map(
                (t) => h("th", { class: "utrecht-table__header-cell", scope: "col" }, t),
              ),
            ),
          ),
          h(
            "tbody",
            { class: "utrecht-table__body" },
            overview.items.map((item) =>
              h(
                "tr",
                { class: `utrecht-table__row${item.overdue ? " rij--te-laat" : ""}` },
                h(
                  "td",
                  { class: "utrecht-table__cell" },
                  h(
                    "a",
                    {
                      class: "utrecht-link",
                      href: `#/processen/${encodeURIComponent(item.process.id)}`,
                    },
                    item.process.title,
                  ),
                ),
                h("td", { class: "utrecht-table__cell" }, item.process.state_title),
                h("td", { class: "utrecht-table__cell" }, item.deadline.title),
                h("td", { class: "utrecht-table__cell" }, formatDate(item.deadline.due)),
                h(
                  "td",
                  { class: `utrecht-table__cell${item.overdue ? " te-laat" : ""}` },
                  item.overdue
                    ? `${count(item.days_overdue, "dag", "dagen")} te laat`
                    : `nog ${count(item.days_left, "dag", "dagen")}`,
                ),
                followUpCell(item, manages, candidates),
              ),
            ),
          ),
        );

  show(
    "Termijnen",
    heading(1, "Termijnen"),
    filters,
    overview.counts.length ? barChart(overview.counts) : null,
    table,
    h("p", { class: "utrecht-paragraph" }, download),
  );
}

// An indicator's figure with what it is made of: "33% (1 van 3 processen)".
function measured(indicator) {
  if (indicator.percentage === null) return "nog geen meting";
  const counted = indicator.voldaan + indicator.niet_voldaan;
  return `${indicator.percentage}% (${indicator.voldaan} van ${count(counted, "proces", "processen")})`;
}

// What an indicator's list shows per status, and how a status reads after "n processen".
const STATUSES = {
  niet_voldaan: { tab: "Voldoet niet", caption: "Processen die niet voldoen" },
  voldaan: { tab: "Voldoet", caption: "Processen die voldoen" },
  niet_van_toepassing: { tab: "Niet van toepassing", caption: "Processen waarvoor het nog niet geldt" },
};

function indicatorHref(indicator, status, after) {
  const path = `#/borgingshuis/${encodeURIComponent(indicator.workflow.key)}/` +
    encodeURIComponent(indicator.key);
  const params = new URLSearchParams({ status });
  if (after) params.set("na", after);
  return `${path}?${params}`;
}

// The link from a percentage to the processes it counts: first those that lack it.
function evidenceLink(indicator) {
  if (indicator.niet_voldaan > 0) {
    const lacking = indicator.niet_voldaan === 1
      ? "1 proces voldoet niet"
      : `${indicator.niet_voldaan} processen voldoen niet`;
    return link(indicatorHref(indicator, "niet_voldaan"), lacking);
  }
  if (indicator.voldaan > 0) return link(indicatorHref(indicator, "voldaan"), "Bekijk de processen");
  // Not measured yet: the processes it does not apply to yet say why.
  return link(indicatorHref(indicator, "niet_van_toepassing"), "Waarom nog niet?");
}

// #/borgingshuis/{workflow}/{check}?status=S&na=CURSOR: the processes behind one indicator,
// a page at a time, each linked to its process page.
async function indicatorView(show, workflow, check, params) {
  const status = STATUSES[params.get("status")] ? params.get("status") : "niet_voldaan";
  const query = new URLSearchParams({ status, limit: "50" });
  if (params.get("na")) query.set("after", params.get("na"));
  const page = await getJson(
    `/api/v1/borgingshuis/indicators/${encodeURIComponent(workflow)}/` +
      `${encodeURIComponent(check)}/processes?${query}`,
  );
  const indicator = { ...page.indicator };
  const tabs = h(
    "nav",
    { class: "pager", "aria-label": "Processen per uitkomst" },
    Object.entries(STATUSES).map(([key, labels]) =>
      link(
        indicatorHref(indicator, key),
        `${labels.tab} (${indicator[key]})`,
        key === status ? { "aria-current": "page" } : {},
      ),
    ),
  );
  const cell = (...children) => h("td", {}, ...children);
  const table = page.items.length
    ? dataTable(
        {},
        h("caption", {}, STATUSES[status].caption),
        h(
          "thead",
          {},
          h("tr", {}, ["Proces", "Fase", "Adviseur"].map((c) => h("th", { scope: "col" }, c))),
        ),
        h(
          "tbody",
          {},
          page.items.map((p) =>
            h(
              "tr",
              {},
              cell(link(`#/processen/${encodeURIComponent(p.id)}`, p.title)),
              cell(p.state_title),
              cell(p.assignee ? (p.assignee.name ?? "onbekend") : "niet toegewezen"),
            ),
          ),
        ),
      )
    : paragraph("Geen processen.");
  const more = [];
  if (params.get("na")) more.push(link(indicatorHref(indicator, status), "Eerste pagina"));
  if (page.next) more.push(link(indicatorHref(indicator, status, page.next), "Volgende pagina"));
  show(
    indicator.title,
    heading(1, indicator.title),
    paragraph(
      `${indicator.workflow.title}, Borgingshuis ${indicator.cell.niveau} × ${indicator.cell.rol}: ` +
        measured(indicator),
    ),
    tabs,
    table,
    page.total > page.items.length ? paragraph(`${page.items.length} van ${page.total} getoond.`) : null,
    more.length ? h("nav", { class: "pager", "aria-label": "Pagina's" }, more) : null,
    paragraph(link("#/borgingshuis", "Terug naar het Borgingshuis")),
  );
}

export async function borgingshuisView(show, hash = "#/borgingshuis", me = null) {
  const [path, search] = hash.split("?");
  const parts = path.split("/");
  if (parts.length === 4) {
    return indicatorView(
      show,
      decodeURIComponent(parts[2]),
      decodeURIComponent(parts[3]),
      new URLSearchParams(search ?? ""),
    );
  }
  const house = await getJson("/api/v1/borgingshuis");
  // The server sends the cells row by row; the levels and roles are theirs, in that order.
  const levels = [...new Set(house.cells.map((c) => c.niveau))];
  const roles = [...new Set(house.cells.map((c) => c.rol))];
  const cell = (niveau, rol) => house.cells.find((c) => c.niveau === niveau && c.rol === rol);
  const grid = dataTable(
    { class: "borgingshuis" },
    h(
      "caption",
      {},
      `Borgingshuis van ${me?.organisation_name || house.organisation} ` +
        `(${count(house.processes, "proces", "processen")})`,
    ),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("td", {}),
        roles.map((r) => h("th", { scope: "col" }, r)),
      ),
    ),
    h(
      "tbody",
      {},
      levels.map((niveau) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, niveau),
          roles.map((rol) => {
            const c = cell(niveau, rol);
            return h(
              "td",
              { class: `signaal signaal--${c.signal}` },
              h("strong", {}, `Signaal: ${c.signal}`),
              c.indicators.length
                ? h(
                    "ul",
                    {},
                    c.indicators.map((i) =>
                      h("li", {}, `${i.title}: ${measured(i)} `, evidenceLink(i)),
                    ),
                  )
                : h("p", {}, "Geen indicatoren."),
              c.verbeterpunten.total
                ? h(
                    "details",
                    {},
                    h("summary", {}, count(c.verbeterpunten.total, "verbeterpunt", "verbeterpunten")),
                    h(
                      "ul",
                      {},
                      c.verbeterpunten.items.map((v) =>
                        h("li", {}, `${v.tekst} (${v.process.title})`),
                      ),
                    ),
                  )
                : null,
            );
          }),
        ),
      ),
    ),
  );
  show(
    "Borgingshuis",
    heading(1, "Borgingshuis"),
    paragraph(
      "Per niveau en rol: hoe zorgvuldig de processen van de organisatie lopen. " +
        "Groen vanaf 80%, oranje vanaf 50%, anders rood; grijs zonder meting.",
    ),
    grid,
  );
}
