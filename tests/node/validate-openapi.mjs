// Checks api/http/openapi.json, the OpenAPI document that navolg serves at GET /api/v1/openapi.json:
//
//   1. a real OpenAPI validator (@seriousme/openapi-schema-validator, offline) accepts it;
//   2. it follows the NL GOV REST API Design Rules (Logius ADR 2.x) that can be checked
//      mechanically: OpenAPI 3, semver info.version, info.contact with name, email and url,
//      the major version in every path, no trailing slashes, kebab-case path segments,
//      camelCase query parameters, API-Version on every response, a 400 on every POST and
//      PUT, problem+json on every error; plus navolg's own contract (api.md): every endpoint
//      is there, exactly the routes of api/http/app.cc, If-Match/412/428 on every command,
//      Location on 201, a bearer token or the session cookie except on the public operations,
//      403 (the Origin rule) on every operation that changes data;
//   3. every schema of components.schemas compiles as JSON Schema 2020-12 (Ajv, strict), and
//      every example in the document fits the schema beside it;
//   4. the checks can fail: each rule rejects a copy of the document broken on purpose, and
//      the validator rejects a structurally broken copy.
//
//   node tests/node/validate-openapi.mjs REPOSITORY_ROOT
//
// Prints one line per check and ends with "N passed, M failed"; exits 1 on any failure,
// 2 on wrong usage or missing tooling (run `npm ci` in tests/node first).

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const root = process.argv[2];
if (!root || process.argv.length !== 3) {
  console.error("usage: node validate-openapi.mjs REPOSITORY_ROOT");
  process.exit(2);
}

let Validator;
let Ajv2020;
let addFormats;
try {
  ({ Validator } = await import("@seriousme/openapi-schema-validator"));
  const ajvModule = await import("ajv/dist/2020.js");
  const formatsModule = await import("ajv-formats");
  Ajv2020 = ajvModule.default.default ?? ajvModule.default;
  addFormats = formatsModule.default.default ?? formatsModule.default;
} catch (error) {
  console.error(
    `cannot load @seriousme/openapi-schema-validator or ajv (${error.message}); run \`npm ci\` in tests/node`,
  );
  process.exit(2);
}

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

function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

const documentPath = path.join(root, "api", "http", "openapi.json");
let text;
let reference;
try {
  text = readFileSync(documentPath, "utf8");
  reference = JSON.parse(text);
  report(true, "api/http/openapi.json is JSON");
} catch (error) {
  report(false, "api/http/openapi.json is JSON", error.message);
  finish();
}

// --- walking the document ------------------------------------------------------------------

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

// Follows local references ("#/components/..."); anything else is returned as it is.
function resolve(doc, value) {
  const seen = new Set();
  while (value && typeof value === "object" && typeof value.$ref === "string") {
    const target = value.$ref;
    if (!target.startsWith("#/") || seen.has(target)) return value;
    seen.add(target);
    let node = doc;
    for (const raw of target.slice(2).split("/")) {
      const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      node = node && typeof node === "object" ? node[key] : undefined;
    }
    if (node === undefined) return value;
    value = node;
  }
  return value;
}

function* operations(doc) {
  for (const [route, item] of Object.entries(doc.paths ?? {})) {
    const pathItem = resolve(doc, item) ?? {};
    for (const method of METHODS) {
      if (pathItem[method]) yield { route, method, pathItem, operation: pathItem[method] };
    }
  }
}

function* responses(doc) {
  for (const op of operations(doc)) {
    for (const [status, response] of Object.entries(op.operation.responses ?? {})) {
      yield { ...op, status, response: resolve(doc, response) ?? {} };
    }
  }
}

// Path-level and operation-level parameters, resolved.
function* parameters(doc) {
  for (const op of operations(doc)) {
    const list = [...(op.pathItem.parameters ?? []), ...(op.operation.parameters ?? [])];
    for (const parameter of list) yield { ...op, parameter: resolve(doc, parameter) ?? {} };
  }
}

const where = (op) => `${op.method.toUpperCase()} ${op.route}`;
const isError = (status) => /^[45]([0-9]{2}|XX)$/.test(status) || status === "default";

// --- the rules -----------------------------------------------------------------------------

// Each rule returns the list of its violations (empty: the document complies).
const SEMVER =
  /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
// The operations that need no authentication (signing in is how one gets a session).
const PUBLIC_OPERATIONS = [
  "GET /healthz", "GET /metrics", "GET /api/v1/openapi.json", "POST /api/v1/session", "GET /api/v1/audit/public-key",
  "GET /api/v1/sign-in-options",
];
// Everything else: a bearer token or the session cookie.
const AUTHENTICATED = JSON.stringify([{ bearerAuth: [] }, { sessionCookie: [] }]);
const UNVERSIONED_ROUTES = ["/healthz", "/metrics"];
// The web interface's pages and files (api/http/handlers/web_handlers.cc): not part of the API.
const WEB_INTERFACE_ROUTES = ["GET /", "GET /assets/{file}"];

const rules = {
  openapi3: {
    name: "ADR /core/doc-openapi: openapi is 3.x",
    check: (doc) => (/^3\.[0-9]+\.[0-9]+$/.test(String(doc.openapi)) ? [] : [`openapi is '${doc.openapi}'`]),
  },
  semver: {
    name: "ADR /core/semver: info.version is semver",
    check: (doc) => (SEMVER.test(String(doc.info?.version)) ? [] : [`info.version is '${doc.info?.version}'`]),
  },
  contact: {
    name: "ADR /core/doc-openapi-contact: info.contact has name, email and url",
    check: (doc) =>
      ["name", "email", "url"]
        .filter((member) => typeof doc.info?.contact?.[member] !== "string" || doc.info.contact[member] === "")
        .map((member) => `info.contact.${member} is missing`),
  },
  majorVersion: {
    name: "ADR /core/uri-version: every path starts with /api/v1/ (except /healthz, /metrics)",
    check: (doc) =>
      Object.keys(doc.paths ?? {}).filter(
        (route) => !UNVERSIONED_ROUTES.includes(route) && !route.startsWith("/api/v1/"),
      ),
  },
  trailingSlash: {
    name: "ADR /core/no-trailing-slash: no path ends in '/'",
    check: (doc) => Object.keys(doc.paths ?? {}).filter((route) => route.length > 1 && route.endsWith("/")),
  },
  kebabCase: {
    name: "ADR /core/naming-resources: literal path segments are kebab-case, parameters {camelCase}",
    check: (doc) => {
      const bad = [];
      for (const route of Object.keys(doc.paths ?? {})) {
        const segments = route.split("/").slice(1);
        segments.forEach((segment, i) => {
          const last = i === segments.length - 1;
          const ok =
            /^\{[a-z][a-zA-Z0-9]*\}$/.test(segment) ||
            (last ? /^[a-z0-9]+(-[a-z0-9]+)*(\.jsonl?)?$/ : /^[a-z0-9]+(-[a-z0-9]+)*$/).test(segment);
          if (!ok) bad.push(`'${segment}' in ${route}`);
        });
      }
      return bad;
    },
  },
  camelCaseQuery: {
    name: "ADR /core/naming-query-params: query parameters are camelCase",
    check: (doc) => {
      const bad = new Set();
      for (const p of parameters(doc)) {
        if (p.parameter.in === "query" && !/^[a-z][a-zA-Z0-9]*$/.test(String(p.parameter.name))) {
          bad.add(`'${p.parameter.name}' in ${where(p)}`);
        }
      }
      return [...bad];
    },
  },
  versionHeader: {
    name: "ADR /core/version-header: every response declares API-Version",
    check: (doc) => {
      const bad = [];
      for (const r of responses(doc)) {
        const names = Object.keys(r.response.headers ?? {}).map((name) => name.toLowerCase());
        if (!names.includes("api-version")) bad.push(`${where(r)} ${r.status}`);
      }
      return bad;
    },
  },
  badRequest: {
    name: "every POST and PUT documents a 400 response",
    check: (doc) =>
      [...operations(doc)]
        .filter((op) => (op.method === "post" || op.method === "put") && !op.operation.responses?.["400"])
        .map(where),
  },
  problemJson: {
    name: "ADR /core/error-handling: every 4xx, 5xx and default response is application/problem+json with the Problem schema",
    check: (doc) => {
      const bad = [];
      for (const r of responses(doc)) {
        if (!isError(r.status)) continue;
        const media = r.response.content?.["application/problem+json"];
        if (!media) {
          bad.push(`${where(r)} ${r.status}: no application/problem+json`);
        } else if (media.schema?.$ref !== "#/components/schemas/Problem") {
          bad.push(`${where(r)} ${r.status}: schema is not #/components/schemas/Problem`);
        }
      }
      return bad;
    },
  },
};

// navolg's own contract (api.md), checked the same way.
const API_MD_OPERATIONS = [
  "GET /healthz",
  "GET /metrics",
  "GET /api/v1/openapi.json",
  "GET /api/v1/me",
  "GET /api/v1/workflows",
  "GET /api/v1/workflows/{key}",
  "POST /api/v1/processes",
  "GET /api/v1/processes",
  "GET /api/v1/processes/{id}",
  "PUT /api/v1/processes/{id}/products/{product}",
  "PUT /api/v1/processes/{id}/products/{product}/{n}",
  "POST /api/v1/processes/{id}/adoptions",
  "POST /api/v1/processes/{id}/transitions/{transition}",
  "GET /api/v1/processes/{id}/events",
  "GET /api/v1/processes/{id}/events.jsonl",
];
const documented = (doc) => [...operations(doc)].map(where);
const isCommand = (op) =>
  (op.method === "put" || op.method === "post") && op.route.startsWith("/api/v1/processes/{id}/");

const contractRules = {
  everyEndpoint: {
    name: "every endpoint of api.md is documented",
    check: (doc) => API_MD_OPERATIONS.filter((op) => !documented(doc).includes(op)),
  },
  problemSchema: {
    name: "Problem has type, title, status, detail and missing[] of {code,product,instance,field,detail}",
    check: (doc) => {
      const problem = doc.components?.schemas?.Problem ?? {};
      const missing = resolve(doc, resolve(doc, problem.properties?.missing)?.items) ?? {};
      return [
        ...["type", "title", "status", "detail"].filter((m) => !(problem.required ?? []).includes(m)),
        ...["code", "product", "instance", "field", "detail"]
          .filter((m) => !missing.properties?.[m])
          .map((m) => `missing[].${m}`),
      ];
    },
  },
  ifMatch: {
    name: "every command on a process requires If-Match and documents 412 and 428",
    check: (doc) => {
      const bad = [];
      for (const op of operations(doc)) {
        if (!isCommand(op)) continue;
        const list = [...(op.pathItem.parameters ?? []), ...(op.operation.parameters ?? [])].map((p) =>
          resolve(doc, p),
        );
        const ifMatch = list.find((p) => p?.in === "header" && String(p.name).toLowerCase() === "if-match");
        if (!ifMatch?.required) bad.push(`${where(op)}: no required If-Match`);
        for (const status of ["412", "428"]) {
          if (!op.operation.responses?.[status]) bad.push(`${where(op)}: no ${status}`);
        }
      }
      return bad;
    },
  },
  etag: {
    name: "every answer with a process view carries ETag; every 201 carries Location",
    check: (doc) => {
      const bad = [];
      for (const r of responses(doc)) {
        const headers = Object.keys(r.response.headers ?? {}).map((name) => name.toLowerCase());
        const schemaRef = r.response.content?.["application/json"]?.schema?.$ref;
        if (schemaRef === "#/components/schemas/ProcessView" && !headers.includes("etag")) {
          bad.push(`${where(r)} ${r.status}: no ETag`);
        }
        if (r.status === "201" && !headers.includes("location")) bad.push(`${where(r)} 201: no Location`);
      }
      return bad;
    },
  },
  security: {
    name: "a bearer token or the session cookie everywhere except /healthz, /metrics, the OpenAPI document, signing in, what signing in can fill in and the public key",
    check: (doc) => {
      const bad = [];
      const scheme = doc.components?.securitySchemes?.bearerAuth;
      if (scheme?.type !== "http" || String(scheme?.scheme).toLowerCase() !== "bearer") {
        bad.push("components.securitySchemes.bearerAuth is not HTTP bearer");
      }
      const cookie = doc.components?.securitySchemes?.sessionCookie;
      if (cookie?.type !== "apiKey" || cookie?.in !== "cookie" || cookie?.name !== "navolg_session") {
        bad.push("components.securitySchemes.sessionCookie is not the navolg_session cookie");
      }
      const global = JSON.stringify(doc.security ?? []);
      if (global !== AUTHENTICATED) bad.push(`global security is ${global}`);
      for (const op of operations(doc)) {
        const effective = JSON.stringify(op.operation.security ?? doc.security ?? []);
        const isPublic = PUBLIC_OPERATIONS.includes(where(op));
        if (isPublic && effective !== "[]") bad.push(`${where(op)} asks for a token`);
        if (!isPublic) {
          if (effective !== AUTHENTICATED) bad.push(`${where(op)} does not take a token or the session cookie`);
          if (!op.operation.responses?.["401"]) bad.push(`${where(op)}: no 401`);
        }
      }
      return bad;
    },
  },
  originRule: {
    name: "every operation that changes data documents 403 (a session request without our Origin)",
    check: (doc) =>
      [...operations(doc)]
        .filter((op) => ["post", "put", "patch", "delete"].includes(op.method) && !op.operation.responses?.["403"])
        .map(where),
  },
  operationIds: {
    name: "every operation has a unique operationId and Dutch tags that are declared",
    check: (doc) => {
      const bad = [];
      const ids = new Set();
      const tags = new Set((doc.tags ?? []).map((t) => t.name));
      for (const op of operations(doc)) {
        const id = op.operation.operationId;
        if (!id || ids.has(id)) bad.push(`${where(op)}: operationId '${id}'`);
        ids.add(id);
        for (const tag of op.operation.tags ?? []) if (!tags.has(tag)) bad.push(`${where(op)}: tag '${tag}'`);
        if (!(op.operation.tags ?? []).length) bad.push(`${where(op)}: no tag`);
      }
      return bad;
    },
  },
};

// The file is compiled into the binary: through CMake's configure_file(@ONLY), which would
// replace any @NAME@, and inside a C++ raw string literal.
function embeddingProblems(source) {
  const bad = [];
  const variable = source.match(/@[A-Za-z0-9_./+-]+@/);
  if (variable) bad.push(`'${variable[0]}' would be replaced by configure_file`);
  if (source.includes(')navolg_embedded"')) bad.push("contains the raw string delimiter");
  return bad;
}

// The document against the code: the routes of api/http/app.cc and the API-Version of api/http/app.h.
function routesOfApp() {
  const file = path.join(root, "api", "http", "app.cc");
  if (!existsSync(file)) return null;
  const source = readFileSync(file, "utf8");
  return [...source.matchAll(/router\.Add\(\s*"([A-Z]+)",\s*"([^"]+)"/g)]
    .map((m) => `${m[1]} ${m[2]}`)
    .filter((route) => !WEB_INTERFACE_ROUTES.includes(route));
}

function apiVersionOfApp() {
  const file = path.join(root, "api", "http", "app.h");
  if (!existsSync(file)) return null;
  return readFileSync(file, "utf8").match(/kApiVersion\s*=\s*"([^"]+)"/)?.[1] ?? null;
}

// The schemas of the document as JSON Schema 2020-12 (OpenAPI 3.1's dialect, without its
// few extra keywords, which navolg does not use): every example must fit the schema beside
// it, so a reader who copies one gets a valid request or a true picture of an answer.
const SCHEMAS_ID = "urn:navolg:openapi-schemas";

function schemaChecker(doc) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  const rewrite = (value) => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!value || typeof value !== "object") return value;
    const out = {};
    for (const [key, member] of Object.entries(value)) {
      out[key] = key === "$ref" && typeof member === "string" && member.startsWith("#/components/schemas/")
        ? `${SCHEMAS_ID}#/$defs/${member.slice("#/components/schemas/".length)}`
        : rewrite(member);
    }
    return out;
  };
  ajv.addSchema({ $id: SCHEMAS_ID, $defs: rewrite(doc.components?.schemas ?? {}) });
  return {
    compile: (schema) => ajv.compile(rewrite(schema)),
    compileAll: () => Object.keys(doc.components?.schemas ?? {}).map((name) => {
      ajv.getSchema(`${SCHEMAS_ID}#/$defs/${name}`) ?? ajv.compile({ $ref: `${SCHEMAS_ID}#/$defs/${name}` });
      return name;
    }),
  };
}

// Every media type object and parameter with both a schema and an example.
function* examples(doc) {
  for (const op of operations(doc)) {
    const bodies = [];
    const body = resolve(doc, op.operation.requestBody);
    if (body?.content) bodies.push(["request body", body.content]);
    for (const [status, response] of Object.entries(op.operation.responses ?? {})) {
      const r = resolve(doc, response);
      if (r?.content) bodies.push([status, r.content]);
    }
    for (const [label, content] of bodies) {
      for (const [mediaType, media] of Object.entries(content)) {
        if (media.schema && media.example !== undefined) {
          yield { at: `${where(op)} ${label} ${mediaType}`, schema: media.schema, example: media.example };
        }
      }
    }
  }
  for (const [name, parameter] of Object.entries(doc.components?.parameters ?? {})) {
    if (parameter.schema && parameter.example !== undefined) {
      yield { at: `components.parameters.${name}`, schema: parameter.schema, example: parameter.example };
    }
  }
  for (const [name, header] of Object.entries(doc.components?.headers ?? {})) {
    if (header.schema && header.example !== undefined) {
      yield { at: `components.headers.${name}`, schema: header.schema, example: header.example };
    }
  }
}

function exampleProblems(doc) {
  const checker = schemaChecker(doc);
  const bad = [];
  for (const item of examples(doc)) {
    const validate = checker.compile(item.schema);
    if (!validate(item.example)) {
      bad.push(`${item.at}: ${validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}`).join(", ")}`);
    }
  }
  return bad;
}

// --- (a) the OpenAPI validator accepts the document ------------------------------------------

async function validateWithNpm(doc) {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc));
  return { valid: result.valid, version: validator.version, errors: result.errors };
}

{
  const name = "@seriousme/openapi-schema-validator accepts api/http/openapi.json as OpenAPI 3.1";
  try {
    const result = await validateWithNpm(reference);
    report(result.valid && result.version === "3.1", name,
      result.valid ? `validated as version ${result.version}` : JSON.stringify(result.errors).slice(0, 2000));
  } catch (error) {
    report(false, name, error.message);
  }
}

// --- (b) the rules hold for the document -----------------------------------------------------

function runRule(rule, doc) {
  try {
    return rule.check(doc);
  } catch (error) {
    return [`the check itself failed: ${error.message}`];
  }
}

for (const rule of [...Object.values(rules), ...Object.values(contractRules)]) {
  const violations = runRule(rule, reference);
  report(violations.length === 0, rule.name, violations.join("; "));
}

{
  const name = "every schema in components.schemas compiles as JSON Schema 2020-12 (Ajv, strict)";
  try {
    const names = schemaChecker(reference).compileAll();
    report(names.length > 0, name, "there are no schemas");
  } catch (error) {
    report(false, name, error.message);
  }
}

{
  const name = "every example fits its schema";
  try {
    const count = [...examples(reference)].length;
    const bad = exampleProblems(reference);
    report(count > 0 && bad.length === 0, name, count === 0 ? "no examples found" : bad.join("; "));
  } catch (error) {
    report(false, name, error.message);
  }
}

{
  const bad = embeddingProblems(text);
  report(bad.length === 0, "safe to embed: no @NAME@ for configure_file, no raw string delimiter", bad.join("; "));
}

{
  const name = "the operations are exactly the routes of api/http/app.cc";
  const routes = routesOfApp();
  if (routes === null || routes.length === 0) {
    report(false, name, "api/http/app.cc has no router.Add(...) routes to compare with");
  } else {
    const ops = documented(reference);
    const undocumented = routes.filter((r) => !ops.includes(r));
    const unrouted = ops.filter((o) => !routes.includes(o));
    report(undocumented.length === 0 && unrouted.length === 0, name,
      [...undocumented.map((r) => `not documented: ${r}`), ...unrouted.map((o) => `no route: ${o}`)].join("; "));
  }
}

{
  const version = apiVersionOfApp();
  report(version !== null && version === reference.info?.version,
    "info.version equals kApiVersion of api/http/app.h (the API-Version header)",
    `kApiVersion ${version}, info.version ${reference.info?.version}`);
}

// --- (c) the checks reject broken copies -----------------------------------------------------

const mutations = [
  {
    rule: rules.trailingSlash,
    name: "a path with a trailing slash",
    mutate: (d) => { d.paths["/api/v1/processes/"] = d.paths["/api/v1/processes"]; delete d.paths["/api/v1/processes"]; },
  },
  {
    rule: rules.camelCaseQuery,
    name: "a snake_case query parameter (page_size)",
    mutate: (d) => { d.components.parameters.Limit.name = "page_size"; },
  },
  {
    rule: rules.camelCaseQuery,
    name: "a kebab-case query parameter written inline (sort-order)",
    mutate: (d) => { d.paths["/api/v1/processes"].get.parameters.push({ name: "sort-order", in: "query", schema: { type: "string" } }); },
  },
  {
    rule: rules.versionHeader,
    name: "no API-Version on the 200 of GET /healthz",
    mutate: (d) => { delete d.paths["/healthz"].get.responses["200"].headers["API-Version"]; },
  },
  {
    rule: rules.versionHeader,
    name: "no API-Version on a shared response (components.responses.NotFound)",
    mutate: (d) => { d.components.responses.NotFound.headers = {}; },
  },
  {
    rule: rules.badRequest,
    name: "POST /api/v1/processes without 400",
    mutate: (d) => { delete d.paths["/api/v1/processes"].post.responses["400"]; },
  },
  {
    rule: rules.badRequest,
    name: "PUT of a product instance without 400",
    mutate: (d) => { delete d.paths["/api/v1/processes/{id}/products/{product}/{n}"].put.responses["400"]; },
  },
  {
    rule: rules.semver,
    name: "info.version '1.0' (not semver)",
    mutate: (d) => { d.info.version = "1.0"; },
  },
  {
    rule: rules.semver,
    name: "info.version 'v1.0.0' (not semver)",
    mutate: (d) => { d.info.version = "v1.0.0"; },
  },
  {
    rule: rules.contact,
    name: "info.contact without email",
    mutate: (d) => { delete d.info.contact.email; },
  },
  {
    rule: rules.contact,
    name: "no info.contact at all",
    mutate: (d) => { delete d.info.contact; },
  },
  {
    rule: rules.openapi3,
    name: "swagger 2.0",
    mutate: (d) => { d.openapi = "2.0"; },
  },
  {
    rule: rules.majorVersion,
    name: "a path without the major version (/api/processes)",
    mutate: (d) => { d.paths["/api/processes"] = d.paths["/api/v1/processes"]; delete d.paths["/api/v1/processes"]; },
  },
  {
    rule: rules.kebabCase,
    name: "a camelCase path segment (/api/v1/processes/{id}/eventLog)",
    mutate: (d) => { d.paths["/api/v1/processes/{id}/eventLog"] = d.paths["/api/v1/processes/{id}/events"]; },
  },
  {
    rule: rules.kebabCase,
    name: "a snake_case path segment (/api/v1/process_events)",
    mutate: (d) => { d.paths["/api/v1/process_events"] = d.paths["/api/v1/processes"]; },
  },
  {
    rule: rules.kebabCase,
    name: "a file suffix on a middle segment (/api/v1/processes.json/{id})",
    mutate: (d) => { d.paths["/api/v1/processes.json/{id}"] = d.paths["/api/v1/processes/{id}"]; },
  },
  {
    rule: rules.problemJson,
    name: "an error answered as application/json",
    mutate: (d) => {
      const response = d.paths["/api/v1/workflows/{key}"].get.responses["404"] = structuredClone(d.components.responses.NotFound);
      response.content = { "application/json": response.content["application/problem+json"] };
    },
  },
  {
    rule: rules.problemJson,
    name: "a problem+json error with an ad-hoc schema",
    mutate: (d) => { d.components.responses.Conflict.content["application/problem+json"].schema = { type: "object" }; },
  },
  {
    rule: contractRules.everyEndpoint,
    name: "GET /api/v1/processes/{id}/events.jsonl left out",
    mutate: (d) => { delete d.paths["/api/v1/processes/{id}/events.jsonl"]; },
  },
  {
    rule: contractRules.ifMatch,
    name: "POST a transition without If-Match",
    mutate: (d) => {
      const op = d.paths["/api/v1/processes/{id}/transitions/{transition}"].post;
      op.parameters = op.parameters.filter((p) => p.$ref !== "#/components/parameters/IfMatch");
    },
  },
  {
    rule: contractRules.ifMatch,
    name: "PUT a product without 428",
    mutate: (d) => { delete d.paths["/api/v1/processes/{id}/products/{product}"].put.responses["428"]; },
  },
  {
    rule: contractRules.etag,
    name: "201 without Location",
    mutate: (d) => { delete d.paths["/api/v1/processes"].post.responses["201"].headers.Location; },
  },
  {
    rule: contractRules.security,
    name: "GET /healthz asking for a token",
    mutate: (d) => { delete d.paths["/healthz"].get.security; },
  },
  {
    rule: contractRules.security,
    name: "GET /api/v1/me without authentication",
    mutate: (d) => { d.paths["/api/v1/me"].get.security = []; },
  },
  {
    rule: contractRules.security,
    name: "POST /api/v1/users without authentication",
    mutate: (d) => { d.paths["/api/v1/users"].post.security = []; },
  },
  {
    rule: contractRules.security,
    name: "signing in asking for a token",
    mutate: (d) => { delete d.paths["/api/v1/session"].post.security; },
  },
  {
    rule: contractRules.security,
    name: "bearer only, without the session cookie",
    mutate: (d) => { d.security = [{ bearerAuth: [] }]; },
  },
  {
    rule: contractRules.originRule,
    name: "DELETE /api/v1/session without 403",
    mutate: (d) => { delete d.paths["/api/v1/session"].delete.responses["403"]; },
  },
  {
    rule: contractRules.problemSchema,
    name: "Problem without instance in missing[]",
    mutate: (d) => { delete d.components.schemas.Missing.properties.instance; },
  },
];

for (const mutation of mutations) {
  const name = `rejects ${mutation.name} (${mutation.rule.name.split(":")[0]})`;
  try {
    const copy = structuredClone(reference);
    mutation.mutate(copy);
    const violations = mutation.rule.check(copy);
    report(violations.length > 0, name, "the rule accepted it");
  } catch (error) {
    report(false, name, `the mutation itself failed: ${error.message}`);
  }
}

{
  const bad = embeddingProblems(`${text}\n"@NAVOLG_OPENAPI_JSON@"`);
  report(bad.length > 0, "rejects a document with @NAME@ (configure_file)", "accepted");
}

{
  const name = "rejects an example that does not fit its schema (409 without status)";
  try {
    const copy = structuredClone(reference);
    delete copy.components.responses.Conflict.content["application/problem+json"].example.status;
    report(exampleProblems(copy).length > 0, name, "the check accepted it");
  } catch (error) {
    report(false, name, `the check itself failed: ${error.message}`);
  }
}

{
  const name = "rejects a schema that is not valid JSON Schema (type 'text')";
  try {
    const copy = structuredClone(reference);
    copy.components.schemas.User.properties.name.type = "text";
    schemaChecker(copy).compileAll();
    report(false, name, "Ajv compiled it");
  } catch {
    report(true, name);
  }
}

// The npm validator rejects structurally broken copies (not only our own rules).
const brokenCopies = [
  { name: "info without title", mutate: (d) => { delete d.info.title; } },
  { name: "a response without description", mutate: (d) => { delete d.paths["/healthz"].get.responses["200"].description; } },
  { name: "a path parameter that is not required", mutate: (d) => { d.components.parameters.ProcessId.required = false; } },
  { name: "a $ref to a schema that does not exist", mutate: (d) => { d.components.schemas.ProcessPage.properties.items.items.$ref = "#/components/schemas/Nergens"; } },
];
for (const broken of brokenCopies) {
  const name = `@seriousme/openapi-schema-validator rejects ${broken.name}`;
  try {
    const copy = structuredClone(reference);
    broken.mutate(copy);
    const result = await validateWithNpm(copy);
    report(!result.valid, name, "the validator accepted it");
  } catch (error) {
    report(false, name, `the check itself failed: ${error.message}`);
  }
}

finish();
