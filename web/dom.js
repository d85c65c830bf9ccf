// Building the page from data without innerHTML: text is always text, never markup.

export function h(tag, attributes = {}, ...children) {
  const element = tag.startsWith("svg:")
    ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
    : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

// A table that reflows on narrow screens (app.css: each row a block, each cell labelled by
// its column's header; see labelCells), inside a region that scrolls sideways should a wide
// screen still be narrower than the table, so that the page itself never does. The region is
// named after the table's caption and takes keyboard focus, so it can be scrolled without a
// mouse. Rows added later are labelled as they come.
export function dataTable(attributes, ...children) {
  const table = h("table", attributes, ...children);
  labelCells(table);
  new MutationObserver(() => labelCells(table)).observe(table, { childList: true, subtree: true });
  const caption = table.querySelector("caption")?.textContent ?? "";
  const region = { class: "tabel-scroll", role: "region", "aria-label": caption, tabindex: "0" };
  return h("div", region, table);
}

// Gives every body cell of `table` the text of its column's header (the first header row,
// column spans counted) as data-label, unless it has one. The table's parts get their ARIA
// roles explicitly, so that a reflowed table (display: block) is still read as a table.
export function labelCells(table) {
  const headers = [];
  for (const cell of table.tHead?.rows[0]?.cells ?? []) {
    for (let i = 0; i < cell.colSpan; i++) headers.push(cell.textContent.trim());
  }
  table.setAttribute("role", "table");
  for (const group of [table.tHead, ...table.tBodies, table.tFoot]) group?.setAttribute("role", "rowgroup");
  for (const row of table.rows) {
    row.setAttribute("role", "row");
    const inHead = row.parentElement === table.tHead;
    let column = 0;
    for (const cell of row.cells) {
      const header = cell.tagName === "TH";
      const columnHeader = cell.scope === "col" || (inHead && cell.scope !== "row");
      const role = !header ? "cell" : columnHeader ? "columnheader" : "rowheader";
      if (!cell.hasAttribute("role")) cell.setAttribute("role", role);
      const label = headers[column];
      if (!header && label && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", label);
      column += cell.colSpan;
    }
  }
}

export function heading(level, text, attributes = {}) {
  return h(`h${level}`, { class: `utrecht-heading-${level}`, ...attributes }, text);
}

export function paragraph(...children) {
  return h("p", { class: "utrecht-paragraph" }, ...children);
}

export function link(href, text, attributes = {}) {
  return h("a", { class: "utrecht-link", href, ...attributes }, text);
}

export function button(text, onclick, { primary = false, type = "button" } = {}) {
  const kind = primary ? "utrecht-button--primary-action" : "utrecht-button--secondary-action";
  return h("button", { class: `utrecht-button ${kind}`, type, onclick }, text);
}

// A message for the user; errors are announced by screen readers (role=alert).
export function alert(kind, text, details = []) {
  return h(
    "div",
    { class: `utrecht-alert utrecht-alert--${kind}`, role: kind === "error" ? "alert" : "status" },
    h(
      "div",
      { class: "utrecht-alert__content" },
      h("p", { class: "utrecht-alert__message utrecht-paragraph" }, text),
      details.length
        ? h(
            "ul",
            { class: "utrecht-unordered-list" },
            details.map((d) => h("li", { class: "utrecht-unordered-list__item" }, d)),
          )
        : null,
    ),
  );
}

// NL Design System's error summary: what is wrong, each linked to its field ({ id, message };
// an entry without id is not about one field). A link focuses its field without changing
// the address, because the page's route lives in the hash.
export function errorSummary(text, entries) {
  const item = ({ id, message }) =>
    h(
      "li",
      { class: "utrecht-unordered-list__item" },
      id
        ? link(`#${id}`, message, {
            onclick: (event) => {
              event.preventDefault();
              const field = document.getElementById(id);
              field?.focus();
              field?.scrollIntoView?.({ block: "center" });
            },
          })
        : message,
    );
  return h(
    "div",
    { class: "utrecht-alert utrecht-alert--error foutoverzicht", role: "alert", tabindex: "-1" },
    h(
      "div",
      { class: "utrecht-alert__content" },
      h("p", { class: "utrecht-alert__message utrecht-paragraph" }, text),
      h("ul", { class: "utrecht-unordered-list" }, entries.map(item)),
    ),
  );
}

// A field's own error message, under its label, announced with the field (aria-describedby,
// and aria-invalid on a control). `control` is inside a formField, or is a fieldset (a group
// of fields): then the message follows its legend.
export function markInvalid(control, message) {
  const errorId = `${control.id}-fout`;
  const group = control.tagName === "FIELDSET";
  const field = group ? control : control.closest(".utrecht-form-field");
  if (!field) return;
  field.querySelector(`[id="${errorId}"]`)?.remove();
  field.classList.add(group ? "utrecht-form-fieldset--invalid" : "utrecht-form-field--invalid");
  const error = h("p", { class: "utrecht-form-field-error-message", id: errorId }, message);
  const before = group
    ? control.querySelector(":scope > legend")?.nextSibling
    : field.querySelector(":scope > .utrecht-form-field__input");
  if (before) before.before(error);
  else field.append(error);
  if (!group) control.setAttribute("aria-invalid", "true");
  const described = (control.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
  if (!described.includes(errorId)) described.push(errorId);
  control.setAttribute("aria-describedby", described.join(" "));
}

// Takes away every mark of markInvalid inside `root`.
export function clearInvalid(root) {
  for (const error of root.querySelectorAll(".utrecht-form-field-error-message")) {
    const control = root.querySelector(`[aria-describedby~="${error.id}"]`);
    if (control) {
      const rest = control
        .getAttribute("aria-describedby")
        .split(" ")
        .filter((id) => id && id !== error.id);
      if (rest.length) control.setAttribute("aria-describedby", rest.join(" "));
      else control.removeAttribute("aria-describedby");
      control.removeAttribute("aria-invalid");
    }
    error.parentElement.classList.remove(
      "utrecht-form-field--invalid",
      "utrecht-form-fieldset--invalid",
    );
    error.remove();
  }
}

export function formField(id, label, control, description) {
  const descriptionId = description ? `${id}-uitleg` : undefined;
  if (descriptionId) control.setAttribute("aria-describedby", descriptionId);
  control.id = id;
  return h(
    "div",
    { class: "utrecht-form-field utrecht-form-field--text" },
    h(
      "div",
      { class: "utrecht-form-field__label" },
      h("label", { class: "utrecht-form-label", for: id }, label),
    ),
    description
      ? h(
          "div",
          {
            class: "utrecht-form-field__description utrecht-form-field-description",
            id: descriptionId,
          },
          description,
        )
      : null,
    h("div", { class: "utrecht-form-field__input" }, control),
  );
}

export function textbox(attributes = {}) {
  return h("input", {
    class: "utrecht-textbox utrecht-textbox--html-input",
    type: "text",
    ...attributes,
  });
}

export function textarea(value = "", attributes = {}) {
  const element = h("textarea", {
    class: "utrecht-textarea utrecht-textarea--html-textarea",
    rows: 4,
    ...attributes,
  });
  element.value = value;
  return element;
}

// Options are keys shown readable, or { key, title } as the API serves them.
export function select(options, value, attributes = {}) {
  const element = h(
    "select",
    { class: "utrecht-select utrecht-select--html-select", ...attributes },
    h("option", { value: "" }, "Maak een keuze"),
    options.map((option) =>
      typeof option === "string"
        ? h("option", { value: option }, readable(option))
        : h("option", { value: option.key }, option.title),
    ),
  );
  element.value = value ?? "";
  return element;
}

// "online_bijeenkomst" -> "online bijeenkomst".
export function readable(key) {
  return String(key).replaceAll("_", " ");
}

// "1 termijn", "3 termijnen".
export function count(n, singular, plural) {
  return `${n} ${n === 1 ? singular : plural}`;
}

// A calendar date ("2026-12-02") as a Dutch reader writes it: "2 december 2026".
export function formatDate(isoDate) {
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(isoDate ?? "");
  const parsed = valid ? new Date(`${isoDate}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime())) return isoDate ?? "";
  const format = { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" };
  return new Intl.DateTimeFormat("nl-NL", format).format(parsed);
}

// An instant (RFC 3339, as the API sends it) as the clock in the Netherlands showed it, the
// way the server's reports write it (engine/calendar.h, DutchDateTime): "28 december 2026 14:05".
export function formatTime(iso) {
  const parsed = new Date(iso ?? "");
  if (!iso || Number.isNaN(parsed.getTime())) return iso ?? "";
  const format = new Intl.DateTimeFormat("nl-NL", {
    timeZone: "Europe/Amsterdam",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const part = Object.fromEntries(format.formatToParts(parsed).map((p) => [p.type, p.value]));
  return `${part.day} ${part.month} ${part.year} ${part.hour}:${part.minute}`;
}
