import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, ROOT } from "../support/server";

// `npm start` stopped as a supervisor or a container's PID 1 stops it: one SIGTERM to the npm
// process. The signal must reach the server (npm → node scripts/start.mjs, the primary →
// its server processes); a request in flight gets its answer, the database is closed, and
// every process of the tree ends, leaving the port free. It runs the real `npm start` on a
// database of its own (an empty one in an existing folder: migrated, not seeded) and the
// build the e2e setup made.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ipr-stop-"));
const file = path.join(dir, "ipr.db");
let tree: number[] = [];

afterAll(() => {
  // whatever a failure left behind, by the PIDs this test saw
  for (const pid of tree) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

/** `pid` and its descendants (Linux /proc). */
function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // ended meanwhile
    }
  }
  const found = [pid];
  for (let i = 0; i < found.length; i++) for (const [child, parent] of parents) if (parent === found[i]) found.push(child);
  return found;
}

/** Whether the process still runs (a zombie waiting to be reaped has ended). */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

type Started = {
  npm: ChildProcess;
  port: number;
  output: () => string;
  printed: (pattern: RegExp) => Promise<void>;
  exited: Promise<void>;
  /** npm's output pipes closed: every process that held them (npm, the primary, the server processes) has ended */
  outputClosed: Promise<void>;
};

/** `npm start` on the test's database and a free port, once it is ready; `tree` holds its processes. */
async function npmStart(): Promise<Started> {
  const port = await freePort();
  let output = "";
  const npm = spawn("npm", ["start"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${file}`, PORT: String(port), WEB_CONCURRENCY: "2" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  npm.stdout!.on("data", (d) => (output += d));
  npm.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => npm.on("exit", () => resolve()));
  const outputClosed = new Promise<void>((resolve) => npm.on("close", () => resolve()));
  const printed = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(output)) resolve();
        else if (npm.exitCode !== null || npm.signalCode !== null) reject(new Error(`npm start ended before printing ${pattern}:\n${output}`));
      };
      npm.stdout!.on("data", check);
      npm.stderr!.on("data", check);
      void exited.then(check);
      check();
    });
  await printed(/Ready on port \d+: 2 processes/);
  tree = processTree(npm.pid!);
  // npm, the primary (node scripts/start.mjs, in place of npm's sh) and two server processes
  expect(tree.length).toBeGreaterThanOrEqual(4);
  return { npm, port, output: () => output, printed, exited, outputClosed };
}

/** Resolves once none of `pids` runs any more (their parents reap them as they go). */
async function allEnded(pids: number[]): Promise<void> {
  for (const pid of pids) while (running(pid)) await new Promise((r) => setTimeout(r, 100));
}

describe("npm start, stopped as a supervisor stops it", () => {
  it("SIGTERM to the npm process: finishes the request in flight, closes the database and leaves no process and no listener behind", async () => {
    const { npm, port, output, printed, exited } = await npmStart();
    // an empty database in an existing folder: migrated and served, not filled with demo data
    expect(output()).toMatch(/is empty: `npm run seed` fills it with demo data/);
    expect(output()).not.toMatch(/seeding/i);

    // a request in flight: its headers are in (the server answered "100 Continue"), its body not yet
    const body = JSON.stringify({ email: "nobody@example.cn", password: "not-the-password" });
    const request = http.request({
      host: "127.0.0.1", port, method: "POST", path: "/api/auth/sign-in/email", agent: false,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), origin: `http://127.0.0.1:${port}`, expect: "100-continue" },
    });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      request.on("response", (response) => {
        let text = "";
        response.on("data", (d) => (text += d));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
      });
      request.on("error", reject);
    });
    await new Promise<void>((resolve) => request.once("continue", () => resolve()));

    process.kill(npm.pid!, "SIGTERM");
    await printed(/Stopping \(SIGTERM\): finishing the requests in flight/);
    request.end(body);
    const answer = await answered;
    expect(answer.status).toBe(401); // better-auth's answer to an unknown account: the request was served, not cut off
    expect(answer.text).toMatch(/invalid email or password/i);

    await exited;
    expect(output()).toMatch(/^Stopped\.$/m);
    await allEnded(tree);
    expect(tree.filter(running)).toEqual([]);
    expect(await portIsFree(port)).toBe(true);
    // the last connection closed cleanly: SQLite checkpointed its WAL into the file and removed it
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(fs.statSync(file).size).toBeGreaterThan(0);
  });

  it("npm killed outright (SIGKILL, nothing passed on): the server notices its parent is gone and stops as well", async () => {
    const { npm, port, output, outputClosed } = await npmStart();
    process.kill(npm.pid!, "SIGKILL");
    // the primary and the server processes write into the pipes npm held; they close when all have ended
    await outputClosed;
    expect(output()).toMatch(/Stopping \(SIGTERM\): finishing the requests in flight/);
    await allEnded(tree);
    expect(tree.filter(running)).toEqual([]);
    expect(await portIsFree(port)).toBe(true);
    expect(output()).toMatch(/^Stopped\.$/m);
  });
});
