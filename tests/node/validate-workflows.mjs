// Validates every workflows/*.json against workflows/schema.json with Ajv (JSON Schema draft
// 2020-12, strict mode), then runs the shared corpus of tests/workflows/ (which the C++ tests
// read too): each broken definition is rejected at the JSON path of the mistake, or the case
// says why only the C++ validator can see it; each valid variant is accepted.
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

// --- the shared corpus: broken definitions are refused, valid variants accepted ---------------
// tests/workflows/broken.json and valid.json are read by the C++ definition tests too; a case
// the schema accepts must say why (`schema.accepts_because`), so schema and C++ never
// disagree by accident.

const unescape = (segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~");

// RFC 6902 add, remove and replace, the operations the corpus uses.
function applyPatch(document, patch) {
  for (const { op, path: pointer, value } of patch) {
    const segments = pointer.split("/").slice(1).map(unescape);
    const last = segments.pop();
    const parent = segments.reduce((node, segment) => node[segment], document);
    if (parent === undefined || parent === null || typeof parent !== "object") {
      throw new Error(`no parent for ${pointer}`);
    }
    if (op === "remove") {
      if (Array.isArray(parent)) parent.splice(Number(last), 1); else delete parent[last];
    } else if (op === "add" && Array.isArray(parent)) {
      parent.splice(last === "-" ? parent.length : Number(last), 0, value);
    } else if (op === "add" || op === "replace") {
      parent[last] = value;
    } else {
      throw new Error(`unsupported patch operation '${op}'`);
    }
  }
  return document;
}

const workflows = new Map(files.map((name) => [name.replace(/\.json$/, ""), readJson(path.join(workflowsDir, name))]));
const corpusDir = path.join(root, "tests", "workflows");

function patched(entry) {
  const reference = workflows.get(entry.workflow);
  if (!reference) throw new Error(`unknown workflow '${entry.workflow}'`);
  return applyPatch(structuredClone(reference), entry.patch);
}

for (const entry of readJson(path.join(corpusDir, "broken.json")).cases) {
  const name = `broken ${entry.name}`;
  try {
    const { error_at: at, accepts_because: because } = entry.schema ?? {};
    if (!Array.isArray(entry.errors) || entry.errors.length === 0) {
      report(false, name, "the case names no C++ errors");
      continue;
    }
    if ((at === undefined) === (because === undefined) || (because !== undefined && !because.trim())) {
      report(false, name, "the case needs exactly one of schema.error_at and schema.accepts_because (with a reason)");
      continue;
    }
    const ok = validate(patched(entry));
    if (because !== undefined) {
      report(ok, `${name} (C++ only: ${because})`, `the schema refuses it too, so drop accepts_because: ${describeErrors(validate.errors)}`);
      continue;
    }
    if (ok) {
      report(false, name, "the schema accepted it");
      continue;
    }
    const hit = validate.errors.some((e) => e.instancePath === at);
    report(hit, name, hit ? "" : `expected an error at '${at || "/"}', got: ${describeErrors(validate.errors)}`);
  } catch (error) {
    report(false, name, `the check itself failed: ${error.message}`);
  }
}

for (const entry of readJson(path.join(corpusDir, "valid.json")).cases) {
  const name = `valid ${entry.name}`;
  try {
    const ok = validate(patched(entry));
    report(ok, name, describeErrors(validate.errors));
  } catch (error) {
    report(false, name, `the check itself failed: ${error.message}`);
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
