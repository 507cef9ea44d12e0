import type { Figures, PublishedCell, PublishedTable } from "@/lib/suppression";

export type MarketMeasure = "cases" | "pieces" | "value";
export const MARKET_MEASURES: MarketMeasure[] = ["cases", "pieces", "value"];

/** One figure of a cell as the table writes it: cases, pieces, or value in whole yuan. */
export function measureOf(cell: Figures, measure: MarketMeasure): number {
  return measure === "cases" ? cell.cases : measure === "pieces" ? cell.pieces : Math.round(cell.valueFen / 100);
}

/** The mark of a suppressed figure: one sign for every kind, so primary and secondary cannot be told apart. */
export function Suppressed({ label }: { label: string }) {
  return (
    <span className="market-suppressed" title={label}>
      <span aria-hidden="true">x</span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

/** A row × year market table: rows with their totals, and the national figures of each year below. */
export function MarketTable(props: {
  table: PublishedTable;
  years: number[];
  caption: string;
  rowHeader: string;
  totalLabel: string;
  allLabel: string;
  suppressedLabel: string;
  rowLabel: (row: { key: string; en: string; zh: string }) => string;
  format: (n: number) => string;
  measure: MarketMeasure;
}) {
  const { table, years, measure } = props;
  const cell = (c: PublishedCell) => (c === null ? <Suppressed label={props.suppressedLabel} /> : props.format(measureOf(c, measure)));
  return (
    <div className="table-scroll market-table" role="region" aria-label={props.caption} tabIndex={0} data-market-table={table.name}>
      <table className="data-table">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.rowHeader}</th>
            {years.map((y) => (
              <th scope="col" className="num" key={y}>{y}</th>
            ))}
            <th scope="col" className="num">{props.totalLabel}</th>
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.key} data-row={row.key}>
              <th scope="row">{props.rowLabel(row)}</th>
              {row.cells.map((c, i) => (
                <td className="num" key={years[i]} data-year={years[i]} data-suppressed={c === null ? "" : undefined}>{cell(c)}</td>
              ))}
              <td className="num" data-total="" data-suppressed={row.total === null ? "" : undefined}>{cell(row.total)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{props.allLabel}</th>
            {table.columnTotals.map((c, i) => (
              <td className="num" key={years[i]}>{props.format(measureOf(c, measure))}</td>
            ))}
            <td className="num">{props.format(measureOf(table.total, measure))}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
