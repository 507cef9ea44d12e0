"use server";

import { z } from "zod";
import {
  RecordationFieldError, approveRecordation, createRecordation, prepareImage, renewRecordation, revokeRecordation,
  setRecordationParties, updateRecordation,
} from "@/db/repo/recordations";
import { partiesOf, partiesSchema, recordationInput } from "@/lib/recordations";
import { caseScope, type SessionUser } from "@/lib/roles";
import { FieldProblem, defineAction, defineAsyncAction, formToObject, type ActionResult } from "./wrapper";

// The recordations' writes, each through the one wrapper (session → role → zod → one
// transaction with its audit row). A member writes only its own company's recordations: the
// scope of its session is the scope of the write, so another company's id is "not found".

const writerOf = (user: SessionUser) => ({ id: user.id, scope: caseScope(user) });
const id = z.coerce.number({ error: "required" }).int("required").positive("required").max(2_147_483_647, "not_found");
const version = z.coerce.number({ error: "required" }).int("required").positive("required").max(2_147_483_647, "conflict");
const confirmed = z.literal("yes", { error: "confirm" });

async function refusing<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof RecordationFieldError) throw new FieldProblem(error.field, { code: error.code, params: error.params });
    throw error;
  }
}

/** The form with its file: the wrapper's FormData reading keeps text only, the image is taken here. */
function withImage(form: FormData | Record<string, unknown>): Record<string, unknown> {
  if (!(form instanceof FormData)) return form;
  const image = form.get("image");
  return { ...formToObject(form), image: image instanceof File && image.size > 0 ? image : undefined };
}

/** A refusal's values go back to the form: never the file. */
function withoutFile<T>(result: ActionResult<T>): ActionResult<T> {
  if (!result.ok && result.values && "image" in result.values) {
    const { image: _image, ...values } = result.values;
    return { ...result, values };
  }
  return result;
}

const imageField = z.instanceof(File).optional();

const create = defineAsyncAction({
  permission: "keepRecordations",
  schema: z.object({ image: imageField }).and(recordationInput),
  revalidate: ["/recordations"],
  run: async (input, { user }) => {
    const image = await refusing(() => prepareImage(input.image));
    const { image: _file, ...fields } = input;
    const newId = await refusing(() => createRecordation(writerOf(user), fields, image));
    return { id: newId, number: fields.number };
  },
});

export async function createRecordationAction(previous: ActionResult<{ id: number; number: string }> | null, form: FormData) {
  return withoutFile(await create(previous, withImage(form)));
}

const update = defineAsyncAction({
  permission: "write",
  schema: z.object({ id, version, image: imageField }).and(recordationInput),
  revalidate: ["/recordations"],
  run: async (input, { user }) => {
    const image = await refusing(() => prepareImage(input.image));
    const { image: _file, id: recordationId, version: v, ...fields } = input;
    await refusing(() => updateRecordation(writerOf(user), recordationId, v, fields, image));
    return { id: recordationId };
  },
});

export async function updateRecordationAction(previous: ActionResult<{ id: number }> | null, form: FormData) {
  return withoutFile(await update(previous, withImage(form)));
}

export const setRecordationPartiesAction = defineAction({
  permission: "keepRecordations",
  schema: z.object({ id, version }).and(partiesSchema),
  revalidate: ["/recordations"],
  run: async (input, { user }) => {
    await refusing(() => setRecordationParties(writerOf(user), input.id, input.version, partiesOf(input)));
    return { id: input.id };
  },
});

export const renewRecordationAction = defineAction({
  permission: "keepRecordations",
  schema: z.object({ id, version, confirm: confirmed }),
  revalidate: ["/recordations"],
  run: async (input, { user }) => {
    const validTo = await refusing(() => renewRecordation(writerOf(user), input.id, input.version));
    return { id: input.id, validTo };
  },
});

export const approveRecordationAction = defineAction({
  permission: "write",
  schema: z.object({ id, version, confirm: confirmed }),
  revalidate: ["/recordations"],
  run: async (input, { user }) => {
    await refusing(() => approveRecordation(writerOf(user), input.id, input.version));
    return { id: input.id };
  },
});

export const revokeRecordationAction = defineAction({
  permission: "write",
  schema: z.object({ id, version, confirm: confirmed, reason: z.string({ error: "required" }).trim().min(1, "required").max(500, "too_long") }),
  revalidate: ["/recordations"],
  run: async (input, { user }) => {
    await refusing(() => revokeRecordation(writerOf(user), input.id, input.version, input.reason));
    return { id: input.id };
  },
});
