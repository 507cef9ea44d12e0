import { getLocale, getTranslations } from "next-intl/server";
import type { TokenRow } from "@/db/repo/tokens";
import type { Locale } from "@/lib/enums";
import { RevokeTokenButton } from "./TokenForms";

/** Personal API tokens: the user's own (/account) or everyone's with their owner (/admin/tokens). */
export async function TokenTable({ rows, admin = false }: { rows: TokenRow[]; admin?: boolean }) {
  const t = await getTranslations("tokens");
  const locale = (await getLocale()) as Locale;
  const now = Date.now();
  const when = (ms: number) =>
    new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(new Date(ms));
  if (rows.length === 0) return <p className="empty-state">{t("none")}</p>;
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="token-table">
        <caption>{t("caption", { count: rows.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("name")}</th>
            {admin && <th scope="col">{t("owner")}</th>}
            <th scope="col">{t("prefix")}</th>
            <th scope="col">{t("created")}</th>
            <th scope="col">{t("expires")}</th>
            <th scope="col">{t("lastUsed")}</th>
            <th scope="col">{t("state")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const state = r.revokedAt !== null ? "revoked" : r.expiresAt <= now ? "expired" : "active";
            return (
              <tr key={r.id} data-testid="token-row" data-id={r.id} data-state={state}>
                {/* a name is data, in whatever language its owner wrote it (the Chinese crawl skips it) */}
                <td data-crawl-skip="">{r.name}</td>
                {admin && <td>{r.email}</td>}
                <td>
                  <code>{r.prefix}…</code>
                </td>
                <td>{when(r.createdAt)}</td>
                <td>{when(r.expiresAt)}</td>
                <td>{r.lastUsedAt === null ? t("never") : when(r.lastUsedAt)}</td>
                <td>{t(`states.${state}`)}</td>
                <td>{state === "active" && <RevokeTokenButton id={r.id} name={r.name} any={admin} />}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
