import { and, asc, eq, or, sql, type SQL } from "drizzle-orm";
import type { Engine } from "./engine";
import { writeAudit } from "./audit";
import { canonicalViewQuery, MAX_VIEW_NAME, MAX_VIEW_QUERY, type ViewPage } from "../lib/views";
import type { Role } from "../lib/enums";

// Saved views (issue 20, item 1): a user's named filters (lib/views.ts). A view is seen by its
// owner, and when shared by the accounts of the owner's role — a member's by the members of
// its own company only. Only the owner renames, updates or deletes it. Every write is one
// transaction with its audit entry. The reader comes from the session, never the request.

export type ViewReader = { id: string; role: Role; holderId: number | null };
export type SavedView = {
  id: number; name: string; page: ViewPage; query: string; shared: boolean;
  mine: boolean; ownerName: string | null; updatedAt: number;
};

/** A refusal of a view write, as a field of the form and an error code (messages "views.errors"). */
export class ViewError extends Error {
  constructor(readonly field: string, readonly code: string, readonly params: Record<string, string | number> = {}) {
    super(`${field}: ${code}`);
  }
}

function visible(e: Engine, reader: ViewReader): SQL {
  const v = e.t.savedViews;
  const company = reader.role === "member" ? (reader.holderId === null ? sql`false` : eq(v.holderId, reader.holderId)) : sql`true`;
  return or(eq(v.ownerId, reader.id), and(eq(v.shared, true), eq(v.role, reader.role), company))!;
}

/** The reader's views and those shared with it, by name. */
export async function listViews(e: Engine, reader: ViewReader): Promise<SavedView[]> {
  const { savedViews: v, users: u } = e.t;
  const rows = await e.db
    .select({ id: v.id, name: v.name, page: v.page, query: v.query, shared: v.shared, ownerId: v.ownerId, ownerName: u.name, ownerEmail: u.email, updatedAt: v.updatedAt })
    .from(v)
    .leftJoin(u, eq(u.id, v.ownerId))
    .where(visible(e, reader))
    .orderBy(asc(v.name), asc(v.id));
  return rows.map((r) => ({
    id: Number(r.id), name: r.name, page: r.page as ViewPage, query: r.query, shared: Boolean(r.shared),
    mine: r.ownerId === reader.id, ownerName: r.ownerName || r.ownerEmail || null, updatedAt: Number(r.updatedAt),
  }));
}

/** One view the reader may see, or null (another's private view and a missing one alike). */
export async function getView(e: Engine, reader: ViewReader, id: number): Promise<SavedView | null> {
  return (await listViews(e, reader)).find((view) => view.id === id) ?? null;
}

function cleanName(name: string): string {
  const trimmed = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").replace(/\s+/g, " ").trim();
  if (!trimmed) throw new ViewError("name", "required");
  if ([...trimmed].length > MAX_VIEW_NAME) throw new ViewError("name", "too_long", { max: MAX_VIEW_NAME });
  return trimmed;
}

function cleanQuery(page: ViewPage, query: string): string {
  if (query.length > MAX_VIEW_QUERY) throw new ViewError("query", "too_long", { max: MAX_VIEW_QUERY });
  return canonicalViewQuery(page, query);
}

async function nameTaken(tx: Engine, ownerId: string, name: string, except?: number): Promise<boolean> {
  const v = tx.t.savedViews;
  const rows = await tx.db.select({ id: v.id }).from(v).where(and(eq(v.ownerId, ownerId), eq(v.name, name))).limit(1);
  return rows.length > 0 && Number(rows[0]!.id) !== except;
}

async function ownView(tx: Engine, owner: ViewReader, id: number) {
  const v = tx.t.savedViews;
  const rows = await tx.db.select().from(v).where(and(eq(v.id, id), eq(v.ownerId, owner.id))).limit(1);
  if (!rows[0]) throw new ViewError("id", "not_found");
  return rows[0];
}

const snapshot = (r: { name: string; page: string; query: string; shared: boolean }) => ({ name: r.name, page: r.page, query: r.query, shared: Boolean(r.shared) });

export type NewView = { name: string; page: ViewPage; query: string; shared: boolean };

/** Saves the owner's current filter under a name; returns the new view's id. */
export async function createView(e: Engine, owner: ViewReader, input: NewView, now = Date.now()): Promise<number> {
  const name = cleanName(input.name);
  const query = cleanQuery(input.page, input.query);
  return e.transaction(async (tx) => {
    if (await nameTaken(tx, owner.id, name)) throw new ViewError("name", "taken", { name });
    const v = tx.t.savedViews;
    const row = { ownerId: owner.id, name, page: input.page, query, shared: input.shared, role: owner.role, holderId: owner.role === "member" ? owner.holderId : null, createdAt: now, updatedAt: now };
    const [inserted] = await tx.db.insert(v).values(row).returning({ id: v.id });
    const id = Number(inserted!.id);
    await writeAudit(tx, { userId: owner.id, action: "create", entity: "saved_view", entityId: id, before: null, after: snapshot(row), at: now });
    return id;
  });
}

export type ViewChange = { id: number; name?: string; shared?: boolean; query?: string };

/** Renames a view of the owner's, shares it or not, or sets its filter to `query` (its own page's). */
export async function changeView(e: Engine, owner: ViewReader, change: ViewChange, now = Date.now()): Promise<void> {
  const name = change.name === undefined ? undefined : cleanName(change.name);
  await e.transaction(async (tx) => {
    const before = await ownView(tx, owner, change.id);
    const page = before.page as ViewPage;
    const query = change.query === undefined ? undefined : cleanQuery(page, change.query);
    if (name !== undefined && name !== before.name && (await nameTaken(tx, owner.id, name, change.id))) throw new ViewError("name", "taken", { name });
    const after = { name: name ?? before.name, page, query: query ?? before.query, shared: change.shared ?? Boolean(before.shared) };
    const v = tx.t.savedViews;
    await tx.db
      .update(v)
      .set({ name: after.name, query: after.query, shared: after.shared, role: owner.role, holderId: owner.role === "member" ? owner.holderId : null, updatedAt: now })
      .where(eq(v.id, change.id));
    await writeAudit(tx, { userId: owner.id, action: "update", entity: "saved_view", entityId: change.id, before: snapshot(before), after, at: now });
  });
}

/** Deletes a view of the owner's. */
export async function deleteView(e: Engine, owner: ViewReader, id: number, now = Date.now()): Promise<void> {
  await e.transaction(async (tx) => {
    const before = await ownView(tx, owner, id);
    const v = tx.t.savedViews;
    // its digest subscriptions go with it (everyone's: the view is gone for all)
    const subscriptions = await tx.db.delete(tx.t.subscriptions).where(eq(tx.t.subscriptions.viewId, id)).returning({ id: tx.t.subscriptions.id });
    await tx.db.delete(v).where(eq(v.id, id));
    await writeAudit(tx, { userId: owner.id, action: "delete", entity: "saved_view", entityId: id, before: snapshot(before), after: subscriptions.length ? { subscriptionsRemoved: subscriptions.length } : null, at: now });
  });
}
