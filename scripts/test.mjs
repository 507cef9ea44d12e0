// `npm test`: the unit and integration projects in one vitest process and the browser tests (the
// e2e project) in two more, at the same time. Within one vitest process the e2e files, which
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
import { register } from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const extra = process.argv.slice(2);

const runs = [
  { label: "[unit, integration] ", args: ["--project", "unit", "--project", "integration"] },
  // the browser files in two halves, each its own vitest process with its own seeded database and
  // server (tests/e2e/global-setup.ts), so that no file meets the other half's writes
  { label: "[browser 1/2] ", args: ["--project", "e2e", "--shard=1/2"], build: true },
  { label: "[browser 2/2] ", args: ["--project", "e2e", "--shard=2/2"], build: true },
];
const children = [];

// the browser halves share one build: made once here (when a source file is newer than it),
// beside the unit tests, before either half's global setup would look for it
let building = null;
function buildOnce() {
  building ??= (async () => {
    // only unit or integration files named: no browser test runs, no build is needed
    if (extra.length && extra.every((a) => /^(\.\/)?tests\/(unit|integration)\//.test(a))) return 0;
    register();
    const { buildIsStale, nextBuildCommand } = await import("./build-if-needed.ts");
    if (!buildIsStale(root)) return 0;
    console.log("[browser] Building the application (next build)…");
    const { command, args, options } = nextBuildCommand(root);
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    child.stdout.on("data", (d) => process.stdout.write(d));
    child.stderr.on("data", (d) => process.stderr.write(d));
    return new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1)));
  })();
  return building;
}

async function run({ label, args, build }) {
  if (build) {
    const code = await buildOnce();
    if (code !== 0) {
      console.log(`${label}next build failed (exit code ${code}): no browser test ran`);
      return { code: 1, summary: { passed: 0, failed: 0, skipped: 0, errors: 0, seen: false }, label };
    }
  }
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
