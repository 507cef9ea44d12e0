import type { Locale } from "@/lib/enums";

/** The language of a free text (a caption, a file name) when it is not the page's: for its lang attribute. */
export function textLang(text: string | null | undefined, page: Locale): "zh-CN" | "en" | undefined {
  if (!text) return undefined;
  const lang = /\p{Script=Han}/u.test(text) ? "zh-CN" : /[A-Za-z]/.test(text) ? "en" : undefined;
  return lang && lang !== (page === "zh" ? "zh-CN" : "en") ? lang : undefined;
}

/** Where a stored file is served (app/api/cases/[id]/attachments): the file, its thumbnail, or the file as a download. */
export const fileUrl = (caseId: number, id: number, part?: "thumbnail" | "download") =>
  `/api/cases/${caseId}/attachments/${id}${part === "thumbnail" ? "/thumbnail" : part === "download" ? "?download" : ""}`;
