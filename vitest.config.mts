import os from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: root },
      // queries are marked server-only for Next; under vitest they run in plain Node
      { find: /^server-only$/, replacement: `${root}tests/support/server-only.ts` },
    ],
  },
  test: {
    reporters: ["default", "./tests/support/summary-reporter.ts"],
    // unit and integration files two at a time even on 2 cores (vitest's default is cores − 1,
    // so one at a time there, the other core idle while a file waits on PostgreSQL or on the
    // CLIs and servers it spawns); more cores keep the default. The files never share a
    // database (tests/support/postgres.ts, seeded.ts), as on any machine of 3 cores or more.
    // The 12 files that seed: 6:10 → 4:16 wall, the same CPU (137 → 139 s), on the shared
    // 2 cores. The e2e project stays one file at a time (fileParallelism: false sets its 1).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    projects: [
      // a bound for a hang, not a measure: the property-based tests (fast-check, 100s of runs)
      // passed vitest's 5 s default at load average 15-20 on the 2 shared cores
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"], testTimeout: 60_000 } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          // PostgreSQL answers, and one migrated template database serves the run (tests/support/postgres.ts)
          globalSetup: ["tests/support/postgres-global.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/e2e/global-setup.ts"],
          // bounds for a test that hangs, not measures: under load (two CPU burners beside the
          // suite on 2 shared cores) the heaviest page tests — every right holder rendered and
          // checked by axe — ran past 90 s
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // expect.poll waits for a state in the browser: as long as an action may (1 s by default)
          expect: { poll: { timeout: 30_000 } },
        },
      },
    ],
  },
});
