// A form for one process product, generated from the field types of the workflow definition
// (docs/workflow-format.md): text, longtext, date, integer, enum, enumlist, textlist, items.
// `read()` gives the content to PUT: empty fields are left out ("geen waarde").
import { h, formField, textbox, textarea, select, readable, button } from "./dom.js";

let counter = 0;
const uniqueId = (prefix) => `${prefix}-${++counter}`;

function fieldControl(field, value, idPrefix) {
  const id = uniqueId(`${idPrefix}-${field.key}`);
  const label = field.required ? `${field.label} (verplicht)` : field.label;
  const help = field.help;
  switch (field.type) {
    case "longtext": {
      const control = textarea(value ?? "");
      return {
        element: formField(id, label, control, help),
        read: () => control.value.trim() || undefined,
      };
    }
    case "date": {
      const control = textbox({ type: "date", value: value ?? "" });
      return {
        element: formField(id, label, control, help),
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
        read: () => (control.value === "" ? undefined : Number(control.value)),
      };
    }
    case "enum": {
      const control = select(field.options, value);
      return {
        element: formField(id, label, control, help),
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
              readable(option),
            ),
          ),
        };
      });
      const element = h(
        "fieldset",
        { class: "utrecht-form-fieldset" },
        h("legend", { class: "utrecht-form-fieldset__legend" }, label),
        boxes.map((b) => b.element),
      );
      return {
        element,
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
        read: () => {
          const list = control.value
            .split("\n")
            .map((s) => s.trim())
            .filter(Boolean);
          return list.length ? list : undefined;
        },
      };
    }
    case "items":
      return itemsControl(field, value ?? [], id, label);
    default: {
      const control = textbox({ value: value ?? "" });
      return {
        element: formField(id, label, control, help),
        read: () => control.value.trim() || undefined,
      };
    }
  }
}

// A list of rows, each with the item's own fields; rows can be added and removed.
function itemsControl(field, rows, id, label) {
  const list = h("ol", { class: "rijen" });
  const readers = [];
  const addRow = (row = {}) => {
    const number = readers.length + 1;
    const generated = field.fields.filter((f) => f.generated_id);
    const editable = field.fields.filter((f) => !f.generated_id);
    const controls = editable.map((f) => ({
      key: f.key,
      ...fieldControl(f, row[f.key], `${id}-rij`),
    }));
    const entry = {
      read: () => {
        const item = {};
        for (const g of generated) if (row[g.key]) item[g.key] = row[g.key];
        for (const c of controls) {
          const v = c.read();
          if (v !== undefined) item[c.key] = v;
        }
        return item;
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
  };
  rows.forEach(addRow);
  const element = h(
    "fieldset",
    { class: "utrecht-form-fieldset items" },
    h("legend", { class: "utrecht-form-fieldset__legend" }, label),
    list,
    button(`Regel toevoegen aan ${field.label}`, () => addRow()),
  );
  return {
    element,
    read: () => {
      const items = readers.map((r) => r.read()).filter((i) => Object.keys(i).length);
      return items.length ? items : undefined;
    },
  };
}

// The fields of `product` filled from `content`; returns { element, read }.
export function productForm(product, content, idPrefix) {
  const controls = product.fields.map((field) => ({
    key: field.key,
    ...fieldControl(field, content?.[field.key], idPrefix),
  }));
  return {
    elements: controls.map((c) => c.element),
    read: () => {
      const result = {};
      for (const c of controls) {
        const v = c.read();
        if (v !== undefined) result[c.key] = v;
      }
      return result;
    },
  };
}

// The content read-only, as a description list: what bestuur adopts, exactly as stored.
export function productText(product, content) {
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
                    Array.isArray(item[f.key]) ? item[f.key].join(", ") : readable(item[f.key]),
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
        value.map((v) => h("li", {}, field.type === "enumlist" ? readable(v) : v)),
      );
    return field.type === "enum" ? readable(value) : String(value);
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
