"use server";

import { z } from "zod";
import { archiveRiskProfile, editRiskProfile, ProfileError, saveRiskProfile } from "@/db/repo/risk-profiles";
import { MAX_PROFILE_QUERY } from "@/lib/risk-profiles";
import { FieldProblem, defineAction } from "./wrapper";

// Risk profiles (issue 18, item 4): make, edit and archive a targeting rule, through the one
// wrapper (staff only: keepProfiles), each one transaction with its audit entry
// (db/risk-profiles.ts). The acting user is the session's.

const id = z.coerce.number({ error: "not_found" }).int("not_found").positive("not_found").max(2_147_483_647, "not_found");
const version = z.coerce.number({ error: "conflict" }).int("conflict").positive("conflict").max(2_147_483_647, "conflict");
const fields = {
  name: z.string({ error: "required" }),
  ownerId: z.string({ error: "owner" }).min(1, "owner"),
  query: z.string().max(MAX_PROFILE_QUERY, "too_long").default(""),
  validFrom: z.string({ error: "date" }).trim(),
  validTo: z.string().trim().optional().transform((v) => (v ? v : null)),
  reason: z.string({ error: "required" }),
};

const refusal = <T>(run: () => Promise<T>) =>
  run().catch((error: unknown) => {
    if (error instanceof ProfileError) throw new FieldProblem(error.field, { code: error.code, params: error.params });
    throw error;
  });

const create = defineAction({
  permission: "keepProfiles",
  schema: z.object(fields),
  revalidate: ["/risk/profiles"],
  run: async (input, { user }) => ({ id: (await refusal(() => saveRiskProfile(user, input))).id }),
});

export async function createProfileAction(...args: Parameters<typeof create>) {
  return create(...args);
}

const change = defineAction({
  permission: "keepProfiles",
  schema: z.object({ id, version, ...fields }),
  revalidate: ["/risk/profiles"],
  run: async ({ id, version, ...input }, { user }) => {
    await refusal(() => editRiskProfile(user, id, version, input));
    return { id };
  },
});

export async function changeProfileAction(...args: Parameters<typeof change>) {
  return change(...args);
}

const archive = defineAction({
  permission: "keepProfiles",
  schema: z.object({ id, version, confirm: z.string().optional() }),
  revalidate: ["/risk/profiles"],
  run: async (input, { user }) => {
    if (input.confirm !== "yes") throw new FieldProblem("confirm", { code: "confirm" });
    await refusal(() => archiveRiskProfile(user, input.id, input.version));
    return { id: input.id };
  },
});

export async function archiveProfileAction(...args: Parameters<typeof archive>) {
  return archive(...args);
}
