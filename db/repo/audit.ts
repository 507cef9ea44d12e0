import "server-only";
import { getEngine } from "../client";
import {
  auditFilterOptions as loadOptions, auditNames as loadNames, listAuditEntries as loadEntries,
  type AuditFilter, type AuditNames, type AuditPage, type AuditRow,
} from "../queries/audit";

// The audit log page: entries by filter and page, the choices of its filter, the names its
// entries refer to.

export type { AuditFilter, AuditNames, AuditPage, AuditRow };

export async function listAuditEntries(filter: AuditFilter, page: number): Promise<AuditPage> {
  return loadEntries(getEngine(), filter, page);
}

/** The accounts and entities the filter offers. */
export async function auditFilterOptions(): Promise<{ accounts: { id: string; email: string }[]; entities: string[] }> {
  return loadOptions(getEngine());
}

/** Names of the accounts, cases, holders and offices the rows refer to. */
export async function auditNames(rows: AuditRow[]): Promise<AuditNames> {
  return loadNames(getEngine(), rows);
}
