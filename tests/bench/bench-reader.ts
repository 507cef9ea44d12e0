// The reader process of the bench's filter-combination search: the server's reads, each
// computed afresh (the kept answers forgotten first), so that every time is the work itself.
import type { Db } from "../../db/sqlite/open";
import { READS, STREAMS } from "../../db/budget/reads";
import { serveReads } from "../../db/budget/worker";
import { forgetKeptAnswers } from "../../db/queries/stats";

type Read = (db: Db, ...args: unknown[]) => unknown;
serveReads(
  {
    ...Object.fromEntries(
      Object.entries(READS as unknown as Record<string, Read>).map(([name, read]) => [
        `fresh:${name}`,
        (db: Db, ...args: unknown[]) => (forgetKeptAnswers(db), read(db, ...args)),
      ]),
    ),
    ...(READS as unknown as Record<string, Read>),
  },
  STREAMS as unknown as Record<string, (...args: unknown[]) => { rows: Iterator<unknown>; close: () => void }>,
);
