import type { AuditFilter } from "@/db/repo/audit";
import { auditActions } from "@/lib/enums";
import type { Ignored } from "@/lib/filters";

// The audit page's URL: user, action, entity, from, to, page. A bad value is left out and
// named on the page, never an error.

type Raw = Record<string, string | string[] | undefined>;

const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

export function parseAuditParams(raw: Raw): { filter: AuditFilter; page: number; ignored: Ignored[] } {
  const ignored: Ignored[] = [];
  const first = (name: string): string | undefined => {
    const v = raw[name];
    const value = Array.isArray(v) ? v[0] : v;
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const filter: AuditFilter = {};
  const user = first("user");
  if (user !== undefined) {
    if (user.length <= 100) filter.userId = user;
    else ignored.push({ parameter: "user", value: user.slice(0, 40), reason: "length" });
  }
  const action = first("action");
  if (action !== undefined) {
    if (auditActions.is(action)) filter.action = action;
    else ignored.push({ parameter: "action", value: action, reason: "value" });
  }
  const entity = first("entity");
  if (entity !== undefined) {
    if (/^[a-z_]{1,40}$/.test(entity)) filter.entity = entity;
    else ignored.push({ parameter: "entity", value: entity.slice(0, 40), reason: "value" });
  }
  for (const name of ["from", "to"] as const) {
    const value = first(name);
    if (value === undefined) continue;
    if (isDate(value)) filter[name] = value;
    else ignored.push({ parameter: name, value, reason: "date" });
  }
  if (filter.from && filter.to && filter.to < filter.from) {
    ignored.push({ parameter: "to", value: filter.to, reason: "range" });
    delete filter.to;
  }
  let page = 1;
  const rawPage = first("page");
  if (rawPage !== undefined) {
    if (/^\d{1,9}$/.test(rawPage) && Number(rawPage) >= 1) page = Number(rawPage);
    else ignored.push({ parameter: "page", value: rawPage, reason: "page" });
  }
  return { filter, page, ignored };
}

/** The audit page's address for a filter and page (empty values left out). */
export function auditHref(filter: AuditFilter, page = 1): string {
  const params = new URLSearchParams();
  if (filter.userId) params.set("user", filter.userId);
  if (filter.action) params.set("action", filter.action);
  if (filter.entity) params.set("entity", filter.entity);
  if (filter.from) params.set("from", filter.from);
  if (filter.to) params.set("to", filter.to);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `/admin/audit?${query}` : "/admin/audit";
}
