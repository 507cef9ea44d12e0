"use server";

import { z } from "zod";
import { createMyToken, revokeAnyToken, revokeMyToken, TOKEN_DAYS, TOKEN_NAME_MAX, type TokenDays } from "@/db/repo/tokens";
import { FieldProblem, defineAction } from "./wrapper";

// Personal API tokens (issue 20, item 5): a user makes and revokes its own on /account; an
// admin revokes anyone's on /admin/tokens. Server actions take the session cookie only (the
// one wrapper): a token never makes or revokes a token.

const create = z.object({
  name: z.string().trim().min(1, "required").max(TOKEN_NAME_MAX, "too_long"),
  days: z.coerce.number({ error: "invalid" }).refine((d): d is TokenDays => (TOKEN_DAYS as readonly number[]).includes(d), "invalid"),
});

const id = z.object({
  id: z.coerce.number({ error: "invalid" }).int("invalid").positive("invalid").max(2_147_483_647, "not_found"),
});

/** The token is returned once, to be shown once; only its hash is kept. */
export const createTokenAction = defineAction({
  permission: "readAggregates",
  schema: create,
  revalidate: ["/account", "/admin/tokens"],
  run: async ({ name, days }, { user }) => createMyToken(user.id, name, days as TokenDays),
});

export const revokeMyTokenAction = defineAction({
  permission: "readAggregates",
  schema: id,
  revalidate: ["/account", "/admin/tokens"],
  run: async ({ id }, { user }) => {
    if (!(await revokeMyToken(user.id, id))) throw new FieldProblem("id", { code: "not_found" });
    return { id };
  },
});

export const revokeAnyTokenAction = defineAction({
  permission: "write",
  schema: id,
  revalidate: ["/account", "/admin/tokens"],
  run: async ({ id }, { user }) => {
    if (!(await revokeAnyToken(user.id, id))) throw new FieldProblem("id", { code: "not_found" });
    return { id };
  },
});
