"use server";

import { redirect } from "next/navigation";
import { createCase, restoreCase, softDeleteCase, updateCase } from "@/db/mutations/cases";
import { createCaseSchema, deleteCaseSchema, restoreCaseSchema, updateCaseSchema } from "@/lib/case-schema";
import { defineAction, type ActionResult } from "./wrapper";

// The admin's writes to cases. Each goes through the one wrapper (session → role "write" →
// zod → one synchronous transaction with its audit entry and derived tables); on success the
// admin is taken to where the change shows: the case, the table, or the deleted cases.

export type CaseSaved = { id: number; version: number };

const create = defineAction({
  permission: "write",
  schema: createCaseSchema,
  run: (input, { user, db }) => createCase(db.$client, input, user.id),
});

const update = defineAction({
  permission: "write",
  schema: updateCaseSchema,
  run: ({ id, version, input }, { user, db }) => ({ id, ...updateCase(db.$client, id, version, input, user.id) }),
});

const remove = defineAction({
  permission: "write",
  schema: deleteCaseSchema,
  // the version the admin looked at: the writer refuses a case changed meanwhile (who, when)
  run: ({ id, version }, { user, db }) => {
    softDeleteCase(db.$client, id, user.id, version);
    return { id };
  },
});

const restore = defineAction({
  permission: "write",
  schema: restoreCaseSchema,
  run: ({ id }, { user, db }) => {
    restoreCase(db.$client, id, user.id);
    return { id };
  },
});

type Input = FormData | Record<string, unknown>;

export async function createCaseAction(previous: ActionResult<CaseSaved> | null, input: Input): Promise<ActionResult<CaseSaved>> {
  const result = await create(previous, input);
  if (result.ok) redirect(`/cases/${result.data.id}?saved=created`);
  return result;
}

export async function updateCaseAction(previous: ActionResult<CaseSaved> | null, input: Input): Promise<ActionResult<CaseSaved>> {
  const result = await update(previous, input);
  if (result.ok) redirect(`/cases/${result.data.id}?saved=updated`);
  return result;
}

export async function deleteCaseAction(previous: ActionResult<{ id: number }> | null, input: Input): Promise<ActionResult<{ id: number }>> {
  const result = await remove(previous, input);
  if (result.ok) redirect(`/cases?deleted=${result.data.id}`);
  return result;
}

export async function restoreCaseAction(previous: ActionResult<{ id: number }> | null, input: Input): Promise<ActionResult<{ id: number }>> {
  const result = await restore(previous, input);
  if (result.ok) redirect(`/admin/deleted?restored=${result.data.id}`);
  return result;
}
