// The first page's JavaScript, gzipped, against the budget (150 KB): the entry script of
// dist/index.html and every module it preloads — what a browser fetches before the home page shows.
// Writes dist/size-report.json and exits 1 over budget.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 150 * 1024;
const dist = new URL("../dist/", import.meta.url).pathname;
const html = readFileSync(join(dist, "index.html"), "utf8");
const firstPage = [
  ...html.matchAll(/<script[^>]+type="module"[^>]+src="\/([^"]+)"/g),
  ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+)"/g),
].map((m) => m[1]);
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const first = firstPage.map((file) => ({ file, bytes: readFileSync(join(dist, file)).length, gzip: gz(file) }));
const total = first.reduce((sum, f) => sum + f.gzip, 0);
const assets = readdirSync(join(dist, "assets"));
const all = assets.filter((f) => f.endsWith(".js")).map((f) => ({ file: `assets/${f}`, gzip: gz(`assets/${f}`) }));
const css = assets.filter((f) => f.endsWith(".css")).map((f) => ({ file: `assets/${f}`, gzip: gz(`assets/${f}`) }));
const report = {
  budgetBytes: BUDGET_BYTES,
  firstPageJsGzipBytes: total,
  firstPage: first,
  allJsGzipBytes: all.reduce((s, f) => s + f.gzip, 0),
  chunks: all.length,
  cssGzipBytes: css.reduce((s, f) => s + f.gzip, 0),
};
writeFileSync(join(dist, "size-report.json"), JSON.stringify(report, null, 2) + "\n");
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `first page JS: ${kb(total)} gzipped (budget ${kb(BUDGET_BYTES)}) in ${first.length} file(s); ` +
    `all JS ${kb(report.allJsGzipBytes)} in ${all.length} chunks; CSS ${kb(report.cssGzipBytes)}`,
);
if (!first.length) {
  console.error("check-size: no entry script found in dist/index.html");
  process.exit(1);
}
if (total > BUDGET_BYTES) {
  console.error(`check-size: the first page's JavaScript is over budget by ${kb(total - BUDGET_BYTES)}`);
  process.exit(1);
}
