"use client";

import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import {
  columnVisibilityFeature,
  createColumnHelper,
  rowPaginationFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnVisibilityState,
  type PaginationState,
  type SortingState,
  type Updater,
} from "@tanstack/react-table";
import type { CaseRow } from "@/db/repo/cases";
import {
  caseStatuses,
  channels,
  directions,
  disposals,
  goodsCategories,
  infringementTypes,
  protectionModes,
  transports,
  type Locale,
} from "@/lib/enums";
import { PAGE_SIZES, SORT_KEYS, type Sort, type SortKey } from "@/lib/filters";
import { formatCount, formatMoney, latinLang } from "@/lib/format";
import { useExplorerNavigation } from "@/components/filters/ExplorerNavigation";

const features = tableFeatures({ rowSortingFeature, columnVisibilityFeature, rowPaginationFeature });
const helper = createColumnHelper<typeof features, CaseRow>();

const HIDDEN_BY_DEFAULT: ColumnVisibilityState = {
  direction: false, channel: false, transport: false, mode: false, campaign: false, disposal: false,
};
const VISIBILITY_KEY = "ipr.cases.columns";
const isSortKey = (id: string): id is SortKey => (SORT_KEYS as readonly string[]).includes(id);

function apply<T>(updater: Updater<T>, current: T): T {
  return typeof updater === "function" ? (updater as (old: T) => T)(current) : updater;
}

export function CasesTable({ rows, total, page, size, sort }: { rows: CaseRow[]; total: number; page: number; size: number; sort: Sort }) {
  const t = useTranslations("cases");
  const locale = useLocale() as Locale;
  const { navigate, isPending } = useExplorerNavigation();
  const [columnVisibility, setColumnVisibility] = useState<ColumnVisibilityState>(HIDDEN_BY_DEFAULT);

  useEffect(() => {
    try {
      const saved = window.localStorage.getItem(VISIBILITY_KEY);
      if (saved) setColumnVisibility({ ...HIDDEN_BY_DEFAULT, ...(JSON.parse(saved) as ColumnVisibilityState) });
    } catch {
      // unreadable storage: keep the defaults
    }
  }, []);

  const columns = useMemo(() => {
    const named = (n: { nameEn: string; nameZh: string } | null) => (n ? (locale === "zh" ? n.nameZh : n.nameEn) : "");
    return helper.columns([
      helper.accessor("caseNo", {
        id: "caseNo",
        header: t("table.caseNo"),
        cell: (c) => (
          <Link href={`/cases/${c.row.original.id}`} className="case-link">
            {c.getValue()}
          </Link>
        ),
      }),
      helper.accessor("seizedOn", { id: "seizedOn", header: t("table.seizedOn") }),
      helper.display({
        id: "office",
        header: t("table.office"),
        cell: (c) => {
          const r = c.row.original;
          return r.office.code === r.district.code ? (
            named(r.district)
          ) : (
            <>
              {named(r.district)}
              <span className="sub"> / {named(r.office)}</span>
            </>
          );
        },
      }),
      helper.accessor("infringementType", { id: "type", header: t("table.type"), cell: (c) => infringementTypes.label(c.getValue(), locale) }),
      helper.accessor("goodsCategory", { id: "category", header: t("table.category"), cell: (c) => goodsCategories.label(c.getValue(), locale) }),
      helper.accessor("goodsDescription", { id: "goods", header: t("table.goods"), cell: (c) => <span lang={latinLang(c.getValue())}>{c.getValue()}</span> }),
      helper.accessor("pieces", { id: "pieces", header: t("table.pieces"), cell: (c) => formatCount(c.getValue(), locale), meta: { numeric: true } }),
      helper.accessor("valueFen", { id: "value", header: t("table.value"), cell: (c) => formatMoney(c.getValue(), locale), meta: { numeric: true } }),
      helper.display({
        id: "rightHolders",
        header: t("table.rightHolders"),
        cell: (c) => (
          <ul className="holder-list">
            {c.row.original.rightHolders.map((h) => (
              <li key={h.id}>
                <Link href={`/cases?holder=${h.id}`}>{locale === "zh" && h.nameZh ? h.nameZh : h.name}</Link>
              </li>
            ))}
          </ul>
        ),
      }),
      helper.accessor("status", { id: "status", header: t("table.status"), cell: (c) => caseStatuses.label(c.getValue(), locale) }),
      helper.accessor("direction", { id: "direction", header: t("table.direction"), cell: (c) => directions.label(c.getValue(), locale) }),
      helper.accessor("channel", { id: "channel", header: t("table.channel"), cell: (c) => channels.label(c.getValue(), locale) }),
      helper.accessor("transport", { id: "transport", header: t("table.transport"), cell: (c) => transports.label(c.getValue(), locale) }),
      helper.accessor("protectionMode", { id: "mode", header: t("table.mode"), cell: (c) => protectionModes.label(c.getValue(), locale) }),
      helper.display({ id: "campaign", header: t("table.campaign"), cell: (c) => named(c.row.original.campaign) }),
      helper.accessor("disposal", { id: "disposal", header: t("table.disposal"), cell: (c) => (c.getValue() ? disposals.label(c.getValue()!, locale) : "") }),
    ]);
  }, [t, locale]);

  const sorting: SortingState = [{ id: sort.key, desc: sort.dir === "desc" }];
  const pagination: PaginationState = { pageIndex: page - 1, pageSize: size };

  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => String(row.id),
    state: { sorting, pagination, columnVisibility },
    manualSorting: true,
    manualPagination: true,
    rowCount: total,
    enableSortingRemoval: false,
    enableMultiSort: false,
    onSortingChange: (updater) => {
      const next = apply(updater, sorting)[0];
      if (!next || !isSortKey(next.id)) return;
      navigate((params) => params.set("sort", `${next.id}.${next.desc ? "desc" : "asc"}`));
    },
    onPaginationChange: (updater) => {
      const next = apply(updater, pagination);
      if (next.pageSize !== size) {
        navigate((params) => params.set("size", String(next.pageSize)));
      } else {
        navigate((params) => (next.pageIndex > 0 ? params.set("page", String(next.pageIndex + 1)) : params.delete("page")), { keepPage: true });
      }
    },
    onColumnVisibilityChange: (updater) => {
      setColumnVisibility((old) => {
        const next = apply(updater, old);
        try {
          window.localStorage.setItem(VISIBILITY_KEY, JSON.stringify(next));
        } catch {
          // storage full or blocked: visibility still changes for this page
        }
        return next;
      });
    },
  });

  const pages = Math.max(1, Math.ceil(total / size));
  const firstRow = total === 0 ? 0 : (page - 1) * size + 1;
  const lastRow = Math.min(total, page * size);
  const sortLabel = `${t(`table.${sort.key === "value" ? "value" : sort.key}` as "table.value")} (${sort.dir === "asc" ? t("table.sortAsc") : t("table.sortDesc")})`;

  return (
    <div className="cases-table-wrap">
      <div className="table-tools">
        <details className="columns-menu">
          <summary>{t("table.columns")}</summary>
          <fieldset>
            <legend className="visually-hidden">{t("table.showColumns")}</legend>
            {table.getAllLeafColumns().map((column) => (
              <label key={column.id}>
                <input type="checkbox" checked={column.getIsVisible()} onChange={column.getToggleVisibilityHandler()} />
                {typeof column.columnDef.header === "string" ? column.columnDef.header : column.id}
              </label>
            ))}
          </fieldset>
        </details>
        {isPending && (
          <span className="pending" role="status">
            {t("table.loading")}
          </span>
        )}
      </div>
      <div className="table-scroll">
        <table className="data-table cases-table" data-testid="cases-table">
          <caption className="visually-hidden">{t("table.caption", { sort: sortLabel })}</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sortable = isSortKey(header.column.id);
                  const sorted = header.column.getIsSorted();
                  const numeric = (header.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className={numeric ? "num" : undefined}
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                      data-column={header.column.id}
                    >
                      {sortable ? (
                        <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                          <table.FlexRender header={header} />
                          <span aria-hidden="true" className="sort-mark">
                            {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                          </span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} data-case-no={row.original.caseNo}>
                {row.getVisibleCells().map((cell) => {
                  const numeric = (cell.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                  return (
                    <td
                      key={cell.id}
                      className={numeric ? "num" : undefined}
                      data-column={cell.column.id}
                      // the column's name over each value when a phone shows the rows as cards
                      data-label={typeof cell.column.columnDef.header === "string" ? cell.column.columnDef.header : undefined}
                    >
                      <table.FlexRender cell={cell} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label={t("pager.label")}>
        <span className="pager-rows" data-testid="pager-rows">
          {t("pager.rows", { from: formatCount(firstRow, locale), to: formatCount(lastRow, locale), total: formatCount(total, locale) })}
        </span>
        <button type="button" onClick={() => table.firstPage()} disabled={!table.getCanPreviousPage()} aria-label={t("pager.first")}>
          «
        </button>
        <button type="button" onClick={() => table.previousPage()} disabled={!table.getCanPreviousPage()} aria-label={t("pager.previous")}>
          ‹
        </button>
        <span>{t("pager.page", { page: formatCount(page, locale), pages: formatCount(pages, locale) })}</span>
        <button type="button" onClick={() => table.nextPage()} disabled={!table.getCanNextPage()} aria-label={t("pager.next")}>
          ›
        </button>
        <button type="button" onClick={() => table.lastPage()} disabled={!table.getCanNextPage()} aria-label={t("pager.last")}>
          »
        </button>
        <label>
          {t("pager.size")}{" "}
          <select value={size} onChange={(e) => table.setPageSize(Number(e.target.value))}>
            {[...new Set([...PAGE_SIZES, size])].sort((a, b) => a - b).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </nav>
    </div>
  );
}
