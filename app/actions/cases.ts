"use server";

import { redirect } from "next/navigation";
import { createCase, deleteCase, restoreCase, updateCase } from "@/db/repo/cases";
import { createCaseSchema, deleteCaseSchema, restoreCaseSchema, updateCaseSchema } from "@/lib/case-schema";
import { defineAction, type ActionResult } from "./wrapper";

// The admin's writes to cases. Each goes through the one wrapper (session → role "write" →
// zod → one transaction with its audit entry and derived tables); on success the
// admin is taken to where the change shows: the case, the table, or the deleted cases.

export type CaseSaved = { id: number; version: number };

const create = defineAction({
  permission: "write",
  schema: createCaseSchema,
  run: (input, { user }) => createCase(input, user.id),
});

const update = defineAction({
  permission: "write",
  schema: updateCaseSchema,
  run: async ({ id, version, input }, { user }) => ({ id, ...(await updateCase(id, version, input, user.id)) }),
});

const remove = defineAction({
  permission: "write",
  schema: deleteCaseSchema,
  run: async ({ id, version }, { user }) => {
    // the version the admin looked at: a case changed meanwhile is not deleted unseen
    await deleteCase(id, version, user.id);
    return { id };
  },
});

const restore = defineAction({
  permission: "write",
  schema: restoreCaseSchema,
  run: async ({ id }, { user }) => {
    await restoreCase(id, user.id);
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
