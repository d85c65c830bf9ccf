// The web interface in a real browser (Debian's Chromium, headless) against a real
// `navolg serve`: signing in, and an adviseur, bestuur, a manager and an auditor taking a
// process from creation to `afgerond`. axe-core runs on every page visited; a failing test
// leaves a screenshot (harness.mjs). docs/screenshot-process.png is taken here too.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { spawnSync } from "node:child_process";
import {
  PASSWORD, launchBrowser, newPage, screenshotOnFailure, seriousViolations, signIn, startNavolg,
  walkScreenshots,
} from "./harness.mjs";

const USERS = [
  { name: "Anna Adviseur", role: "adviseur" },
  { name: "Bert Bestuur", role: "bestuur" },
  { name: "Mia Manager", role: "manager" },
  { name: "Olga Auditor", role: "auditor" },
  { name: "Vera Vreemd", role: "adviseur", org: "buurgemeente" },
  { name: "Cor Collega", role: "adviseur" },
  { name: "Bea Beheer", role: "beheerder" },
];
const TITLE = "Herinrichting Stationsplein";

let navolg;
let browser;
const pages = {};

async function accessible(page, where) {
  const violations = await seriousViolations(page);
  assert.deepEqual(violations, [], `axe on ${where}`);
  assert.deepEqual(page.problems, [], `script errors or CSP violations on ${where}`);
}

async function as(role, name, body) {
  const page = pages[role];
  await screenshotOnFailure(page, name, () => body(page));
  await walkScreenshots(page, name);
}

const product = (page, title) => page.getByRole("region", { name: title, exact: true });

async function openProcess(page) {
  await page.goto("/#/processen");
  await page.getByRole("link", { name: TITLE, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
}

async function save(page, title, label = `${title} opslaan`) {
  await product(page, title).getByRole("button", { name: label }).click();
  // "Gespreksverslag 1 is opgeslagen.": a numbered instance is named with its number.
  await page.getByRole("status").filter({ hasText: new RegExp(`^${title}( \\d+)? is opgeslagen\\.$`) }).waitFor();
}

async function step(page, title) {
  await page.getByRole("button", { name: title, exact: true }).click();
  await page.getByRole("status").filter({ hasText: `Stap gezet: ${title}.` }).waitFor();
}

async function currentPhase(page) {
  return (await page.locator('.fasen [aria-current="step"] .fase__naam').textContent()).trim();
}

// The paths of the API requests the page makes while `action` runs (which waits for what
// the last of them draws).
async function apiRequests(page, action) {
  const paths = [];
  const listener = (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/")) paths.push(url.pathname);
  };
  page.on("request", listener);
  try {
    await action();
  } finally {
    page.off("request", listener);
  }
  return paths;
}

const count = (paths, path) => paths.filter((p) => p === path).length;

async function api(page, url) {
  return page.evaluate((u) => fetch(u).then((r) => r.json()), url);
}

before(async () => {
  navolg = await startNavolg(USERS);
  browser = await launchBrowser();
  for (const role of ["adviseur", "bestuur", "manager", "auditor", "vreemd", "beheerder", "collega"]) pages[role] = await newPage(browser, navolg.url);
});

after(async () => {
  await browser?.close();
  await navolg?.stop();
});

describe("laden", () => {
  // Scripts, style sheets and the icon carry their content hash in their name and are
  // immutable: a reload takes them from the browser's cache (or, should it ask, gets 304).
  // Chromium's own account of each request (DevTools protocol) says which it was.
  test("a second page load fetches no CSS or script again", async () => {
    const page = await newPage(browser, navolg.url);
    try {
      await page.goto("/");
      await page.getByRole("heading", { level: 1 }).first().waitFor();
      await page.waitForLoadState("networkidle");
      const devtools = await page.context().newCDPSession(page);
      await devtools.send("Network.enable");
      const assets = new Map();
      const fromCache = new Set();
      devtools.on("Network.requestServedFromCache", ({ requestId }) => fromCache.add(requestId));
      devtools.on("Network.responseReceived", ({ requestId, response }) => {
        const { pathname } = new URL(response.url);
        if (/\.(js|css|svg)$/.test(pathname)) assets.set(requestId, { pathname, response });
      });
      await page.reload();
      await page.getByRole("heading", { level: 1 }).first().waitFor();
      await page.waitForLoadState("networkidle");
      assert.ok(assets.size >= 5, `only ${assets.size} scripts and style sheets seen`);
      for (const [requestId, { pathname, response }] of assets) {
        assert.match(pathname, /^\/assets\/[a-z_-]+\.[0-9a-f]{10}\.(js|css|svg)$/, "a name with its hash");
        const cached = fromCache.has(requestId) || response.fromDiskCache || response.status === 304;
        assert.ok(cached, `${pathname} was sent again (${response.status})`);
      }
    } finally {
      await page.context().close();
    }
  });
});

describe("openbare sleutel", () => {
  // An auditor without an account: from the sign-in screen, and straight by its address.
  test("the public key page opens without signing in, with the key and how to verify an export", async () => {
    const page = await newPage(browser, navolg.url);
    try {
      await screenshotOnFailure(page, "public key", async () => {
        await page.goto("/");
        await page.getByRole("heading", { level: 1, name: "Aanmelden" }).waitFor();
        await page.getByRole("link", { name: "Openbare sleutel en hoe u controleert" }).click();
        await page.getByRole("heading", { level: 1, name: "Openbare sleutel" }).waitFor();
        const key = await api(page, "/api/v1/audit/public-key");
        await page.getByText(key.key_id, { exact: true }).waitFor();
        const pem = await page.locator("pre").first().textContent();
        assert.equal(pem, key.public_key_pem);
        await page.getByText("navolg audit verify EXPORT.jsonl --key navolg.pub").waitFor();
        const steps = await page.getByRole("listitem").allTextContents();
        assert.equal(steps.length, 2, steps.join("\n"));
        assert.match(steps[0], /Sla de sleutel hieronder op/);
        assert.match(steps[1], /Controleer een export/);
        assert.deepEqual(await page.context().cookies(), [], "nobody signed in");
        await accessible(page, "the public key page");
        await page.getByRole("link", { name: "Terug naar aanmelden" }).click();
        await page.getByRole("heading", { level: 1, name: "Aanmelden" }).waitFor();
      });
    } finally {
      await page.context().close();
    }
    const direct = await newPage(browser, navolg.url);
    try {
      await screenshotOnFailure(direct, "public key by address", async () => {
        await direct.goto("/#/openbare-sleutel");
        await direct.getByRole("heading", { level: 1, name: "Openbare sleutel" }).waitFor();
        await direct.getByText("-----BEGIN PUBLIC KEY-----", { exact: false }).waitFor();
        assert.equal(new URL(direct.url()).hash, "#/openbare-sleutel", "not sent to the sign-in page");
      });
    } finally {
      await direct.context().close();
    }
  });
});

describe("aanmelden", () => {
  test("a wrong password is refused with a message, and nobody is signed in", () => as("adviseur", "wrong password", async (page) => {
    await signIn(page, "gemeente", "Anna Adviseur", "dit-is-niet-het-wachtwoord");
    await page.getByRole("alert").filter({ hasText: "Aanmelden is niet gelukt" }).waitFor();
    assert.equal(await page.getByLabel("Wachtwoord").inputValue(), "");
    assert.deepEqual(await page.context().cookies(), []);
    await accessible(page, "the sign-in page");
  }));

  test("signing in sets an HttpOnly, SameSite=Strict session cookie and shows the processes", () => as("adviseur", "cookie flags", async (page) => {
    await signIn(page, "gemeente", "Anna Adviseur");
    await page.getByRole("heading", { level: 1, name: "Processen" }).waitFor();
    const [cookie] = await page.context().cookies();
    assert.equal(cookie.name, "navolg_session");
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, "Strict");
    assert.equal(cookie.expires, -1, "a session cookie: it ends with the browser");
    await accessible(page, "mijn processen");
  }));

  test("a changing request with the cookie but from another origin is refused", () => as("adviseur", "foreign origin", async (page) => {
    const response = await page.context().request.post(`${navolg.url}/api/v1/processes`, {
      headers: { Origin: "https://kwaadwillend.example" },
      data: { workflow: "standaard-participatie", title: "Van elders" },
    });
    assert.equal(response.status(), 403);
    const list = await api(page, "/api/v1/processes");
    assert.equal(list.items.length, 0, "nothing was created");
  }));
});

describe("gebruikers", () => {
  test("the beheerder makes a user with a password, who can then sign in", () => as("beheerder", "users", async (page) => {
    await signIn(page, "gemeente", "Bea Beheer");
    await page.getByRole("heading", { level: 1, name: "Gebruikers" }).waitFor();
    await page.getByLabel("Naam").fill("Nina Nieuw");
    await page.getByLabel("Rol").selectOption("auditor");
    await page.getByLabel("Eerste wachtwoord").fill("kort");
    await page.getByRole("button", { name: "Gebruiker aanmaken" }).click();
    await page.getByRole("alert").filter({ hasText: "12 tekens" }).waitFor();
    await page.getByLabel("Eerste wachtwoord").fill("nina-haar-eerste-wachtwoord");
    await page.getByRole("button", { name: "Gebruiker aanmaken" }).click();
    await page.getByRole("status").filter({ hasText: "Nina Nieuw (auditor) is aangemaakt." }).waitFor();
    await page.getByRole("row").filter({ hasText: "Nina Nieuw" }).waitFor();
    await accessible(page, "the users page");
    const nina = await newPage(browser, navolg.url);
    try {
      await signIn(nina, "gemeente", "Nina Nieuw", "nina-haar-eerste-wachtwoord");
      await nina.getByText("Nina Nieuw (auditor, Gemeente Voorbeeld)").waitFor();
    } finally {
      await nina.context().close();
    }
  }));

  test("the beheerder gives a user an e-mail address, is told in Dutch when it is malformed, and removes it", () => as("beheerder", "e-mail", async (page) => {
    await page.goto("/#/gebruikers");
    await page.getByRole("heading", { level: 1, name: "Gebruikers" }).waitFor();
    await page.getByLabel("Naam", { exact: true }).fill("Otto Ondersteuning");
    await page.getByLabel("Rol").selectOption("auditor");
    await page.getByLabel("E-mailadres (niet verplicht)").fill("otto@gemeente.nl");
    await page.getByRole("button", { name: "Gebruiker aanmaken" }).click();
    await page.getByRole("status").filter({ hasText: "Otto Ondersteuning (auditor) is aangemaakt." }).waitFor();
    const address = page.getByLabel("E-mailadres van Otto Ondersteuning");
    assert.equal(await address.inputValue(), "otto@gemeente.nl");

    await address.fill("otto@gemeente");
    await page.getByRole("row").filter({ hasText: "Otto Ondersteuning" })
      .getByRole("button", { name: "E-mailadres opslaan" }).click();
    await page.getByRole("alert").filter({ hasText: "'otto@gemeente' is geen geldig e-mailadres" }).waitFor();
    await page.reload();
    assert.equal(await page.getByLabel("E-mailadres van Otto Ondersteuning").inputValue(), "otto@gemeente.nl");

    await page.getByLabel("E-mailadres van Otto Ondersteuning").fill("o.ondersteuning@gemeente.nl");
    await page.getByRole("row").filter({ hasText: "Otto Ondersteuning" })
      .getByRole("button", { name: "E-mailadres opslaan" }).click();
    await page.getByRole("status")
      .filter({ hasText: "Het e-mailadres van Otto Ondersteuning is nu o.ondersteuning@gemeente.nl." }).waitFor();
    await accessible(page, "the users page with e-mail addresses");

    await page.getByLabel("E-mailadres van Otto Ondersteuning").fill("");
    await page.getByRole("row").filter({ hasText: "Otto Ondersteuning" })
      .getByRole("button", { name: "E-mailadres opslaan" }).click();
    await page.getByRole("status").filter({ hasText: "Otto Ondersteuning heeft geen e-mailadres meer." }).waitFor();
    assert.equal(await page.getByLabel("E-mailadres van Otto Ondersteuning").inputValue(), "");
  }));

  test("the beheerder deactivates a user after confirming, sees it in the security log, and activates them again", () => as("beheerder", "deactivate", async (page) => {
    await page.goto("/#/gebruikers");
    const row = page.getByRole("row").filter({ hasText: "Nina Nieuw" });
    // Dismissed: nothing happens.
    page.once("dialog", (dialog) => dialog.dismiss());
    await row.getByRole("button", { name: "Nina Nieuw deactiveren" }).click();
    await row.getByText("actief", { exact: true }).waitFor();
    page.once("dialog", (dialog) => {
      assert.match(dialog.message(), /Nina Nieuw deactiveren\?/);
      dialog.accept();
    });
    await row.getByRole("button", { name: "Nina Nieuw deactiveren" }).click();
    await page.getByRole("status").filter({ hasText: "Nina Nieuw is gedeactiveerd." }).waitFor();
    await page.getByRole("row").filter({ hasText: "Nina Nieuw" }).getByText(/gedeactiveerd sinds/).waitFor();
    await accessible(page, "the users page with a deactivated user");

    const nina = await newPage(browser, navolg.url);
    try {
      await signIn(nina, "gemeente", "Nina Nieuw", "nina-haar-eerste-wachtwoord");
      await nina.getByRole("alert").filter({ hasText: "gedeactiveerd" }).waitFor();
    } finally {
      await nina.context().close();
    }

    await page.getByRole("link", { name: "Beveiligingslog" }).click();
    await page.getByRole("heading", { level: 1, name: "Beveiligingslog" }).waitFor();
    const deactivated = page.getByRole("row").filter({ hasText: "Gebruiker gedeactiveerd" });
    await deactivated.filter({ hasText: "Nina Nieuw" }).filter({ hasText: "Bea Beheer" }).waitFor();
    await page.getByRole("row").filter({ hasText: "Aanmelden geweigerd: gedeactiveerd" }).waitFor();
    await accessible(page, "the security log");

    await page.goto("/#/gebruikers");
    await page.getByRole("button", { name: "Nina Nieuw activeren" }).click();
    await page.getByRole("status").filter({ hasText: "Nina Nieuw is weer actief" }).waitFor();
  }));

  test("the auditor reads the security log; an adviseur is not offered it", () => as("auditor", "security log", async (page) => {
    await signIn(page, "gemeente", "Olga Auditor");
    await page.getByRole("link", { name: "Beveiligingslog" }).click();
    await page.getByRole("row").filter({ hasText: "Gebruiker aangemaakt" }).first().waitFor();
    await accessible(page, "the security log as auditor");
    const adviseur = await newPage(browser, navolg.url);
    try {
      await signIn(adviseur, "gemeente", "Anna Adviseur");
      await adviseur.getByRole("heading", { level: 1, name: "Processen" }).waitFor();
      assert.equal(await adviseur.getByRole("link", { name: "Beveiligingslog" }).count(), 0);
    } finally {
      await adviseur.context().close();
    }
  }));
});

describe("een proces van begin tot afgerond", () => {
  test("the adviseur creates a process and sees its phases with the current one marked", () => as("adviseur", "create process", async (page) => {
    await page.goto("/#/processen");
    await page.getByLabel("Titel").fill(TITLE);
    // Nothing is preselected: creating without a choice asks for one.
    assert.equal(await page.getByLabel("Procesdefinitie").inputValue(), "");
    await page.getByRole("button", { name: "Proces aanmaken" }).click();
    await page.getByRole("alert").filter({ hasText: "Kies een procesdefinitie." }).waitFor();
    await page.getByLabel("Procesdefinitie").selectOption("standaard-participatie");
    await page.getByRole("button", { name: "Proces aanmaken" }).click();
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    assert.equal(await currentPhase(page), "Kaders vastleggen");
    const phases = await page.locator(".fasen .fase__naam").allTextContents();
    assert.deepEqual(phases, ["Kaders vastleggen", "Gesprek organiseren", "Opbrengst duiden", "Terugkoppeling", "Besluit", "Evaluatie", "Afgerond"]);
    await accessible(page, "the process page");
  }));

  test("a draft kadernotitie lists what is missing; the step is refused with its reasons", () => as("adviseur", "refused step", async (page) => {
    const kader = product(page, "Kadernotitie");
    await kader.getByLabel("Onderwerp").fill("Het nieuwe Stationsplein");
    await save(page, "Kadernotitie");
    await product(page, "Kadernotitie").getByText("Vul 'Doel van de participatie' in").first().waitFor();
    await page.getByRole("button", { name: "Naar gesprek organiseren", exact: true }).click();
    const refusal = page.getByRole("alert");
    await refusal.waitFor();
    const text = await refusal.textContent();
    assert.match(text, /Doel van de participatie/);
    assert.match(text, /vastgesteld/i);
    assert.equal(await currentPhase(page), "Kaders vastleggen");
    // One phase at a time: the kaders' products are open, later phases' products folded away.
    assert.equal(await product(page, "Kadernotitie").locator("details").getAttribute("open"), "");
    assert.equal(await product(page, "Gespreksplan").locator("details").getAttribute("open"), null);
    assert.equal(await product(page, "Gespreksplan").getByRole("button", { name: "Gespreksplan opslaan" }).isVisible(), false);
    await accessible(page, "the refused step");
    // NAVOLG_SCREENSHOT=docs/screenshot-process.png refreshes the README's picture.
    if (process.env.NAVOLG_SCREENSHOT) {
      await page.setViewportSize({ width: 1100, height: 1000 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: process.env.NAVOLG_SCREENSHOT });
    }
  }));

  test("the adviseur completes the kadernotitie", () => as("adviseur", "kadernotitie", async (page) => {
    const kader = product(page, "Kadernotitie");
    await kader.getByLabel("Doel van de participatie").fill("Wensen van bewoners ophalen voor de inrichting.");
    await kader.getByLabel("Wat vastligt").fill("Het budget\nDe bushaltes");
    await kader.getByLabel("Ruimte voor inbreng").fill("Groen en zitplekken");
    await kader.getByLabel("Besluitvormer").selectOption("college");
    await kader.getByLabel("Participatieniveau").selectOption("adviseren");
    await kader.getByLabel("Doelgroepen").fill("Bewoners\nOndernemers");
    // A value out of bounds: a summary at the top of the form links to the field, which says
    // what is wrong under its label and is marked invalid; what was typed stays.
    await kader.getByLabel("Terugkoppeltermijn").fill("0");
    await kader.getByRole("button", { name: "Kadernotitie opslaan" }).click();
    const summary = kader.locator(".foutoverzicht");
    await summary.getByText("Er is 1 fout in het formulier:").waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains("foutoverzicht")), true);
    await accessible(page, "a form with an error summary");
    await summary.getByRole("link").click();
    const termijn = kader.getByLabel("Terugkoppeltermijn");
    assert.equal(await termijn.evaluate((e) => e === document.activeElement), true);
    assert.equal(await termijn.getAttribute("aria-invalid"), "true");
    const described = await termijn.evaluate((e) =>
      e.getAttribute("aria-describedby").split(" ").map((id) => document.getElementById(id)?.textContent).join(" "));
    assert.match(described, /Terugkoppeltermijn/);
    assert.equal(await kader.getByLabel("Doel van de participatie").inputValue(), "Wensen van bewoners ophalen voor de inrichting.");
    await termijn.fill("14");
    // A save answers with the process: the page asks for nothing else but the new events.
    const paths = await apiRequests(page, async () => {
      await save(page, "Kadernotitie");
      await page.locator(".trail").getByText("Kadernotitie opgeslagen (versie 2)").waitFor();
    });
    assert.deepEqual(paths.map((p) => p.replace(/\/processes\/[^/]+/, "/processes/ID")),
      ["/api/v1/processes/ID/products/kadernotitie", "/api/v1/processes/ID/events"], paths.join("\n"));
    await product(page, "Kadernotitie").getByText("nog niet vastgesteld").waitFor();
    assert.equal(await kader.locator("[aria-invalid]").count(), 0);
    // The confirmation stands beside the button that was pressed.
    const saved = kader.getByRole("button", { name: "Kadernotitie opslaan" });
    assert.equal(await saved.evaluate((b) => b.nextElementSibling?.textContent), "Kadernotitie is opgeslagen.");
    // Offered for adoption: bestuur will see it on its list.
    await kader.getByRole("button", { name: "Kadernotitie ter vaststelling aanbieden" }).click();
    await page.getByRole("status").filter({ hasText: "Kadernotitie (versie 2) is ter vaststelling aangeboden aan bestuur." }).waitFor();
    await product(page, "Kadernotitie").getByText("ter vaststelling aangeboden op").waitFor();
    assert.equal(await product(page, "Kadernotitie").getByRole("button", { name: /aanbieden/ }).count(), 0);
  }));

  test("bestuur sees the exact text and adopts the kadernotitie", () => as("bestuur", "adoption", async (page) => {
    // The start page asks once for the list and once for what waits, never process by process.
    const paths = await apiRequests(page, async () => {
      await signIn(page, "gemeente", "Bert Bestuur");
      await page.getByRole("heading", { level: 2, name: "Wacht op uw vaststelling" }).waitFor();
      await page.getByRole("link", { name: `Kadernotitie van ${TITLE}` }).waitFor();
    });
    assert.equal(count(paths, "/api/v1/processes"), 1, paths.join("\n"));
    assert.equal(count(paths, "/api/v1/adoptions"), 1, paths.join("\n"));
    assert.ok(!paths.some((p) => p.startsWith("/api/v1/processes/")), paths.join("\n"));
    const offered = page.getByRole("listitem").filter({ hasText: `Kadernotitie van ${TITLE}` });
    assert.match(await offered.textContent(), /versie 2, aangeboden op .* door Anna Adviseur/);
    await page.getByRole("link", { name: `Kadernotitie van ${TITLE}` }).click();
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    const kader = product(page, "Kadernotitie");
    await kader.getByText("U stelt deze tekst vast (versie 2)").waitFor();
    await kader.locator(".vaststellen").getByText("Groen en zitplekken").waitFor();
    await accessible(page, "the adoption");
    // A step bestuur never takes is said, not offered as a button.
    assert.equal(await page.getByRole("button", { name: "Naar gesprek organiseren", exact: true }).count(), 0);
    // Bestuur confirms first; cancelling records nothing.
    await kader.getByRole("button", { name: "Kadernotitie vaststellen" }).click();
    await kader.getByRole("button", { name: "Annuleren" }).click();
    await kader.getByRole("button", { name: "Kadernotitie vaststellen" }).click();
    await kader.getByText("kan niet ongedaan worden gemaakt").waitFor();
    await accessible(page, "the adoption's confirmation");
    await kader.getByRole("button", { name: "Ja, versie 2 vaststellen" }).click();
    await page.getByRole("status").filter({ hasText: "Kadernotitie is vastgesteld (versie 2)." }).waitFor();
    await product(page, "Kadernotitie").getByText("versie 2, compleet, vastgesteld").waitFor();
    const trail = await api(page, `/api/v1/processes/${await page.evaluate(() => location.hash.split("/")[2])}/events`);
    assert.deepEqual(trail.items.filter((e) => e.type.startsWith("product.")).map((e) => e.type),
      ["product.saved", "product.saved", "product.offered", "product.adopted"]);
  }));

  test("the adviseur changes the adopted kadernotitie only after confirming that the adoption lapses", () => as("adviseur", "void adoption", async (page) => {
    await openProcess(page);
    const kader = product(page, "Kadernotitie");
    // The adopted text is locked: no form until the adviseur confirms.
    assert.equal(await kader.locator("form").count(), 0);
    await kader.getByRole("button", { name: "Wijzigen — de vaststelling vervalt" }).click();
    await kader.getByText("vervalt die vaststelling").waitFor();
    await kader.getByRole("button", { name: "Ja, wijzigen" }).click();
    await kader.getByLabel("Ruimte voor inbreng").fill("Groen en zitplekken\nSpeelplek");
    await save(page, "Kadernotitie");
    await product(page, "Kadernotitie").getByText("versie 2 vastgesteld, daarna gewijzigd").waitFor();
    await product(page, "Kadernotitie").getByRole("button", { name: "Kadernotitie ter vaststelling aanbieden" }).click();
    await page.getByRole("status").filter({ hasText: "(versie 3) is ter vaststelling aangeboden" }).waitFor();
  }));

  test("bestuur sees that a new version waits and adopts it again", () => as("bestuur", "readoption", async (page) => {
    await openProcess(page);
    const kader = product(page, "Kadernotitie");
    await kader.getByText("Versie 2 was vastgesteld; versie 3 wacht op uw vaststelling:").waitFor();
    await kader.locator(".vaststellen").getByText("Speelplek").waitFor();
    await kader.getByRole("button", { name: "Kadernotitie vaststellen" }).click();
    await kader.getByRole("button", { name: "Ja, versie 3 vaststellen" }).click();
    await page.getByRole("status").filter({ hasText: "Kadernotitie is vastgesteld (versie 3)." }).waitFor();
  }));

  test("the manager commits capacity", () => as("manager", "capaciteit", async (page) => {
    await signIn(page, "gemeente", "Mia Manager");
    await page.getByRole("heading", { level: 1, name: "Processen" }).waitFor();
    await openProcess(page);
    const capaciteit = product(page, "Capaciteit");
    // Chosen by name from the organisation's adviseurs; nobody types an id.
    const choice = capaciteit.getByLabel("Adviseur (verplicht)");
    const offered = await choice.locator("option").allTextContents();
    assert.deepEqual(offered, ["Maak een keuze", "Anna Adviseur", "Cor Collega"]);
    await choice.selectOption({ label: "Anna Adviseur" });
    await capaciteit.getByLabel("Uren").fill("40");
    await save(page, "Capaciteit");
  }));

  test("another adviseur reads the process assigned to Anna, without forms or buttons", () => as("collega", "collega", async (page) => {
    await signIn(page, "gemeente", "Cor Collega");
    await page.getByRole("heading", { level: 1, name: "Processen" }).waitFor();
    await openProcess(page);
    await page.getByRole("status").filter({ hasText: "aan een andere adviseur toegewezen" }).waitFor();
    await product(page, "Kadernotitie").getByText("Groen en zitplekken").waitFor();
    // The trail names colleagues, not their ids.
    await page.locator(".trail").getByText("Mia Manager (manager):").first().waitFor();
    await page.locator(".trail").getByText("Anna Adviseur (adviseur):").first().waitFor();
    assert.doesNotMatch(await page.locator(".trail").textContent(), /\(u-[0-9a-f]/);
    assert.equal(await page.locator("main form").count(), 0);
    assert.equal(await page.locator("main button").count(), 0);
    await accessible(page, "a process assigned to someone else");
  }));

  test("the adviseur takes the step to gesprek and records a conversation", () => as("adviseur", "gesprek", async (page) => {
    await openProcess(page);
    await step(page, "Naar gesprek organiseren");
    assert.equal(await currentPhase(page), "Gesprek organiseren");
    const plan = product(page, "Gespreksplan");
    await plan.getByLabel("bijeenkomst", { exact: true }).check();
    await plan.getByLabel("Uitnodiging").fill("U bent welkom op 6 januari in het buurthuis.");
    await plan.getByLabel("Doelgroepen").fill("Bewoners\nOndernemers");
    await save(page, "Gespreksplan");
    const verslag = product(page, "Gespreksverslag");
    // Long ago, so that the terugkoppeling is overdue as soon as it starts.
    await verslag.getByLabel("Datum").fill("2020-01-06");
    await verslag.getByLabel("Vorm").selectOption("bijeenkomst");
    await verslag.getByLabel("Aantal deelnemers").fill("23");
    await verslag.getByRole("button", { name: "Inbreng toevoegen" }).click();
    // The new row's field has the focus: the adviseur types on.
    await page.keyboard.type("Meer bankjes in de schaduw.");
    assert.equal(await verslag.getByLabel("Tekst").inputValue(), "Meer bankjes in de schaduw.");
    await verslag.getByRole("button", { name: "Inbreng toevoegen" }).click();
    await verslag.getByLabel("Tekst").nth(1).fill("Een watertappunt bij de speeltuin.");
    await accessible(page, "a form with item rows");
    await save(page, "Gespreksverslag", "Gespreksverslag 1 opslaan");
    await step(page, "Naar opbrengst duiden");
    assert.equal(await currentPhase(page), "Opbrengst duiden");
    // The terugkoppeling was due long ago: the watcher records it as missed within a second
    // or so. Wait for that event in the trail, so that it does not land while a later test
    // has the page open (a save from that page would then be refused as outdated).
    for (let attempt = 0; ; attempt++) {
      await page.reload();
      await page.locator(".trail").getByText("Stap gezet: Gesprek organiseren → Opbrengst duiden").waitFor();
      if (await page.locator(".trail").getByText(/Termijn verlopen: Terugkoppeling aan deelnemers/).count() > 0) break;
      assert.ok(attempt < 50, "the watcher did not record the missed terugkoppeling");
      await page.waitForTimeout(200);
    }
  }));

  test("the manager sees the overdue terugkoppeling, per advisor, with a CSV download", () => as("manager", "overview", async (page) => {
    // The list in one request: phase, next deadline and assignee come with it.
    const paths = await apiRequests(page, async () => {
      await page.getByRole("link", { name: "Processen", exact: true }).click();
      await page.getByRole("row").filter({ hasText: TITLE }).getByText("Terugkoppeling aan deelnemers, verlopen").waitFor();
    });
    assert.equal(count(paths, "/api/v1/processes"), 1, paths.join("\n"));
    assert.ok(!paths.some((p) => p.startsWith("/api/v1/processes/") || p === "/api/v1/deadlines"), paths.join("\n"));
    const listed = page.getByRole("row").filter({ hasText: TITLE });
    assert.match(await listed.textContent(), /Opbrengst duiden/);
    assert.match(await listed.textContent(), /Anna Adviseur/);
    // The filters are the server's: one request each, the answer says how many match.
    // Each "Toon" draws a new page: wait until the old one is gone (its text may read the
    // same), or what is typed next goes into a form that is about to be replaced.
    const showFiltered = async () => {
      const before = await page.getByRole("heading", { level: 1 }).elementHandle();
      await page.getByRole("button", { name: "Toon" }).click();
      await page.waitForFunction((element) => !element.isConnected, before);
    };
    await page.getByLabel("Alleen met een verlopen termijn").check();
    await showFiltered();
    await page.getByText("1 van 1 getoond.").waitFor();
    await listed.waitFor();
    await page.getByLabel("Zoekterm").fill("Nergens");
    await showFiltered();
    await page.getByText("Geen processen die aan deze keuze voldoen.").waitFor();
    await accessible(page, "the filtered process list");
    await page.getByRole("link", { name: "Termijnen" }).click();
    await page.getByRole("heading", { level: 1, name: "Termijnen" }).waitFor();
    const row = page.getByRole("row").filter({ hasText: TITLE });
    await row.getByRole("cell", { name: "Terugkoppeling aan deelnemers", exact: true }).waitFor();
    assert.match(await row.textContent(), /\d+ dagen te laat/);
    assert.match(await row.textContent(), /\d{1,2} januari 2020/, "the date as a Dutch reader writes it");
    // Counted in words and dated in Dutch: "Verlopen: 1 termijn, vandaag is 2 december 2026".
    await page.getByText(/Verlopen: 1 termijn, vandaag is \d{1,2} [a-z]+ \d{4}/).waitFor();
    // The chart draws: a bar per adviseur with the name and the number as text beside it.
    const bars = page.locator("figure .grafiek__rij");
    assert.deepEqual(await bars.allTextContents(), ["Anna Adviseur1"]);
    assert.ok((await bars.locator(".grafiek__balk").boundingBox()).width > 100);
    // At 375 px the name is as large as the text around it.
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      const size = await bars.locator(".grafiek__label").evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
      assert.ok(size >= 14, `the chart's names are ${size} px`);
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
    await accessible(page, "the deadline overview");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download als CSV" }).click()]);
    const csv = await (await import("node:fs/promises")).readFile(await download.path(), "utf8");
    assert.match(csv, /Herinrichting Stationsplein/);
  }));

  test("the manager reminds the adviseur and hands the process over and back, from Termijnen", () => as("manager", "follow-up", async (page) => {
    await page.getByRole("link", { name: "Termijnen" }).click();
    const row = page.getByRole("row").filter({ hasText: TITLE });
    await row.getByRole("cell", { name: "Anna Adviseur", exact: true }).waitFor();
    await row.locator("summary", { hasText: "Herinnering sturen" }).click();
    await row.getByLabel("Bericht aan de adviseur").fill("Lukt het deze week?");
    await row.getByRole("button", { name: "Herinnering sturen" }).click();
    // Said where the manager pressed the button, not at the top of the page.
    await row.getByRole("status").filter({ hasText: "Herinnering gestuurd aan Anna Adviseur." }).waitFor();
    await row.getByText(/Herinnerd op .* door Mia Manager: Lukt het deze week\?/).waitFor();

    await row.locator("summary", { hasText: "Overdragen" }).click();
    const to = row.getByLabel("Aan welke adviseur (verplicht)");
    assert.deepEqual(await to.locator("option").allTextContents(), ["Maak een keuze", "Cor Collega"]);
    await row.getByRole("button", { name: "Overdragen" }).click();
    assert.equal(await to.getAttribute("aria-invalid"), "true", "no choice: the field says so");
    await to.selectOption({ label: "Cor Collega" });
    await row.getByLabel("Toelichting").fill("Anna is deze week op cursus.");
    await row.getByRole("button", { name: "Overdragen" }).click();
    await row.getByRole("status").filter({ hasText: "Overgedragen aan Cor Collega." }).waitFor();
    await row.getByRole("cell", { name: "Cor Collega", exact: true }).waitFor();
    await accessible(page, "the follow-up forms on Termijnen");

    // On the process page: who runs it, and the hand-over back to Anna.
    await row.getByRole("link", { name: TITLE }).click();
    await page.getByText("Dit proces is toegewezen aan Cor Collega.").waitFor();
    const section = page.locator("section").filter({ has: page.getByRole("heading", { name: "Adviseur", exact: true }) });
    await section.locator("summary", { hasText: "Overdragen" }).click();
    await section.getByLabel("Aan welke adviseur (verplicht)").selectOption({ label: "Anna Adviseur" });
    await section.getByRole("button", { name: "Overdragen" }).click();
    // The page is drawn anew; the confirmation stays in the section where the manager acted.
    await page.getByText("Dit proces is toegewezen aan Anna Adviseur.").waitFor();
    await section.getByRole("status").filter({ hasText: "Overgedragen aan Anna Adviseur." }).waitFor();
    await section.getByText(/Overgedragen op .* door Mia Manager\./).waitFor();
    await page.locator(".trail").getByText("Proces overgedragen van Cor Collega aan Anna Adviseur").waitFor();
  }));

  test("the adviseur answers the inbreng, reports back, records the decision and evaluates", () => as("adviseur", "to afgerond", async (page) => {
    await page.reload();
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    // The manager's reminder is on the adviseur's own page, with who sent it.
    await page.getByText(/Herinnerd op .* door Mia Manager: Lukt het deze week\?/).waitFor();
    const opbrengst = product(page, "Opbrengstendocument");
    await opbrengst.getByLabel("Samenvatting").fill("Bewoners willen meer schaduw.");
    // One row per inbreng, with its text to read; no code is typed anywhere.
    const rows = opbrengst.locator(".items .rij");
    assert.equal(await rows.count(), 2);
    await rows.nth(0).getByText("Meer bankjes in de schaduw.").waitFor();
    await rows.nth(1).getByText("Een watertappunt bij de speeltuin.").waitFor();
    assert.equal(await opbrengst.getByLabel(/kenmerk/i).count(), 0);
    const verwerking = rows.nth(0).getByLabel("Verwerking (verplicht)");
    assert.ok((await verwerking.locator("option").allTextContents()).includes("valt buiten de kaders"));
    await verwerking.selectOption("overgenomen");
    await rows.nth(1).getByLabel("Verwerking (verplicht)").selectOption("buiten_kaders");
    await rows.nth(1).getByLabel("Motivering").fill("Dit gaat over de speeltuin, niet over het plein.");
    await opbrengst.getByLabel("Advies aan de besluitvormer").fill("Plaats vijf bankjes onder de bomen.");
    await save(page, "Opbrengstendocument");
    await step(page, "Naar terugkoppeling");

    const bericht = product(page, "Terugkoppelingsbericht");
    await bericht.getByLabel("Verzonden op").fill("2020-01-10");
    await bericht.getByLabel("brief", { exact: true }).check();
    await bericht.getByLabel("Bereikte doelgroepen").fill("Bewoners");
    await bericht.getByLabel("Bericht").fill("Dank voor uw inbreng; de bankjes komen er.");
    await save(page, "Terugkoppelingsbericht");
    // Ondernemers were a doelgroep of the kadernotitie but were not reached: refused.
    await page.getByRole("button", { name: "Naar besluit", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "Ondernemers" }).waitFor();
    await product(page, "Terugkoppelingsbericht").getByLabel("Bereikte doelgroepen").fill("Bewoners\nOndernemers");
    await save(page, "Terugkoppelingsbericht");
    await step(page, "Naar besluit");

    const besluit = product(page, "Besluit");
    await besluit.getByLabel("Datum van het besluit").fill("2020-02-01");
    await besluit.getByLabel("Orgaan").selectOption("college");
    await besluit.getByLabel("Samenvatting").fill("Het college besluit tot vijf bankjes.");
    await save(page, "Besluit");
    const terug = product(page, "Terugkoppeling van het besluit");
    await terug.getByLabel("Verzonden op").fill("2020-02-03");
    await terug.getByLabel("website", { exact: true }).check();
    await terug.getByLabel("Bericht").fill("Het college heeft besloten.");
    await save(page, "Terugkoppeling van het besluit");
    await step(page, "Naar evaluatie");

    const evaluatie = product(page, "Evaluatie");
    await evaluatie.getByLabel("Wat ging goed").fill("Veel opkomst.");
    await evaluatie.getByRole("button", { name: "Verbeterpunten toevoegen" }).click();
    await evaluatie.getByLabel("Verbeterpunt").fill("Eerder uitnodigen.");
    await evaluatie.getByLabel("Rol").selectOption("adviseur");
    await evaluatie.getByLabel("Niveau").selectOption("gesprek");
    await save(page, "Evaluatie");
    await page.getByRole("button", { name: "Proces afronden", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Het proces is afgerond." }).waitFor();
    assert.equal(await currentPhase(page), "Afgerond");
    // The trail loads after the page: wait for its last line.
    await page.locator(".trail").getByText(/Stap gezet: Evaluatie → Afgerond/).waitFor();
    const trail = await page.locator(".trail li").allTextContents();
    assert.ok(trail.some((line) => /Kadernotitie vastgesteld/.test(line) && /Bert Bestuur|bestuur/.test(line)), trail.join("\n"));
    assert.ok(trail.some((line) => /Stap gezet: Evaluatie → Afgerond/.test(line)), trail.join("\n"));
    await accessible(page, "the finished process");
  }));

  test("the auditor opens the zorgvuldigheidsrapport and the Borgingshuis", () => as("auditor", "auditor", async (page) => {
    await signIn(page, "gemeente", "Olga Auditor");
    await page.getByRole("heading", { level: 1, name: "Processen" }).waitFor();
    await openProcess(page);
    await page.getByRole("link", { name: "Zorgvuldigheidsrapport" }).click();
    await page.getByText(TITLE).first().waitFor();
    assert.match(await page.content(), /voldaan/i);
    await page.goto("/#/borgingshuis");
    await page.getByRole("heading", { level: 1, name: "Borgingshuis" }).waitFor();
    assert.equal(await page.locator(".borgingshuis td.signaal").count(), 9);
    // The organisation by its name, not its slug.
    await page.getByRole("table", { name: /^Borgingshuis van Gemeente Voorbeeld \(\d+ (proces|processen)\)$/ }).waitFor();
    // Each percentage says what it is made of.
    await page.locator(".borgingshuis").getByText(/: 100% \(1 van 1 proces\)/).first().waitFor();
    await page.getByText("Eerder uitnodigen.", { exact: false }).first().waitFor({ state: "attached" });
    await accessible(page, "the Borgingshuis");
  }));

  test("the auditor follows an indicator of the Borgingshuis to its processes and opens one", () => as("auditor", "indicator", async (page) => {
    await page.goto("/#/borgingshuis");
    await page.getByRole("heading", { level: 1, name: "Borgingshuis" }).waitFor();
    // Beside each percentage, the way to the processes behind it.
    const indicator = page.locator(".borgingshuis li").filter({ hasText: "Capaciteit toegezegd:" });
    await indicator.getByRole("link").click();
    await page.getByRole("heading", { level: 1, name: "Capaciteit toegezegd" }).waitFor();
    assert.match(await page.locator("main").textContent(), /organisatie × manager: \d+% \(\d+ van \d+ (proces|processen)\)/);
    await page.getByRole("link", { name: /^Voldoet \(\d+\)$/ }).click();
    await page.getByRole("table", { name: "Processen die voldoen" }).waitFor();
    await accessible(page, "the processes behind an indicator");
    await page.getByRole("table").getByRole("link", { name: TITLE }).click();
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
  }));

  test("a user of another organisation cannot open the process", () => as("vreemd", "cross organisation", async (page) => {
    const id = (await api(pages.auditor, "/api/v1/processes")).items[0].id;
    await signIn(page, "buurgemeente", "Vera Vreemd");
    await page.getByRole("heading", { level: 1, name: "Processen" }).waitFor();
    await page.getByText("Er zijn nog geen processen.").waitFor();
    await page.goto(`/#/processen/${id}`);
    await page.getByRole("alert").waitFor();
    assert.doesNotMatch(await page.locator("main").textContent(), new RegExp(TITLE));
  }));

  test("signing out ends the session on the server, not only in the browser", () => as("vreemd", "sign out", async (page) => {
    const [cookie] = await page.context().cookies();
    await page.getByRole("button", { name: "Afmelden" }).click();
    await page.getByRole("heading", { level: 1, name: "Aanmelden" }).waitFor();
    // The old cookie, sent by hand, no longer opens anything.
    const replay = await fetch(`${navolg.url}/api/v1/me`, { headers: { Cookie: `${cookie.name}=${cookie.value}` } });
    assert.equal(replay.status, 401);
  }));

  test("a process whose trail was edited outside navolg says so and offers nothing to change", () => as("auditor", "damaged", async (page) => {
    // Someone with access to the database file changes an adopted text: the next read sees it.
    const edit = spawnSync("sqlite3", [navolg.db,
      "UPDATE product_versions SET content = content || ' ' WHERE product = 'kadernotitie'"],
    { encoding: "utf8" });
    assert.equal(edit.status, 0, `sqlite3: ${edit.stderr}`);
    await page.goto("/#/processen");
    await page.getByRole("link", { name: TITLE }).click();
    await page.getByRole("alert").filter({ hasText: "Logboek beschadigd" }).waitFor();
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    assert.match(await page.locator("main").textContent(), /kadernotitie 1 versie \d+ is gewijzigd/);
    assert.equal(await page.getByRole("button").filter({ hasText: /opslaan|vaststellen/i }).count(), 0);
    await page.getByRole("link", { name: "Zorgvuldigheidsrapport" }).waitFor();
    await accessible(page, "a damaged process");
  }));

  // A page left before its answer came (slow network, a quick second click) must not replace
  // the page the user went to when that answer arrives after all.
  test("a slow page the user already left does not replace the next one", () => as("auditor", "late answer", async (page) => {
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route("**/api/v1/borgingshuis", async (route) => {
      await held;
      await route.continue();
    });
    try {
      await page.goto("/#/processen");
      await page.getByRole("heading", { level: 1, name: "Processen" }).waitFor();
      await page.getByRole("link", { name: "Borgingshuis" }).click();
      await page.getByRole("link", { name: "Termijnen" }).click();
      await page.getByRole("heading", { level: 1, name: "Termijnen" }).waitFor();
      release();
      await page.waitForLoadState("networkidle");
      await page.waitForTimeout(300);
      assert.equal(await page.locator("main h1").textContent(), "Termijnen");
    } finally {
      release();
      await page.unroute("**/api/v1/borgingshuis");
    }
  }));

  test("on a 375 px phone no page is wider than the screen; wide tables scroll on their own", async () => {
    const pagesToVisit = [
      ["auditor", ["#/processen", "#/termijnen", "#/borgingshuis", "#/beveiligingslog", "#/openbare-sleutel"]],
      ["beheerder", ["#/gebruikers"]],
    ];
    for (const [role, hashes] of pagesToVisit) {
      const page = pages[role];
      await screenshotOnFailure(page, `narrow ${role}`, async () => {
        await page.setViewportSize({ width: 375, height: 800 });
        try {
          for (const hash of hashes) {
            await page.goto(`/${hash}`);
            await page.locator("main h1").waitFor();
            await page.waitForLoadState("networkidle");
            const width = await page.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(width <= 375, `${hash} as ${role} is ${width} px wide`);
          }
          if (hashes.includes("#/processen")) {
            await page.goto("/#/processen");
            await page.getByRole("link", { name: TITLE }).click();
            await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
            const width = await page.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(width <= 375, `the damaged process as ${role} is ${width} px wide`);
          }
          await accessible(page, `narrow pages as ${role}`);
        } finally {
          await page.setViewportSize({ width: 1280, height: 720 });
        }
      });
    }
  });
});

// Two people at work on one process at once. A save states the version of its own product, so
// a colleague's save of another product does not refuse it; a save over a changed product is
// refused, and what was typed stays in the form beside what is stored now.
describe("tegelijk", () => {
  const OTHER = "Speelplein Noord";

  async function open(page, title) {
    await page.goto("/#/processen");
    await page.getByRole("link", { name: title, exact: true }).click();
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
  }

  test("the adviseur and the manager save different products at the same moment and both land", () => as("adviseur", "concurrent saves", async (page) => {
    await page.goto("/#/processen");
    await page.getByLabel("Titel").fill(OTHER);
    await page.getByLabel("Procesdefinitie").selectOption("standaard-participatie");
    await page.getByRole("button", { name: "Proces aanmaken" }).click();
    await page.getByRole("heading", { level: 1, name: OTHER }).waitFor();
    const manager = pages.manager;
    await open(manager, OTHER);
    // Both pages were drawn at the same process version; both people type, then both save.
    await product(page, "Kadernotitie").getByLabel("Onderwerp").fill("Een speelplein voor de wijk");
    const capaciteit = product(manager, "Capaciteit");
    await capaciteit.getByLabel("Adviseur (verplicht)").selectOption({ label: "Anna Adviseur" });
    await capaciteit.getByLabel("Uren").fill("24");
    await Promise.all([save(page, "Kadernotitie"), save(manager, "Capaciteit")]);
    const id = await page.evaluate(() => location.hash.split("/")[2]);
    const trail = await api(page, `/api/v1/processes/${id}/events`);
    const saved = trail.items.filter((e) => e.type === "product.saved").map((e) => e.data.product).sort();
    assert.deepEqual(saved, ["capaciteit", "kadernotitie"]);
    assert.equal(await page.getByRole("alert").count(), 0);
    assert.equal(await manager.getByRole("alert").count(), 0);
  }));

  test("a save over a colleague's newer version keeps the typed text and shows what is stored now", () => as("adviseur", "stale save", async (page) => {
    // Anna in a second window: the same product, edited twice from one version.
    const second = await newPage(browser, navolg.url);
    try {
      await signIn(second, "gemeente", "Anna Adviseur");
      await second.getByRole("heading", { level: 1, name: "Processen" }).waitFor();
      await open(page, OTHER);
      await open(second, OTHER);
      await product(page, "Kadernotitie").getByLabel("Onderwerp").fill("Speelplein met water");
      await product(second, "Kadernotitie").getByLabel("Onderwerp").fill("Speelplein met bomen");
      await save(page, "Kadernotitie");
      const kader = product(second, "Kadernotitie");
      await kader.getByRole("button", { name: "Kadernotitie opslaan" }).click();
      await kader.getByRole("alert").filter({ hasText: "Uw tekst staat nog in het formulier." }).waitFor();
      assert.equal(await kader.getByLabel("Onderwerp").inputValue(), "Speelplein met bomen");
      const now = kader.locator("details").filter({ hasText: /^Nu opgeslagen: versie \d+/ });
      await now.getByText("Speelplein met water").waitFor();
      await accessible(second, "a refused stale save");
      // Saving again keeps this version, on purpose.
      await save(second, "Kadernotitie");
      await open(page, OTHER);
      await product(page, "Kadernotitie").getByText("Status: versie 3, nog niet compleet").waitFor();
      assert.equal(await product(page, "Kadernotitie").getByLabel("Onderwerp").inputValue(), "Speelplein met bomen");
    } finally {
      await second.context().close();
    }
  }));
});
