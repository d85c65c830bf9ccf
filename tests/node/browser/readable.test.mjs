// Readable for everyone (issue 14, item 8), in a real browser against a real `navolg serve`:
// signing in with the organisation's name, help when it is unknown or a field is empty, the
// organisation's name in the page header, one organisation filled in by itself, tables that
// reflow at 375 px and at 200 % zoom with every cell labelled, a focus that shows on text
// fields, selects with an arrow, and the report's times as a Dutch clock shows them. axe-core
// runs on every page visited.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  launchBrowser, newPage, screenshotOnFailure, seriousViolations, signIn, startNavolg,
} from "./harness.mjs";

const USERS = [
  { name: "Anna Adviseur", role: "adviseur" },
  { name: "Olga Auditor", role: "auditor" },
  { name: "Bea Beheer", role: "beheerder" },
  { name: "Mia Manager", role: "manager" },
];
const MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december";
const DUTCH_TIME = new RegExp(`^\\d{1,2} (${MONTHS}) \\d{4} \\d{2}:\\d{2}$`);

let navolg;
let browser;

async function accessible(page, where) {
  assert.deepEqual(await seriousViolations(page), [], `axe on ${where}`);
  assert.deepEqual(page.problems, [], `script errors or CSP violations on ${where}`);
}

// A fresh page of its own for `body`, closed afterwards; a screenshot when it fails.
async function withPage(name, body, options = {}, url = navolg.url) {
  const page = await newPage(browser, url, options);
  try {
    await screenshotOnFailure(page, name, () => body(page));
  } finally {
    await page.context().close();
  }
}

async function signedIn(page, name) {
  await signIn(page, "gemeente", name);
  await page.locator(".wie").waitFor({ timeout: 30000 });  // a password check takes seconds
  await page.locator("main h1").waitFor();
}

before(async () => {
  navolg = await startNavolg(USERS);
  browser = await launchBrowser();
  // Something in every table: processes, a security log with sign-ins, users.
  await withPage("setup", async (page) => {
    await signedIn(page, "Anna Adviseur");
    for (const title of ["Herinrichting Stationsplein", "Een proces met een heel lange titel die niet past"]) {
      const status = await page.evaluate(
        (body) => fetch("/api/v1/processes", {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
        }).then((r) => r.status),
        { workflow: "standaard-participatie", title },
      );
      assert.equal(status, 201);
    }
  });
});

after(async () => {
  await browser?.close();
  await navolg?.stop();
});

describe("aanmelden bij de organisatie", () => {
  test("the organisation may be typed by its name in any case; the header shows its name", () => withPage("org name", async (page) => {
    await signIn(page, "  gemeente VOORBEELD ", "Anna Adviseur");
    await page.getByRole("heading", { level: 1, name: "Processen" }).waitFor({ timeout: 30000 });
    const who = await page.locator(".wie").textContent();
    assert.equal(who, "Anna Adviseur (adviseur, Gemeente Voorbeeld)");
    await accessible(page, "the process list after signing in by name");
  }));

  test("an unknown organisation is explained at the field, with a summary that links to it", () => withPage("unknown org", async (page) => {
    await signIn(page, "Gemeente Nergens", "Anna Adviseur");
    const summary = page.getByRole("alert");
    await summary.filter({ hasText: "Aanmelden is niet gelukt." }).waitFor({ timeout: 30000 });
    const field = page.getByLabel("Organisatie");
    assert.equal(await field.getAttribute("aria-invalid"), "true");
    const message = await page.locator("#organisatie-fout").textContent();
    assert.match(message, /geen organisatie 'Gemeente Nergens' bekend/);
    assert.match(message, /hoofdletters maken niet uit/);
    assert.doesNotMatch(message, /Anna/);
    assert.match(await field.getAttribute("aria-describedby"), /organisatie-fout/);
    assert.equal(await page.getByLabel("Wachtwoord").inputValue(), "");
    await summary.getByRole("link").click();
    assert.equal(await page.evaluate(() => document.activeElement.id), "organisatie");
    await accessible(page, "the sign-in page with an unknown organisation");
  }));

  test("an empty form says at each field what to fill in, and sends nothing", () => withPage("empty sign-in", async (page) => {
    await page.goto("/#/aanmelden");
    const sent = [];
    page.on("request", (request) => { if (request.method() === "POST") sent.push(request.url()); });
    await page.getByRole("button", { name: "Aanmelden" }).click();
    const summary = page.getByRole("alert").filter({ hasText: "Vul alle velden in" });
    await summary.waitFor();
    assert.deepEqual(await summary.getByRole("link").allTextContents(),
      ["Vul de naam van uw organisatie in.", "Vul uw naam in.", "Vul uw wachtwoord in."]);
    for (const label of ["Organisatie", "Naam", "Wachtwoord"]) {
      assert.equal(await page.getByLabel(label).getAttribute("aria-invalid"), "true", label);
    }
    assert.equal(await page.evaluate(() => document.activeElement.id), "organisatie");
    assert.deepEqual(sent, []);
    await accessible(page, "the empty sign-in form");
  }));

  test("with one organisation in the installation nobody types it", async () => {
    const solo = await startNavolg([{ name: "Sam Solo", role: "adviseur", org: "solo" }], [["solo", "Gemeente Solo"]]);
    try {
      await withPage("one organisation", async (page) => {
        await page.goto("/#/aanmelden");
        await page.getByText("U meldt zich aan bij Gemeente Solo.").waitFor();
        assert.equal(await page.getByLabel("Organisatie").count(), 0);
        await accessible(page, "the sign-in page of a single organisation");
        await page.getByLabel("Naam").fill("Sam Solo");
        await page.getByLabel("Wachtwoord").fill("een-lang-genoeg-wachtwoord");
        await page.getByRole("button", { name: "Aanmelden" }).click();
        await page.getByRole("heading", { level: 1, name: "Processen" }).waitFor({ timeout: 30000 });
        assert.equal(await page.locator(".wie").textContent(), "Sam Solo (adviseur, Gemeente Solo)");
      }, {}, solo.url);
    } finally {
      await solo.stop();
    }
  });
});

// Every page with a table, as the role that sees it.
const TABLE_PAGES = [
  ["Olga Auditor", ["#/processen", "#/beveiligingslog", "#/borgingshuis", "#/termijnen"]],
  ["Bea Beheer", ["#/gebruikers"]],
];

// What a data cell shows as its label in the narrow layout; "" for none.
const labelsOfCells = (page) => page.evaluate(() => {
  const result = [];
  for (const table of document.querySelectorAll("main table")) {
    const headers = [...(table.tHead?.rows[0]?.cells ?? [])].map((c) => c.textContent.trim());
    for (const row of table.tBodies[0]?.rows ?? []) {
      [...row.cells].forEach((cell, i) => {
        if (cell.tagName !== "TD" || !headers[i]) return;
        const shown = getComputedStyle(cell, "::before").content;
        result.push({ header: headers[i], shown, display: getComputedStyle(cell).display });
      });
    }
  }
  return result;
});

describe("smal scherm en 200 % zoom", () => {
  for (const [where, options] of [
    ["375 px", { viewport: { width: 375, height: 800 } }],
    ["1280 px at 200 %", { viewport: { width: 640, height: 360 }, deviceScaleFactor: 2 }],
  ]) {
    test(`at ${where} no page scrolls sideways and every table cell shows its column's name`, async () => {
      for (const [name, hashes] of TABLE_PAGES) {
        await withPage(`reflow ${where} ${name}`, async (page) => {
          await signedIn(page, name);
          for (const hash of hashes) {
            await page.goto(`/${hash}`);
            await page.locator("main h1").waitFor();
            await page.waitForLoadState("networkidle");
            const { scroll, client } = await page.evaluate(() => ({
              scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
            }));
            assert.ok(scroll <= client, `${hash} at ${where} is ${scroll} px wide in ${client} px`);
            const cells = await labelsOfCells(page);
            if (hash !== "#/termijnen") assert.ok(cells.length > 0, `${hash}: no table cells`);
            for (const cell of cells) {
              assert.equal(cell.shown, `"${cell.header}"`, `${hash}: a cell of '${cell.header}'`);
              assert.equal(cell.display, "block", `${hash}: a cell of '${cell.header}' is not reflowed`);
            }
            await accessible(page, `${hash} at ${where}`);
          }
        }, options);
      }
    });
  }

  test("at 1280 px tables stay tables, their labels hidden", () => withPage("wide tables", async (page) => {
    await signedIn(page, "Olga Auditor");
    await page.waitForLoadState("networkidle");
    const cells = await labelsOfCells(page);
    assert.ok(cells.length > 0);
    for (const cell of cells) {
      assert.equal(cell.display, "table-cell");
      assert.equal(cell.shown, "none");
    }
  }, { viewport: { width: 1280, height: 800 } }));
});

describe("formulieren", () => {
  test("a text field shows its focus clearly and a select has an arrow", () => withPage("focus", async (page) => {
    await signedIn(page, "Anna Adviseur");
    const title = page.getByLabel("Titel");
    await title.focus();
    const focus = await title.evaluate((el) => {
      const style = getComputedStyle(el);
      return { width: style.outlineWidth, style: style.outlineStyle, color: style.outlineColor };
    });
    assert.deepEqual(focus, { width: "3px", style: "solid", color: "rgb(26, 74, 138)" });
    const select = page.getByLabel("Procesdefinitie");
    const look = await select.evaluate((el) => {
      const style = getComputedStyle(el);
      return { image: style.backgroundImage, border: style.borderTopStyle };
    });
    assert.match(look.image, /^url\("data:image\/svg\+xml/);
    assert.equal(look.border, "solid");
  }));
});

describe("tijden", () => {
  test("the zorgvuldigheidsrapport says when it was made as a Dutch clock shows it", () => withPage("report time", async (page) => {
    await signedIn(page, "Olga Auditor");
    await page.getByRole("link", { name: "Herinrichting Stationsplein" }).click();
    await page.getByRole("link", { name: "Zorgvuldigheidsrapport" }).click();
    await page.getByRole("heading", { level: 1, name: "Zorgvuldigheidsrapport" }).waitFor();
    const made = await page.locator("dt:text-is('Opgesteld op') + dd").textContent();
    assert.match(made, DUTCH_TIME);
    assert.doesNotMatch(await page.locator("main").textContent(), /UTC|T\d\d:\d\d/);
    await accessible(page, "the zorgvuldigheidsrapport");
  }));

  test("the process list shows when a process last changed as a Dutch clock shows it", () => withPage("list time", async (page) => {
    await signedIn(page, "Olga Auditor");
    const changed = await page.locator("td[data-label='Laatst gewijzigd']").first().textContent();
    assert.match(changed, DUTCH_TIME);
  }));
});
