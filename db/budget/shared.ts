import path from "node:path";
import { queryBudgetMs, queryReaders } from "../../lib/env";
import { ReaderPool } from "./pool";

// This server process's reader pool, one per process: kept on globalThis, so that the
// instrumentation hook that warms it at start-up and the pages that use it share it.

const globalForReaders = globalThis as unknown as { iprReaders?: ReaderPool };

export function readerPool(): ReaderPool {
  if (!globalForReaders.iprReaders) {
    globalForReaders.iprReaders = new ReaderPool({
      // from the project's folder: the production bundle moves the server's own code around
      workerFile: path.join(/* turbopackIgnore: true */ process.cwd(), "db", "budget", "worker.ts"),
      size: queryReaders(),
      budgetMs: queryBudgetMs(),
    });
  }
  return globalForReaders.iprReaders;
}
