"use server";

import { z } from "zod";
import { removeAttachment, updateAttachment } from "@/db/repo/attachments";
import { attachmentEdit } from "@/lib/attachments";
import { defineAction } from "./wrapper";

// A case's files: caption, kind and (customs) sharing edited in place, and removal after a
// confirmation, each through the one wrapper and one transaction with its audit row. A member
// changes only its own company's files; any other file is "not found" (db/queries/attachments.ts).
// The upload itself is a route (app/api/cases/[id]/attachments): a file streams in, counted.

const id = z.coerce.number({ error: "not_found" }).int("not_found").positive("not_found").max(2_147_483_647, "not_found");

export const updateAttachmentAction = defineAction({
  permission: "addAttachments",
  // `shareable`: the form had the sharing box (customs), so an unticked box (sent as nothing) means "not shared"
  schema: z.object({ caseId: id, id, shareable: z.literal("1").optional() }).and(attachmentEdit),
  revalidate: ["/cases"],
  run: async (input, { user }) => {
    const shared = input.shareable ? input.shared === true : undefined;
    await updateAttachment(user, input.caseId, input.id, { kind: input.kind, caption: input.caption, shared });
    return { id: input.id };
  },
});

export const removeAttachmentAction = defineAction({
  permission: "addAttachments",
  schema: z.object({ caseId: id, id, confirm: z.literal("yes", { error: "confirm" }) }),
  revalidate: ["/cases"],
  run: async (input, { user }) => {
    await removeAttachment(user, input.caseId, input.id);
    return { id: input.id };
  },
});
