import { sql } from "drizzle-orm";
import type { Engine } from "../engine";

// PostgreSQL's side of the seed's housekeeping (db/bulk.ts).

/** The tables whose integer id comes from an identity sequence. */
const IDENTITIES: [table: string, column: string][] = [
  ["customs_offices", "id"],
  ["right_holders", "id"],
  ["campaigns", "id"],
  ["cases", "id"],
  ["audit_log", "id"],
  ["recordations", "id"],
  ["recordation_parties", "id"],
];

/** Moves each identity sequence just past its table's largest id (to 1 for an empty table), as SQLite's rowids follow. */
export async function restartPostgresIdentities(tx: Engine): Promise<void> {
  for (const [table, column] of IDENTITIES) {
    await tx.run(
      sql.raw(`select setval(pg_get_serial_sequence('"${table}"', '${column}'), coalesce((select max("${column}") from "${table}"), 0) + 1, false)`),
    );
  }
}
