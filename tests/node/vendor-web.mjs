// The NL Design System style sheets in web/vendor/ are copies of files of npm packages pinned
// in this folder's package-lock.json (navolg compiles web/ into its binary, so building it
// needs no npm). This keeps the copies honest:
//
//   node tests/node/vendor-web.mjs REPOSITORY_ROOT           check: each copy equals its source
//   node tests/node/vendor-web.mjs REPOSITORY_ROOT --update  copy them again (after an upgrade)
import { copyFileSync, readFileSync } from "node:fs";
import path from "node:path";

const VENDORED = {
  "utrecht-components.css": "@utrecht/component-library-css/dist/index.css",
  "voorbeeld-theme.css": "@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css",
};

const [root, flag] = process.argv.slice(2);
if (!root || (flag && flag !== "--update")) {
  console.error("usage: node vendor-web.mjs REPOSITORY_ROOT [--update]");
  process.exit(2);
}
let failed = 0;
for (const [copy, source] of Object.entries(VENDORED)) {
  const from = path.join(root, "tests", "node", "node_modules", source);
  const to = path.join(root, "web", "vendor", copy);
  if (flag) {
    copyFileSync(from, to);
    console.log(`copied ${source} to web/vendor/${copy}`);
  } else if (readFileSync(from, "utf8") === readFileSync(to, "utf8")) {
    console.log(`ok     web/vendor/${copy} is ${source}`);
  } else {
    failed += 1;
    console.log(`FAILED web/vendor/${copy} differs from ${source}; run with --update`);
  }
}
process.exit(failed === 0 ? 0 : 1);
