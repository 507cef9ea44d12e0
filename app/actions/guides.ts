"use server";

import { z } from "zod";
import {
  GuideFieldError, createGuide, removeGuidePair, setAccountDistrict, updateGuide, updateGuidePair,
} from "@/db/repo/guides";
import { guideInput, pairInput } from "@/lib/guides";
import { FieldProblem, defineAction } from "./wrapper";

// Authentication guides' writes, each through the one wrapper (session → role → zod → one
// transaction with its audit row and version row). A member writes its own company's guides
// only: the scope comes from its session, so another company's guide is "not found".

const id = z.coerce.number({ error: "not_found" }).int("not_found").positive("not_found").max(2_147_483_647, "not_found");
const version = z.coerce.number({ error: "conflict" }).int("conflict").positive("conflict").max(2_147_483_647, "conflict");

async function refusing<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof GuideFieldError) throw new FieldProblem(error.field, { code: error.code, params: error.params });
    throw error;
  }
}

export const createGuideAction = defineAction({
  permission: "keepGuides",
  schema: guideInput,
  revalidate: ["/guides"],
  run: async (input, { user }) => ({ id: await refusing(() => createGuide(user, input)) }),
});

export const updateGuideAction = defineAction({
  permission: "keepGuides",
  schema: z.object({ id, version }).and(guideInput),
  revalidate: ["/guides"],
  run: async (input, { user }) => {
    const { id: guideId, version: v, ...fields } = input;
    return { id: guideId, version: await refusing(() => updateGuide(user, guideId, v, fields)) };
  },
});

// A pair's pictures are uploaded through their route (app/api/guides/[id]/pairs): two files stream in, counted.

export const updateGuidePairAction = defineAction({
  permission: "keepGuides",
  schema: z.object({ guideId: id, pairId: id }).and(pairInput),
  revalidate: ["/guides"],
  run: async (input, { user }) => {
    const { guideId, pairId, ...pair } = input;
    await refusing(() => updateGuidePair(user, guideId, pairId, pair));
    return { id: pairId };
  },
});

export const removeGuidePairAction = defineAction({
  permission: "keepGuides",
  schema: z.object({ guideId: id, pairId: id, confirm: z.literal("yes", { error: "confirm" }) }),
  revalidate: ["/guides"],
  run: async (input, { user }) => {
    await refusing(() => removeGuidePair(user, input.guideId, input.pairId));
    return { id: input.pairId };
  },
});

/** An admin sets a customs account's district (empty: none): the guides shared with that district are then shown to it. */
export const setAccountDistrictAction = defineAction({
  permission: "write",
  schema: z.object({
    userId: z.string().min(1, "not_found").max(200, "not_found"),
    district: z.preprocess((v) => (v === "" || v === undefined ? null : v), z.string().regex(/^\d{4}$/, "unknown").nullable()),
  }),
  revalidate: ["/admin/users", "/guides"],
  run: async (input, { user }) => {
    await refusing(() => setAccountDistrict(user, input.userId, input.district));
    return { district: input.district };
  },
});
