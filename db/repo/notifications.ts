import "server-only";
import { getEngine } from "../client";
import { hasNotification, listNotifications, markRead, unreadCount, type NotificationRow } from "../notifications";
import { caseScope, type SessionUser } from "../../lib/roles";

// A user's own notifications (issue 16, item 4; db/notifications.ts): the header's bell and
// /notifications. A member's are filtered by its scope (lib/roles.ts caseScope) when read.

export type { NotificationRow };

const readerOf = (user: SessionUser) => ({ userId: user.id, scope: caseScope(user) });

export async function myNotifications(user: SessionUser): Promise<NotificationRow[]> {
  return listNotifications(getEngine(), readerOf(user));
}

export async function myUnreadCount(user: SessionUser): Promise<number> {
  return unreadCount(getEngine(), readerOf(user));
}

/** Marks one of the user's notifications read (or all); false when it has none by that id. */
export async function markMyNotificationsRead(user: SessionUser, which: number | "all"): Promise<{ changed: number; found: boolean }> {
  const e = getEngine();
  const changed = await markRead(e, readerOf(user), which);
  return { changed, found: which === "all" || changed > 0 || (await hasNotification(e, readerOf(user), which)) };
}
