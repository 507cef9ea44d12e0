import Link from "next/link";
import { getTranslations } from "next-intl/server";

export const ADMIN_SECTIONS = [
  { key: "users", href: "/admin/users" },
  { key: "audit", href: "/admin/audit" },
  { key: "holders", href: "/admin/right-holders" },
  { key: "offices", href: "/admin/offices" },
  { key: "deleted", href: "/admin/deleted" },
  { key: "outbox", href: "/admin/outbox" },
  { key: "tokens", href: "/admin/tokens" },
] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number]["key"];

/** The admin sections, with the current one marked; above every admin page. */
export async function AdminNav({ current }: { current?: AdminSection }) {
  const t = await getTranslations("admin.nav");
  return (
    <nav className="admin-nav" aria-label={t("label")}>
      <ul>
        <li>
          <Link href="/admin" aria-current={current === undefined ? "page" : undefined}>
            {t("index")}
          </Link>
        </li>
        {ADMIN_SECTIONS.map((s) => (
          <li key={s.key}>
            <Link href={s.href} aria-current={current === s.key ? "page" : undefined}>
              {t(s.key)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
