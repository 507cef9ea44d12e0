"use server";

import { cookies } from "next/headers";
import { isLocale } from "@/lib/enums";
import { LOCALE_COOKIE } from "@/i18n/request";
import { setMailLocale } from "@/db/repo/account-mail";
import { currentUser } from "../session";

/** Stores the chosen language; the page re-renders in it. A signed-in user's e-mails follow it too. */
export async function setLocale(formData: FormData): Promise<void> {
  const locale = formData.get("locale");
  if (!isLocale(locale)) return;
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 60 * 60 * 24 * 365, sameSite: "lax", httpOnly: true });
  const user = await currentUser();
  if (user) await setMailLocale(user.id, locale);
}
