import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

// `npm start` builds only when there is no build, or when a source file is newer than it.

const SOURCES = ["app", "components", "db", "lib", "i18n", "messages", "proxy.ts", "instrumentation.ts", "next.config.js", "package.json", "tsconfig.json"];

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

export function buildIsStale(root = process.cwd()): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

/** `next build` in `root`, as a command for spawn or spawnSync. */
export function nextBuildCommand(root = process.cwd()) {
  return {
    command: process.execPath,
    args: [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"],
    options: { cwd: root, stdio: ["ignore", "inherit", "inherit"] as ("ignore" | "inherit")[], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } },
  };
}

export function buildIfNeeded(root = process.cwd(), log: (line: string) => void = console.log): void {
  if (!buildIsStale(root)) return;
  log("Building the application (next build)…");
  const { command, args, options } = nextBuildCommand(root);
  const result = spawnSync(command, args, options);
  if (result.status !== 0) throw new Error(`next build failed (exit code ${result.status ?? result.signal}).`);
}
