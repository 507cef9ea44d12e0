// `npm test`: the unit and integration projects in one vitest process and the browser tests (the
// e2e project) in a second one, at the same time. Within one vitest process the e2e files, which
// run one at a time (fileParallelism: false), start only after every other file has finished,
// and their global setup (seeding, `next build`, the server) runs before the first unit test;
// but a browser test mostly waits (a page, a server, Chromium: under half a core), so run beside
// the others they cost little more than the longer of the two. Arguments are passed to both
// (`npm test -- tests/unit/filters.test.ts`); a process whose project holds none of the files
// named passes. Each line says which process printed it; the run ends with one unprefixed line,
// "tests: N passed, N failed", for both; exits 1 if either failed.
import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const extra = process.argv.slice(2);

const runs = [
  { label: "[unit, integration] ", args: ["--project", "unit", "--project", "integration"] },
  { label: "[browser] ", args: ["--project", "e2e"] },
];
const children = [];

function run({ label, args }) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, "run", ...args, ...(extra.length ? ["--passWithNoTests", ...extra] : [])], {
      stdio: ["ignore", "pipe", "pipe"],
      env: process.env,
    });
    children.push(child);
    const summary = { passed: 0, failed: 0, skipped: 0, errors: 0, seen: false };
    const follow = (stream, out) =>
      readline.createInterface({ input: stream }).on("line", (line) => {
        // eslint-disable-next-line no-control-regex
        const plain = line.replace(/\x1b\[[0-9;]*m/g, "");
        const m = /^tests: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?(?:, (\d+) errors? outside the tests)?$/.exec(plain);
        if (m) {
          Object.assign(summary, { passed: +m[1], failed: +m[2], skipped: +(m[3] ?? 0), errors: +(m[4] ?? 0), seen: true });
        }
        out.write(`${label}${line}\n`);
      });
    follow(child.stdout, process.stdout);
    follow(child.stderr, process.stderr);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), summary, label }));
  });
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
}

const started = Date.now();
const results = await Promise.all(runs.map(run));
let passed = 0;
let failed = 0;
let skipped = 0;
let errors = 0;
for (const r of results) {
  passed += r.summary.passed;
  failed += r.summary.failed;
  skipped += r.summary.skipped;
  errors += r.summary.errors;
  // a process that died before its summary line (a broken global setup, say) counts as a failure
  if (r.code !== 0 && !r.summary.seen) {
    failed += 1;
    console.log(`${r.label}vitest exited with code ${r.code} before its summary`);
  }
}
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
const tail = `${skipped ? `, ${skipped} skipped` : ""}${errors ? `, ${errors} error${errors > 1 ? "s" : ""} outside the tests` : ""}`;
console.log(`\nunit, integration and browser tests: ${minutes} min`);
console.log(`tests: ${passed} passed, ${failed} failed${tail}`);
process.exit(results.some((r) => r.code !== 0) ? 1 : 0);
