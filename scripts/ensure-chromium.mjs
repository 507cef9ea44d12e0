// Run before the tests: the browser tests need Debian's Chromium. When it is missing and
// we are root with apt, install it; otherwise stop with one sentence saying how.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";

export const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

export function findChromium() {
  if (process.env.CHROME_PATH) return fs.existsSync(process.env.CHROME_PATH) ? process.env.CHROME_PATH : null;
  return CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

function main() {
  if (findChromium()) return 0;
  if (process.env.CHROME_PATH) {
    console.error(`CHROME_PATH is set to ${process.env.CHROME_PATH}, which does not exist.`);
    return 1;
  }
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  if (!isRoot || !hasApt) {
    console.error("Chromium was not found: install it with `sudo apt-get install -y chromium` (or set CHROME_PATH), then run the tests again.");
    return 1;
  }
  console.log("Chromium was not found: installing Debian's chromium package (apt-get)…");
  try {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    execFileSync("apt-get", ["install", "-y", "-qq", "chromium", "fonts-noto-cjk"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  } catch {
    console.error("Installing Chromium with apt-get failed: install it with `apt-get install -y chromium`, then run the tests again.");
    return 1;
  }
  if (!findChromium()) {
    console.error("apt-get finished but /usr/bin/chromium is still missing: install Chromium by hand or set CHROME_PATH.");
    return 1;
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main());
