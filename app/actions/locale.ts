"use server";

import { cookies } from "next/headers";
import { isLocale } from "@/lib/enums";
import { LOCALE_COOKIE } from "@/i18n/request";

/** Stores the chosen language; the page re-renders in it. */
export async function setLocale(formData: FormData): Promise<void> {
  const locale = formData.get("locale");
  if (!isLocale(locale)) return;
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 60 * 60 * 24 * 365, sameSite: "lax", httpOnly: true });
}
