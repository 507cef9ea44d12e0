"use server";

import { z } from "zod";
import { removeView, saveView, updateView, ViewError } from "@/db/repo/views";
import { VIEW_PAGES } from "@/lib/views";
import { FieldProblem, defineAction } from "./wrapper";

// Saved views (issue 20, item 1): save the current filter under a name, rename, share, set to
// the current filter, delete — through the one wrapper, each one transaction with its audit
// entry (db/views.ts). The owner is the session's user; only its own views are changed.

const id = z.coerce.number({ error: "not_found" }).int("not_found").positive("not_found").max(2_147_483_647, "not_found");
const checkbox = z.union([z.literal("on"), z.literal("yes"), z.literal("true"), z.literal("")]).optional().transform((v) => v !== undefined && v !== "");
const name = z.string({ error: "required" });
const query = z.string().max(4000, "too_long").default("");

const refusal = (run: () => Promise<unknown>) =>
  run().catch((error: unknown) => {
    if (error instanceof ViewError) throw new FieldProblem(error.field, { code: error.code, params: error.params });
    throw error;
  });

const save = defineAction({
  permission: "keepViews",
  schema: z.object({ name, page: z.enum(VIEW_PAGES, { error: "invalid" }), query, shared: checkbox }),
  revalidate: ["/"],
  run: async (input, { user }) => ({ id: (await refusal(() => saveView(user, input))) as number }),
});

export async function saveViewAction(...args: Parameters<typeof save>) {
  return save(...args);
}

const change = defineAction({
  permission: "keepViews",
  schema: z.object({ id, name: name.optional(), query: query.optional(), shared: checkbox, what: z.enum(["rename", "update"], { error: "invalid" }) }),
  revalidate: ["/"],
  run: async (input, { user }) => {
    if (input.what === "rename") {
      if (input.name === undefined) throw new FieldProblem("name", { code: "required" });
      await refusal(() => updateView(user, { id: input.id, name: input.name, shared: input.shared }));
    } else {
      if (input.query === undefined) throw new FieldProblem("query", { code: "required" });
      await refusal(() => updateView(user, { id: input.id, query: input.query }));
    }
    return { id: input.id };
  },
});

export async function changeViewAction(...args: Parameters<typeof change>) {
  return change(...args);
}

const remove = defineAction({
  permission: "keepViews",
  schema: z.object({ id, confirm: z.string().optional() }),
  revalidate: ["/"],
  run: async (input, { user }) => {
    if (input.confirm !== "yes") throw new FieldProblem("confirm", { code: "confirm" });
    await refusal(() => removeView(user, input.id));
    return { id: input.id };
  },
});

export async function deleteViewAction(...args: Parameters<typeof remove>) {
  return remove(...args);
}
