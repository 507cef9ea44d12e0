"use server";

import { z } from "zod";
import { markMyNotificationsRead } from "@/db/repo/notifications";
import { FieldProblem, defineAction } from "./wrapper";

// A user's own notifications (issue 16, item 4): mark one read, or all. Only the user's own
// notifications that its scope still allows are touched; another's id is "not found".

const schema = z.object({
  id: z.union([z.literal("all"), z.coerce.number({ error: "invalid" }).int("invalid").positive("invalid").max(2_147_483_647, "not_found")]),
});

export const markNotificationsReadAction = defineAction({
  permission: "readNotifications",
  schema,
  revalidate: ["/"],
  run: async ({ id }, { user }) => {
    const { changed, found } = await markMyNotificationsRead(user, id);
    if (!found) throw new FieldProblem("id", { code: "not_found" });
    return { changed };
  },
});
