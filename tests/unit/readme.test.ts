import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The README's first promise — two commands — and its configuration table must stay true as
// the code changes: every environment variable the product reads is in the table, and every
// variable in the table is read.

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };

/** The product's code: what runs in the app, the start and the scripts (tests and the bench excluded). */
const CODE = ["app", "components", "db", "lib", "i18n", "scripts", "seed", "proxy.ts", "next.config.js"];
/** Set by the platform, not by whoever runs the app. */
const STANDARD = new Set(["NODE_ENV", "PATH"]); // PATH: where PostgreSQL's pg_dump/pg_restore are looked for (db/postgres/backup.ts)

function files(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return /\.(ts|tsx|mjs|js)$/.test(full) ? [full] : [];
  return fs.readdirSync(full).flatMap((child) => (child === "migrations" ? [] : files(path.join(entry, child))));
}

/** Variables read as process.env.X, process.env["X"], or through serve.mjs's envNumber("X", …); assignments are not reads. */
function variablesRead(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of CODE.flatMap(files)) {
    const text = fs.readFileSync(file, "utf8");
    const patterns = [/process\.env\.([A-Z][A-Z0-9_]*)\b(?!\s*=[^=])/g, /process\.env\[["']([A-Z][A-Z0-9_]*)["']\](?!\s*=[^=])/g, /envNumber\(["']([A-Z][A-Z0-9_]*)["']/g];
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        if (STANDARD.has(match[1]!)) continue;
        found.set(match[1]!, [...(found.get(match[1]!) ?? []), path.relative(ROOT, file)]);
      }
    }
  }
  return found;
}

/** The first column of the table under "## Configuration". */
function documentedVariables(): string[] {
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? "";
  return [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]!);
}

describe("the README", () => {
  it("opens with the two commands, and package.json has both scripts", () => {
    const first = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const commands = first.split("\n").map((line) => line.replace(/#.*$/, "").trim()).filter(Boolean);
    expect(commands).toEqual(["npm install && npm start", "npm test"]);
    expect(pkg.scripts.start).toBeTruthy();
    expect(pkg.scripts.test).toBeTruthy();
    // the files those scripts run exist
    for (const script of [pkg.scripts.start!, pkg.scripts.test!]) {
      for (const [, file] of script.matchAll(/\b((?:scripts|seed|tests)\/[\w./-]+\.(?:mjs|ts|js))/g)) {
        expect(fs.existsSync(path.join(ROOT, file!)), `${file} (package.json)`).toBe(true);
      }
    }
  });

  it("documents every environment variable the code reads, in its configuration table", () => {
    const read = variablesRead();
    const documented = documentedVariables();
    expect(documented.length).toBeGreaterThan(5);
    const undocumented = [...read.keys()].filter((name) => !documented.includes(name)).map((name) => `${name} (${[...new Set(read.get(name))].join(", ")})`);
    expect(undocumented).toEqual([]);
    // …and documents none that nothing reads
    expect(documented.filter((name) => !read.has(name))).toEqual([]);
  });

  it("names the variables the bench and the load script read, and no other database variable", () => {
    const bench = ["tests/bench/run.ts", "tests/bench/load.ts"].map((f) => fs.readFileSync(path.join(ROOT, f), "utf8")).join("\n");
    const read = new Set([...bench.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)\b(?!\s*=[^=])/g)].map((m) => m[1]!));
    for (const name of read) if (!STANDARD.has(name) && name !== "BENCH_VERBOSE") expect(readme, name).toContain(`\`${name}\``);
    expect([...read].filter((name) => /DATABASE_URL/.test(name))).toEqual(["DATABASE_URL"]);
  });
});
