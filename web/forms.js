// A form for one process product, generated from the field types of the workflow definition
// (docs/workflow-format.md): text, longtext, date, integer, enum, enumlist, textlist, items,
// user. `read()` gives the content to PUT: empty fields are left out ("geen waarde").
//
// The context a form is built in: { definition, process, colleagues } (colleagues: the
// organisation's people from GET /api/v1/colleagues), so that a user field offers people by
// name and an items field that answers other items (an answered_once guard) gets one row per
// item to answer, with nothing to type but the answer.
import { h, formField, textbox, textarea, select, readable, button, markInvalid } from "./dom.js";

let counter = 0;
const uniqueId = (prefix) => `${prefix}-${++counter}`;

// Where a problem's field path points (see locateIn): the id to link to and how to mark it.
const target = (control) => ({ id: control.id, mark: (message) => markInvalid(control, message) });

// The control of the field path `path` ("doel", "inbreng[2].tekst") among `controls`
// ({ key, locate }), or null when there is none.
function locateIn(controls, path) {
  const match = /^([^.[]+)(.*)$/.exec(path ?? "");
  const control = match && controls.find((c) => c.key === match[1]);
  return control ? control.locate(match[2].replace(/^\./, "")) : null;
}

// For a list of rows: `rest` is "[n]" or "[n].field" of the n-th row as saved (rows left
// empty are not saved, so they are not counted); else the list as a whole.
function locateRow(rows, rest, whole) {
  const match = /^\[(\d+)\](?:\.(.+))?$/.exec(rest);
  const row = match ? rows[Number(match[1]) - 1] : null;
  if (!row) return whole;
  return (match[2] && locateIn(row.controls, match[2])) ?? whole;
}

// The values of `controls` ({ key, read }) as an object: fields without a value are left out.
function readControls(controls, into = {}) {
  for (const c of controls) {
    const v = c.read();
    if (v !== undefined) into[c.key] = v;
  }
  return into;
}

// What a person reads for an option: the definition's label, or the key made readable.
export function optionLabel(field, option) {
  return field.option_labels?.[option] ?? readable(option);
}

const optionsOf = (field) => field.options.map((key) => ({ key, title: optionLabel(field, key) }));

// A user field: the active colleagues with the field's role, by name. A chosen user who can
// no longer be chosen (deactivated) stays visible, so that a save does not silently drop them.
function userSelect(field, value, colleagues) {
  const choosable = colleagues
    .filter((c) => c.role === field.role && c.active)
    .map((c) => ({ key: c.id, title: c.name }));
  if (value && !choosable.some((c) => c.key === value)) {
    const known = colleagues.find((c) => c.id === value);
    choosable.push({ key: value, title: known ? `${known.name} (gedeactiveerd)` : value });
  }
  return select(choosable, value);
}

function fieldControl(field, value, idPrefix, context) {
  const id = uniqueId(`${idPrefix}-${field.key}`);
  const label = field.required ? `${field.label} (verplicht)` : field.label;
  const help = field.help;
  switch (field.type) {
    case "longtext": {
      const control = textarea(value ?? "");
      return {
        element: formField(id, label, control, help),
        locate: () => target(control),
        read: () => control.value.trim() || undefined,
      };
    }
    case "date": {
      const control = textbox({ type: "date", value: value ?? "" });
      return {
        element: formField(id, label, control, help),
        locate: () => target(control),
        read: () => control.value || undefined,
      };
    }
    case "integer": {
      const control = textbox({
        type: "number",
        step: 1,
        min: field.min,
        max: field.max,
        value: value ?? "",
        inputmode: "numeric",
      });
      return {
        element: formField(id, label, control, help),
        locate: () => target(control),
        read: () => (control.value === "" ? undefined : Number(control.value)),
      };
    }
    case "user": {
      const control = userSelect(field, value, context?.colleagues ?? []);
      return {
        element: formField(id, label, control, help),
        locate: () => target(control),
        read: () => control.value || undefined,
      };
    }
    case "enum": {
      const control = select(optionsOf(field), value);
      return {
        element: formField(id, label, control, help),
        locate: () => target(control),
        read: () => control.value || undefined,
      };
    }
    case "enumlist": {
      const chosen = new Set(value ?? []);
      const boxes = field.options.map((option) => {
        const boxId = uniqueId(`${id}-${option}`);
        const box = h("input", {
          type: "checkbox",
          class: "utrecht-checkbox utrecht-checkbox--html-input",
          id: boxId,
          value: option,
          checked: chosen.has(option),
        });
        return {
          box,
          element: h(
            "div",
            { class: "keuze" },
            box,
            h(
              "label",
              { class: "utrecht-form-label utrecht-form-label--checkbox", for: boxId },
              optionLabel(field, option),
            ),
          ),
        };
      });
      const element = h(
        "fieldset",
        { class: "utrecht-form-fieldset", id, tabindex: "-1" },
        h("legend", { class: "utrecht-form-fieldset__legend" }, label),
        boxes.map((b) => b.element),
      );
      return {
        element,
        locate: () => target(element),
        read: () => {
          const list = boxes.filter((b) => b.box.checked).map((b) => b.box.value);
          return list.length ? list : undefined;
        },
      };
    }
    case "textlist": {
      const control = textarea((value ?? []).join("\n"));
      const description = [help, "Eén per regel."].filter(Boolean).join(" ");
      return {
        element: formField(id, label, control, description),
        locate: () => target(control),
        read: () => {
          const list = control.value
            .split("\n")
            .map((s) => s.trim())
            .filter(Boolean);
          return list.length ? list : undefined;
        },
      };
    }
    case "items": {
      const answered = context?.answers?.(field);
      return answered
        ? answersControl(field, value ?? [], answered, id, label, context)
        : itemsControl(field, value ?? [], id, label, context);
    }
    default: {
      const control = textbox({ value: value ?? "" });
      return {
        element: formField(id, label, control, help),
        locate: () => target(control),
        read: () => control.value.trim() || undefined,
      };
    }
  }
}

// One row per item to answer (`answered`: { key, items: [{ id, text, source }] }), with that
// item's text to read and the answer's own fields to fill; nothing is typed to link them. A
// stored answer to an item that is no longer there keeps its row, marked, so it is not lost.
function answersControl(field, rows, answered, id, label, context) {
  const byId = new Map(rows.map((row) => [row[answered.key], row]));
  const targets = [...answered.items];
  for (const row of rows) {
    if (!targets.some((t) => t.id === row[answered.key])) {
      targets.push({ id: row[answered.key], text: null, source: null });
    }
  }
  const own = field.fields.filter((f) => f.key !== answered.key);
  const entries = targets.map((answer, index) => {
    const row = byId.get(answer.id) ?? {};
    const controls = own.map((f) => ({
      key: f.key,
      ...fieldControl(f, row[f.key], `${id}-${index + 1}`, context),
    }));
    const element = h(
      "li",
      { class: "rij" },
      h(
        "fieldset",
        { class: "utrecht-form-fieldset" },
        h(
          "legend",
          { class: "utrecht-form-fieldset__legend" },
          // The kenmerk too: the process's checks name a point by it.
          answer.source ? `${answer.source}, punt ${answer.number} (${answer.id})` : answer.id,
        ),
        answer.text === null
          ? h("p", { class: "utrecht-paragraph" }, "Dit punt bestaat niet meer in de verslagen.")
          : h("blockquote", { class: "beantwoord" }, answer.text),
        controls.map((c) => c.element),
      ),
    );
    return {
      element,
      controls,
      read: () => {
        const item = readControls(controls);
        return Object.keys(item).length ? { [answered.key]: answer.id, ...item } : null;
      },
    };
  });
  const element = h(
    "fieldset",
    { class: "utrecht-form-fieldset items", id, tabindex: "-1" },
    h("legend", { class: "utrecht-form-fieldset__legend" }, label),
    targets.length
      ? h("ol", { class: "rijen" }, entries.map((e) => e.element))
      : h("p", { class: "utrecht-paragraph" }, "Er is nog geen inbreng om op te reageren."),
  );
  let saved = []; // the rows the last read() gave, in order: what a problem's [n] counts
  return {
    element,
    locate: (rest) => locateRow(saved, rest, target(element)),
    read: () => {
      saved = entries.filter((e) => e.read());
      const items = saved.map((e) => e.read());
      return items.length ? items : undefined;
    },
  };
}

// The items a field answers, from the definition's answered_once guards: when `field` of
// `productKey` is a guard's `answers`, one entry per item of its `ids` in the process (in the
// order of the product's instances), with the item's first text field as what it says.
export function answersFor(definition, process, productKey) {
  const guards = [
    ...definition.transitions.flatMap((t) => t.guards ?? []),
    ...(definition.checks ?? []).flatMap((c) => c.guards ?? []),
  ].filter((g) => g.kind === "answered_once" && g.answers.product === productKey);
  return (field) => {
    const guard = guards.find((g) => g.answers.field === field.key);
    if (!guard) return null;
    const source = definition.products.find((p) => p.key === guard.ids.product);
    const itemsField = source?.fields.find((f) => f.key === guard.ids.field);
    const textField = itemsField?.fields.find(
      (f) => (f.type === "longtext" || f.type === "text") && !f.generated_id,
    );
    const instances = [process.products[guard.ids.product] ?? []].flat();
    const items = instances.flatMap((instance, index) =>
      (instance.content?.[guard.ids.field] ?? []).map((item, number) => ({
        id: item[guard.ids.item_field],
        text: textField ? (item[textField.key] ?? "") : "",
        number: number + 1,
        source: source.repeating ? `${source.title} ${instance.instance ?? index + 1}` : source.title,
      })),
    );
    return { key: guard.answers.item_field, items: items.filter((i) => i.id) };
  };
}

// A list of rows, each with the item's own fields; rows can be added and removed.
function itemsControl(field, rows, id, label, context) {
  const list = h("ol", { class: "rijen" });
  const readers = [];
  const addRow = (row = {}) => {
    const number = readers.length + 1;
    const generated = field.fields.filter((f) => f.generated_id);
    const editable = field.fields.filter((f) => !f.generated_id);
    const controls = editable.map((f) => ({
      key: f.key,
      ...fieldControl(f, row[f.key], `${id}-rij`, context),
    }));
    const entry = {
      controls,
      read: () => {
        const item = {};
        for (const g of generated) if (row[g.key]) item[g.key] = row[g.key];
        return readControls(controls, item);
      },
    };
    const element = h(
      "li",
      { class: "rij" },
      h(
        "fieldset",
        { class: "utrecht-form-fieldset" },
        h(
          "legend",
          { class: "utrecht-form-fieldset__legend" },
          `${field.label} ${number}`,
          generated.map((g) => (row[g.key] ? ` (${g.label}: ${row[g.key]})` : "")),
        ),
        controls.map((c) => c.element),
        button(`${field.label} ${number} verwijderen`, () => {
          readers.splice(readers.indexOf(entry), 1);
          element.remove();
        }),
      ),
    );
    readers.push(entry);
    list.append(element);
    return element;
  };
  rows.forEach((row) => addRow(row));
  const element = h(
    "fieldset",
    { class: "utrecht-form-fieldset items", id, tabindex: "-1" },
    h("legend", { class: "utrecht-form-fieldset__legend" }, label),
    list,
    // The new row's first field takes the focus, so the user types on where they are.
    button(`${field.label} toevoegen`, () =>
      addRow().querySelector("input, textarea, select")?.focus(),
    ),
  );
  let saved = []; // the rows the last read() gave, in order: what a problem's [n] counts
  return {
    element,
    locate: (rest) => locateRow(saved, rest, target(element)),
    read: () => {
      saved = readers.filter((r) => Object.keys(r.read()).length);
      const items = saved.map((r) => r.read());
      return items.length ? items : undefined;
    },
  };
}

// The fields of `product` filled from `content`; returns { element, read }.
export function productForm(product, content, idPrefix, context) {
  const controls = product.fields.map((field) => ({
    key: field.key,
    ...fieldControl(field, content?.[field.key], idPrefix, context),
  }));
  return {
    elements: controls.map((c) => c.element),
    read: () => readControls(controls),
    // { id, mark } of the control a problem's field path names, or null (see locateIn).
    locate: (path) => locateIn(controls, path),
  };
}

// The content read-only, as a description list: what bestuur adopts, exactly as stored.
// `people` ({ id: name }) names the users of user fields.
export function productText(product, content, people = {}) {
  const show = (field, value) => {
    if (value === undefined || value === null || value === "") return "-";
    if (field.type === "items") {
      return h(
        "ol",
        {},
        value.map((item) =>
          h(
            "li",
            {},
            field.fields.map((f) =>
              item[f.key] === undefined
                ? null
                : h(
                    "div",
                    {},
                    `${f.label}: `,
                    Array.isArray(item[f.key])
                      ? item[f.key].join(", ")
                      : f.options
                        ? optionLabel(f, item[f.key])
                        : item[f.key],
                  ),
            ),
          ),
        ),
      );
    }
    if (Array.isArray(value))
      return h(
        "ul",
        {},
        value.map((v) => h("li", {}, field.type === "enumlist" ? optionLabel(field, v) : v)),
      );
    if (field.type === "user") return people[value] ?? value;
    return field.type === "enum" ? optionLabel(field, value) : String(value);
  };
  return h(
    "dl",
    { class: "inhoud" },
    product.fields.flatMap((field) => [
      h("dt", {}, field.label),
      h("dd", {}, show(field, content?.[field.key])),
    ]),
  );
}
