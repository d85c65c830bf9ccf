// Validates every workflows/*.json against workflows/schema.json with Ajv (JSON Schema draft
// 2020-12, strict mode), then checks that broken variants of standaard-participatie.json are
// rejected, each at the JSON path of the mistake.
//
//   node tests/node/validate-workflows.mjs REPOSITORY_ROOT
//
// Prints one line per check and ends with "N passed, M failed"; exits 1 on any failure,
// 2 on wrong usage or missing tooling (run `npm ci` in tests/node first).

import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

const root = process.argv[2];
if (!root || process.argv.length !== 3) {
  console.error("usage: node validate-workflows.mjs REPOSITORY_ROOT");
  process.exit(2);
}

let Ajv2020;
let addFormats;
try {
  const ajvModule = await import("ajv/dist/2020.js");
  const formatsModule = await import("ajv-formats");
  Ajv2020 = ajvModule.default.default ?? ajvModule.default;
  addFormats = formatsModule.default.default ?? formatsModule.default;
} catch (error) {
  console.error(`cannot load ajv/ajv-formats (${error.message}); run \`npm ci\` in tests/node`);
  process.exit(2);
}

const workflowsDir = path.join(root, "workflows");
const schemaPath = path.join(workflowsDir, "schema.json");

let passed = 0;
let failed = 0;

function report(ok, name, detail = "") {
  if (ok) {
    passed += 1;
    console.log(`ok     ${name}`);
  } else {
    failed += 1;
    console.log(`FAILED ${name}${detail ? `: ${detail}` : ""}`);
  }
}

function describeErrors(errors) {
  return (errors ?? [])
    .map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ""}${e.params?.unevaluatedProperty ? ` '${e.params.unevaluatedProperty}'` : ""}`)
    .join("; ");
}

function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

// --- the schema itself -------------------------------------------------------------------

let validate;
try {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  validate = ajv.compile(readJson(schemaPath));
  report(true, "schema.json compiles with Ajv2020 in strict mode");
} catch (error) {
  report(false, "schema.json compiles with Ajv2020 in strict mode", error.message);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(1);
}

// --- every definition in workflows/ is valid ----------------------------------------------

const files = readdirSync(workflowsDir)
  .filter((name) => name.endsWith(".json") && name !== "schema.json")
  .sort();
report(
  files.includes("standaard-participatie.json") && files.includes("participatiebeleid.json"),
  "workflows/ holds the two reference definitions",
  `found: ${files.join(", ") || "none"}`,
);
for (const name of files) {
  let document;
  try {
    document = readJson(path.join(workflowsDir, name));
  } catch (error) {
    report(false, `workflows/${name} is valid`, `not JSON: ${error.message}`);
    continue;
  }
  const ok = validate(document);
  report(ok, `workflows/${name} is valid`, describeErrors(validate.errors));
}

// --- broken variants are rejected ---------------------------------------------------------

const reference = readJson(path.join(workflowsDir, "standaard-participatie.json"));

const index = (list, key) => {
  const i = list.findIndex((entry) => entry.key === key);
  if (i < 0) throw new Error(`reference definition has no '${key}'`);
  return i;
};
const productIndex = (doc, key) => index(doc.products, key);
const product = (doc, key) => doc.products[productIndex(doc, key)];
const fieldIndex = (doc, productKey, fieldKey) => index(product(doc, productKey).fields, fieldKey);
const field = (doc, productKey, fieldKey) =>
  product(doc, productKey).fields[fieldIndex(doc, productKey, fieldKey)];
const transitionIndex = (doc, key) => index(doc.transitions, key);
const transition = (doc, key) => doc.transitions[transitionIndex(doc, key)];
const deadlineIndex = (doc, key) => index(doc.deadlines, key);
const deadline = (doc, key) => doc.deadlines[deadlineIndex(doc, key)];

// Each variant: a mutation of a copy of the reference and the JSON path (RFC 6901) where the
// validator must report the mistake. `valid: true` marks variants that must still pass.
const variants = [
  {
    name: "unknown top-level member",
    mutate: (d) => { d.stappen = []; },
    at: () => "",
  },
  {
    name: "unknown member in a field (typo 'requird')",
    mutate: (d) => { field(d, "kadernotitie", "onderwerp").requird = true; },
    at: (d) => `/products/${productIndex(d, "kadernotitie")}/fields/${fieldIndex(d, "kadernotitie", "onderwerp")}`,
  },
  {
    name: "unknown member in a transition",
    mutate: (d) => { transition(d, "naar_gesprek").rollen = ["adviseur"]; },
    at: (d) => `/transitions/${transitionIndex(d, "naar_gesprek")}`,
  },
  {
    name: "wrong field type name 'string'",
    mutate: (d) => { field(d, "kadernotitie", "onderwerp").type = "string"; },
    at: (d) => `/products/${productIndex(d, "kadernotitie")}/fields/${fieldIndex(d, "kadernotitie", "onderwerp")}/type`,
  },
  {
    name: "unknown guard kind 'product_done'",
    mutate: (d) => { transition(d, "naar_gesprek").guards[0].kind = "product_done"; },
    at: (d) => `/transitions/${transitionIndex(d, "naar_gesprek")}/guards/0/kind`,
  },
  {
    name: "integer field with options",
    mutate: (d) => { field(d, "kadernotitie", "terugkoppeltermijn_dagen").options = ["7", "14"]; },
    at: (d) => `/products/${productIndex(d, "kadernotitie")}/fields/${fieldIndex(d, "kadernotitie", "terugkoppeltermijn_dagen")}/options`,
  },
  {
    name: "missing states",
    mutate: (d) => { delete d.states; },
    at: () => "",
  },
  {
    name: "bad key slug 'Standaard_Participatie'",
    mutate: (d) => { d.key = "Standaard_Participatie"; },
    at: () => "/key",
  },
  {
    name: "deadline unit 'weeks'",
    mutate: (d) => { deadline(d, "besluitterugkoppeling").due.add[0].unit = "weeks"; },
    at: (d) => `/deadlines/${deadlineIndex(d, "besluitterugkoppeling")}/due/add/0/unit`,
  },
  {
    name: "editable_in 'everywhere'",
    mutate: (d) => { product(d, "stopbericht").editable_in = "everywhere"; },
    at: (d) => `/products/${productIndex(d, "stopbericht")}/editable_in`,
  },
  {
    name: "enum field without options",
    mutate: (d) => { delete field(d, "kadernotitie", "besluitvormer").options; },
    at: (d) => `/products/${productIndex(d, "kadernotitie")}/fields/${fieldIndex(d, "kadernotitie", "besluitvormer")}`,
  },
  {
    name: "two start states",
    mutate: (d) => { d.states[1].start = true; },
    at: () => "/states",
  },
  {
    name: "no end state",
    mutate: (d) => { for (const s of d.states) delete s.end; },
    at: () => "/states",
  },
  {
    name: "a state both start and end",
    mutate: (d) => { d.states[0].end = true; },
    at: () => "/states/0/end",
  },
  {
    name: "role auditor acting in a transition",
    mutate: (d) => { transition(d, "naar_gesprek").roles = ["auditor"]; },
    at: (d) => `/transitions/${transitionIndex(d, "naar_gesprek")}/roles/0`,
  },
  {
    name: "version 0",
    mutate: (d) => { d.version = 0; },
    at: () => "/version",
  },
  {
    name: "generated_id on a product-level field",
    mutate: (d) => { field(d, "kadernotitie", "onderwerp").generated_id = true; },
    at: (d) => `/products/${productIndex(d, "kadernotitie")}/fields/${fieldIndex(d, "kadernotitie", "onderwerp")}/generated_id`,
  },
  {
    name: "generated_id on a non-text item field",
    mutate: (d) => {
      field(d, "gespreksverslag", "inbreng").fields[1].generated_id = true;
    },
    at: (d) => `/products/${productIndex(d, "gespreksverslag")}/fields/${fieldIndex(d, "gespreksverslag", "inbreng")}/fields/1/type`,
  },
  {
    name: "items inside items",
    mutate: (d) => {
      field(d, "gespreksverslag", "inbreng").fields[1] = {
        key: "reacties", label: "Reacties", type: "items",
        fields: [{ key: "tekst", label: "Tekst", type: "text" }],
      };
    },
    at: (d) => `/products/${productIndex(d, "gespreksverslag")}/fields/${fieldIndex(d, "gespreksverslag", "inbreng")}/fields/1/type`,
  },
  {
    name: "not_after on a text field",
    mutate: (d) => { field(d, "kadernotitie", "onderwerp").not_after = "today"; },
    at: (d) => `/products/${productIndex(d, "kadernotitie")}/fields/${fieldIndex(d, "kadernotitie", "onderwerp")}/not_after`,
  },
  {
    name: "min_items on a text field",
    mutate: (d) => { field(d, "kadernotitie", "onderwerp").min_items = 1; },
    at: (d) => `/products/${productIndex(d, "kadernotitie")}/fields/${fieldIndex(d, "kadernotitie", "onderwerp")}/min_items`,
  },
  {
    name: "required together with required_unless",
    mutate: (d) => {
      const reacties = field(d, "opbrengstendocument", "reacties");
      reacties.fields.find((f) => f.key === "motivatie").required = true;
    },
    at: (d) => {
      const reacties = field(d, "opbrengstendocument", "reacties");
      const i = reacties.fields.findIndex((f) => f.key === "motivatie");
      return `/products/${productIndex(d, "opbrengstendocument")}/fields/${fieldIndex(d, "opbrengstendocument", "reacties")}/fields/${i}/required`;
    },
  },
  {
    name: "min_count with min 0",
    mutate: (d) => { transition(d, "naar_duiden").guards.find((g) => g.kind === "min_count").min = 0; },
    at: (d) => {
      const i = transition(d, "naar_duiden").guards.findIndex((g) => g.kind === "min_count");
      return `/transitions/${transitionIndex(d, "naar_duiden")}/guards/${i}/min`;
    },
  },
  {
    name: "answered_once without item_field",
    mutate: (d) => {
      delete transition(d, "naar_terugkoppeling").guards.find((g) => g.kind === "answered_once").ids.item_field;
    },
    at: (d) => {
      const i = transition(d, "naar_terugkoppeling").guards.findIndex((g) => g.kind === "answered_once");
      return `/transitions/${transitionIndex(d, "naar_terugkoppeling")}/guards/${i}/ids`;
    },
  },
  {
    name: "motivation guard with a stray member",
    mutate: (d) => { transition(d, "terug_naar_gesprek").guards[0].product = "kadernotitie"; },
    at: (d) => `/transitions/${transitionIndex(d, "terug_naar_gesprek")}/guards/0`,
  },
  {
    name: "deadline starting on both a transition and a product save",
    mutate: (d) => { deadline(d, "terugkoppeling").starts.product_saved = "gespreksverslag"; },
    at: (d) => `/deadlines/${deadlineIndex(d, "terugkoppeling")}/starts`,
  },
  {
    name: "due term with both amount and a field",
    mutate: (d) => { deadline(d, "terugkoppeling").due.add[0].amount = 14; },
    at: (d) => `/deadlines/${deadlineIndex(d, "terugkoppeling")}/due/add/0/product`,
  },
  {
    name: "due from a string other than \"start\"",
    mutate: (d) => { deadline(d, "besluitterugkoppeling").due.from = "today"; },
    at: (d) => `/deadlines/${deadlineIndex(d, "besluitterugkoppeling")}/due/from`,
  },
  {
    name: "empty title",
    mutate: (d) => { d.title = ""; },
    at: () => "/title",
  },
  {
    name: "transition from an empty list",
    mutate: (d) => { transition(d, "naar_gesprek").from = []; },
    at: (d) => `/transitions/${transitionIndex(d, "naar_gesprek")}/from`,
  },
  {
    name: "check of an unknown kind",
    mutate: (d) => { d.checks[0].kind = "vibes"; },
    at: () => "/checks/0/kind",
  },
  {
    name: "check in a cell outside the Borgingshuis",
    mutate: (d) => { d.checks[0].cell.rol = "auditor"; },
    at: () => "/checks/0/cell/rol",
  },
  {
    name: "check with a member of another kind",
    mutate: (d) => { d.checks[1].days = 3; },
    at: () => "/checks/1",
  },
  {
    name: "improvement points without their role field",
    mutate: (d) => { delete d.improvement_points.rol; },
    at: () => "/improvement_points",
  },
  {
    name: "assignee with an item_field",
    mutate: (d) => { d.assignee.item_field = "id"; },
    at: () => "/assignee",
  },
  {
    name: "assignee without a field",
    mutate: (d) => { delete d.assignee.field; },
    at: () => "/assignee",
  },
  {
    name: "assignee as a plain string",
    mutate: (d) => { d.assignee = "capaciteit.adviseur"; },
    at: () => "/assignee",
  },
  {
    name: "a definition without an assignee is still accepted",
    valid: true,
    mutate: (d) => { delete d.assignee; },
    at: () => "",
  },
  {
    name: "optional description and help texts are still accepted",
    valid: true,
    mutate: (d) => {
      d.states[0].description = "De eerste fase.";
      product(d, "kadernotitie").description = "Het kader.";
      product(d, "kadernotitie").help = "Vul alles in.";
      transition(d, "naar_gesprek").description = "Door naar het gesprek.";
      deadline(d, "terugkoppeling").description = "Binnen de termijn.";
    },
    at: () => "",
  },
];

for (const variant of variants) {
  const name = variant.valid ? `variant accepted: ${variant.name}` : `variant rejected: ${variant.name}`;
  try {
    const document = structuredClone(reference);
    variant.mutate(document);
    const ok = validate(document);
    if (variant.valid) {
      report(ok, name, describeErrors(validate.errors));
      continue;
    }
    if (ok) {
      report(false, name, "the schema accepted it");
      continue;
    }
    const expected = variant.at(document);
    const hit = validate.errors.some((e) => e.instancePath === expected);
    report(hit, name, hit ? "" : `expected an error at '${expected || "/"}', got: ${describeErrors(validate.errors)}`);
  } catch (error) {
    report(false, name, `the check itself failed: ${error.message}`);
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
