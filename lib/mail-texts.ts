import { createTranslator } from "use-intl/core";
import en from "../messages/en.json";
import zh from "../messages/zh.json";
import type { Locale } from "./enums";

// The texts of e-mails, in the recipient's language, from the "mail" namespace of the message
// catalogs. Made with use-intl/core's createTranslator: server code that reader processes may
// load runs under the react-server condition, where next-intl's root (React client code) cannot
// load ("react does not provide useEffect"). Never import next-intl here.

export type MailText = { subject: string; text: string; html: string };

const catalogs = { en, zh } as const;

/** A translator of the "mail" namespace for one language. */
export function mailTranslator(locale: Locale) {
  return createTranslator({ locale, messages: catalogs[locale], namespace: "mail", timeZone: "Asia/Shanghai" });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * A mail of a subject, paragraphs and one link (a button in HTML, its address on a line of its
 * own in the text), signed with the product's name.
 */
export function composeMail(locale: Locale, parts: { subject: string; greeting: string; paragraphs: string[]; link?: { label: string; url: string }; after?: string[] }): MailText {
  const t = mailTranslator(locale);
  const signature = t("signature");
  const textParts = [parts.greeting, ...parts.paragraphs];
  if (parts.link) textParts.push(`${parts.link.label}:\n${parts.link.url}`);
  textParts.push(...(parts.after ?? []), signature);
  const p = (s: string) => `<p>${escapeHtml(s)}</p>`;
  const html = [
    `<!doctype html><html lang="${locale === "zh" ? "zh-CN" : "en"}"><body style="font-family: sans-serif; line-height: 1.5">`,
    p(parts.greeting),
    ...parts.paragraphs.map(p),
    parts.link ? `<p><a href="${escapeHtml(parts.link.url)}">${escapeHtml(parts.link.label)}</a></p><p style="font-size: 0.9em">${escapeHtml(parts.link.url)}</p>` : "",
    ...(parts.after ?? []).map(p),
    p(signature),
    "</body></html>",
  ].join("\n");
  return { subject: parts.subject, text: textParts.join("\n\n") + "\n", html };
}

/** The password-reset mail: a link that works once within `minutes`. */
export function resetPasswordMail(locale: Locale, input: { name: string; url: string; minutes: number }): MailText {
  const t = mailTranslator(locale);
  return composeMail(locale, {
    subject: t("reset.subject"),
    greeting: t("greeting", { name: input.name }),
    paragraphs: [t("reset.body"), t("reset.expires", { minutes: input.minutes })],
    link: { label: t("reset.link"), url: input.url },
    after: [t("reset.notYou")],
  });
}

/** The invitation mail: a link to choose a password, once, within `days`. */
export function invitationMail(locale: Locale, input: { name: string; email: string; url: string; days: number; role: string }): MailText {
  const t = mailTranslator(locale);
  return composeMail(locale, {
    subject: t("invitation.subject"),
    greeting: t("greeting", { name: input.name }),
    paragraphs: [t("invitation.body", { email: input.email, role: input.role }), t("invitation.expires", { days: input.days })],
    link: { label: t("invitation.link"), url: input.url },
  });
}
