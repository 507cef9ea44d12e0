// The reader process of the bench's filter-combination search: the server's reads, each
// computed afresh (the kept answers forgotten first), so that every time is the work itself.
import type { Engine } from "../../db/engine";
import { READS, STREAMS, type Cursor } from "../../db/budget/reads";
import { serveReads } from "../../db/budget/worker";
import { forgetKeptAnswers } from "../../db/queries/stats";

type Read = (e: Engine, ...args: unknown[]) => unknown;
void serveReads(
  {
    ...Object.fromEntries(
      Object.entries(READS as unknown as Record<string, Read>).map(([name, read]) => [
        `fresh:${name}`,
        (e: Engine, ...args: unknown[]) => (forgetKeptAnswers(e), read(e, ...args)),
      ]),
    ),
    ...(READS as unknown as Record<string, Read>),
  },
  STREAMS as unknown as Record<string, (e: Engine, ...args: unknown[]) => Promise<Cursor>>,
);
