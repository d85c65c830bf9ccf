// What the browser tests share: a real `navolg serve` on a free loopback port with a fresh
// database and users made with `navolg user add --password-stdin`, Debian's Chromium driven
// by playwright-core, axe-core on every page, and a screenshot when a test fails.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const PASSWORD = "een-lang-genoeg-wachtwoord";
export const navolgBinary = process.env.NAVOLG_BIN;
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
export const screenshotDir = process.env.SCREENSHOT_DIR || path.join(os.tmpdir(), "navolg-browser-screenshots");

function cli(args, input) {
  const run = spawnSync(navolgBinary, args, { input, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`navolg ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => { const { port } = server.address(); server.close(() => resolve(port)); });
    server.on("error", reject);
  });
}

// Starts navolg with organisations `gemeente` and `buurgemeente` (or the given
// [[slug, name], ...]) and the given users ({name, role, org}); resolves when /healthz answers.
export async function startNavolg(users, organisations = [["gemeente", "Gemeente Voorbeeld"], ["buurgemeente", "Buurgemeente"]]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "navolg-browser-"));
  const db = path.join(dir, "navolg.db");
  for (const [slug, name] of organisations) cli(["org", "add", "--db", db, slug, name]);
  for (const user of users) {
    cli(["user", "add", "--db", db, "--org", user.org ?? "gemeente", "--role", user.role, "--password-stdin", user.name], `${PASSWORD}\n`);
  }
  const port = await freePort();
  // The deadline watcher every second: a test that lets a deadline pass can wait for its
  // record (the system's event) before it goes on, instead of meeting it mid-task.
  const child = spawn(navolgBinary, ["serve", "--db", db, "--listen", `127.0.0.1:${port}`, "--log", "off", "--watch-interval", "1"], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => { stderr += chunk; });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* not yet */ }
    if (child.exitCode !== null) throw new Error(`navolg serve stopped: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, db, stop: () => new Promise((resolve) => { child.once("exit", resolve); child.kill("SIGTERM"); }) };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox"] });
}

// A page that fails the test on any script error or Content-Security-Policy violation;
// `options` for the browser context (a viewport, a deviceScaleFactor).
export async function newPage(browser, url, options = {}) {
  const context = await browser.newContext({ baseURL: url, locale: "nl-NL", ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.problems = [];
  page.on("pageerror", (error) => page.problems.push(`script error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 4\d\d/.test(message.text())) page.problems.push(`console: ${message.text()}`);
  });
  return page;
}

// axe-core on the page as it is now; returns the serious and critical violations.
export async function seriousViolations(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ")}`);
}

export async function screenshotOnFailure(page, name, body) {
  try {
    await body();
  } catch (error) {
    mkdirSync(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, `${name.replace(/[^a-z0-9]+/gi, "-")}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    error.message += `\n(screenshot: ${file})`;
    throw error;
  }
}

// With NAVOLG_WALK_SCREENSHOTS=DIR, every test leaves its page as the user last saw it, full
// length at 1280 and at 375 px wide (DIR/NAME-1280.png, DIR/NAME-375.png): the walk to look at
// before an issue is resolved. Without it, nothing happens.
export async function walkScreenshots(page, name) {
  const dir = process.env.NAVOLG_WALK_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const before = page.viewportSize();
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, "-")}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}

export async function signIn(page, organisation, name, password = PASSWORD) {
  await page.goto("/#/aanmelden");
  await page.getByLabel("Organisatie").fill(organisation);
  await page.getByLabel("Naam").fill(name);
  await page.getByLabel("Wachtwoord").fill(password);
  await page.getByRole("button", { name: "Aanmelden" }).click();
}
