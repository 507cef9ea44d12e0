import type { SerializedError } from "vitest";
import type { Reporter, TestModule } from "vitest/node";

// Ends the run with one plain line, "tests: N passed, N failed", that CI logs can read. A test
// that never ran because its file or the run broke (an error in a hook, at import, or one
// vitest caught outside any test) counts as failed, never as skipped: nothing here is skipped
// on purpose, so a "skipped" count would hide a broken file.
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError> = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      // a file that broke is "failed", or still "pending" when the run itself broke
      const broken = module.state() !== "passed" && module.state() !== "skipped";
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed" || broken) failed++;
        else skipped++;
      }
      if (broken && [...module.children.allTests()].length === 0) failed++;
    }
    const errors = unhandledErrors.length ? `, ${unhandledErrors.length} error${unhandledErrors.length > 1 ? "s" : ""} outside the tests` : "";
    console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}${errors}`);
  }
}
