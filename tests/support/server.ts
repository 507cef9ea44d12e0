import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

// The production server as npm start runs it (scripts/serve.mjs over the existing build), for
// the browser tests, the crash tests and the load script.

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type AppServer = { baseURL: string; server: ChildProcess; log: () => string };

/**
 * Starts scripts/serve.mjs on a free port against `databaseFile` and waits until it answers
 * /api/health (60 s at most, else an error with what the server printed). `detached` puts it
 * in its own process group, so that killGroup reaches the primary and its workers at once.
 */
export async function startAppServer(databaseFile: string, options: { env?: Record<string, string>; detached?: boolean; quiet?: boolean; port?: number } = {}): Promise<AppServer> {
  const port = options.port ?? (await freePort());
  let log = "";
  const server = spawn(process.execPath, [path.join(ROOT, "scripts", "serve.mjs")], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${databaseFile}`, NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), ...options.env },
    stdio: ["ignore", options.quiet ? "ignore" : "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  server.stdout?.on("data", (d) => (log += d));
  server.stderr!.on("data", (d) => (log += d));
  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the app server exited with ${server.exitCode}:\n${log}`);
    if (Date.now() > deadline) throw new Error(`the app server did not answer at ${baseURL} within 60 s:\n${log}`);
    try {
      if ((await fetch(`${baseURL}/api/health`)).status < 500) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { baseURL, server, log: () => log };
}

/** Sends `signal` to the server's whole process group (started with `detached`). */
export function killGroup(server: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) return resolve();
    server.once("exit", () => resolve());
    try {
      process.kill(-server.pid!, signal);
    } catch {
      resolve();
    }
  });
}

/** Stops a server started without `detached`: SIGTERM, then SIGKILL after 5 s. */
export async function stopAppServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}
