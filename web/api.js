// The HTTP API as the pages use it: JSON in and out, problem+json turned into ApiError.
// fetch sends the session cookie and, on changing requests, the Origin header by itself
// (same-origin is the default); the server refuses a change from any other origin.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `Het verzoek mislukte (${status}).`);
    this.status = status;
    this.type = problem?.type ?? "";
    this.missing = Array.isArray(problem?.missing) ? problem.missing : [];
  }
}

export async function request(method, path, { body, ifMatch, accept } = {}) {
  const headers = { Accept: accept || "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (ifMatch !== undefined) headers["If-Match"] = `"${ifMatch}"`;
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    mode: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      /* no body */
    }
    throw new ApiError(response.status, problem);
  }
  return response;
}

export async function getJson(path) {
  return (await request("GET", path)).json();
}

export async function sendJson(method, path, body, ifMatch) {
  const response = await request(method, path, { body, ifMatch });
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

// Workflow definitions change only with a new navolg, so each is fetched once per page load,
// kept by key and version: a process gets the version it runs on (an older process keeps its
// own), and no version asks for the latest.
const definitions = new Map();
let workflowList = null;

export async function getDefinition(key, version) {
  const known = definitions.get(`${key}@${version}`);
  if (known) return known;
  const query = version ? `?version=${encodeURIComponent(version)}` : "";
  const definition = await getJson(`/api/v1/workflows/${encodeURIComponent(key)}${query}`);
  definitions.set(`${key}@${definition.version}`, definition);
  return definition;
}

// GET /api/v1/workflows, once per page load.
export async function getWorkflows() {
  workflowList ??= getJson("/api/v1/workflows").catch((error) => {
    workflowList = null;
    throw error;
  });
  return workflowList;
}
