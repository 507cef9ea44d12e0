import type { FieldError } from "@/app/actions/wrapper";

type T = { (key: string, values?: Record<string, string | number>): string; has(key: string): boolean };

/** A view form's refusal in the reader's language (messages "views.errors"). */
export function viewErrorText(t: T, error: FieldError): string {
  const key = `errors.${error.code}`;
  return t.has(key) ? t(key, error.params ?? {}) : t("errors.failed");
}
