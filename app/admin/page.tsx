import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { ADMIN_SECTIONS } from "@/components/admin/AdminNav";
import { adminCounts } from "@/db/repo/admin";
import { backupKind } from "@/db/repo/backup";
import { outboxOpenCount } from "@/db/repo/outbox";
import { activeTokens } from "@/db/repo/tokens";
import type { Locale } from "@/lib/enums";
import { formatCount } from "@/lib/format";
import { requirePageUser } from "../session";
import { RetentionForm } from "@/components/admin/RetentionForm";
import { ErasureLastRun } from "@/components/admin/ErasureLastRun";
import { lastErasure, retentionMonths } from "@/db/repo/parties";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("title") };
}

export default async function AdminPage() {
  await requirePageUser("write", "/admin");
  const t = await getTranslations("admin");
  const ti = await getTranslations("import");
  const tb = await getTranslations("backup");
  const tg = await getTranslations("guides");
  const tr = await getTranslations("risk");
  const locale = (await getLocale()) as Locale;
  const counts = await adminCounts();
  const tp = await getTranslations("parties.retention");
  const retention = await retentionMonths();
  const erasure = await lastErasure();
  const figure: Record<(typeof ADMIN_SECTIONS)[number]["key"], number> = {
    users: counts.accounts, audit: counts.audit, holders: counts.holders, offices: counts.offices, deleted: counts.deleted, outbox: await outboxOpenCount(), tokens: await activeTokens(),
  };
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede")}</p>
      <ul className="admin-cards">
        {ADMIN_SECTIONS.map((s) => (
          <li key={s.key}>
            <Link href={s.href} className="admin-card">
              <span className="admin-card-title">{t(`nav.${s.key}`)}</span>
              <span className="admin-card-count">{t(`index.${s.key}.count`, { count: figure[s.key], formatted: formatCount(figure[s.key], locale) })}</span>
              <span className="admin-card-text">{t(`index.${s.key}.text`)}</span>
            </Link>
          </li>
        ))}
      </ul>
      <ul className="admin-tools">
        <li>
          <Link href="/guides" className="admin-card" data-testid="admin-guides">
            <span className="admin-card-title">{tg("title")}</span>
            <span className="admin-card-text">{tg("adminCard")}</span>
          </Link>
        </li>
        <li>
          <Link href="/admin/import" className="admin-card">
            <span className="admin-card-title">{ti("card.title")}</span>
            <span className="admin-card-text">{ti("card.text")}</span>
          </Link>
        </li>
        <li>
          <Link href="/risk" className="admin-card" data-testid="admin-risk">
            <span className="admin-card-title">{tr("card.title")}</span>
            <span className="admin-card-text">{tr("card.text")}</span>
          </Link>
        </li>
      </ul>
      <section className="admin-backup" aria-labelledby="admin-backup-title">
        <h2 id="admin-backup-title">{tb("title")}</h2>
        <p>{tb("text")}</p>
        <p>
          <a className="primary" href="/api/admin/backup" download>
            {tb("download")}
          </a>
        </p>
        <p className="admin-card-text">{tb.rich(backupKind() === "postgres" ? "restorePostgres" : "restore", { code: (chunks) => <code>{chunks}</code> })}</p>
      </section>
      <section className="admin-retention" aria-labelledby="admin-retention-title">
        <h2 id="admin-retention-title">{tp("title")}</h2>
        <p>{tp("text")}</p>
        <RetentionForm months={retention} />
        <ErasureLastRun run={erasure} />
      </section>
    </>
  );
}
