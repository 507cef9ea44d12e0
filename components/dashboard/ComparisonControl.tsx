import { getTranslations } from "next-intl/server";
import { DateInput } from "@/components/ui/DateInput";
import { COMPARISON_PARAMS, type SearchParamsInput } from "@/lib/filters";
import { COMPARISON_KINDS, type ComparisonSpec } from "@/lib/period";

/**
 * The choice of comparison (issue 20, item 2): a plain GET form that adds no JavaScript (the
 * date fields are the filter bar's own component), keyboard-usable as radios and a button. It
 * carries the page's other parameters (the filters, the market years) as hidden fields and
 * sets cmp, cmpFrom, cmpTo. (The dashboard streams, so like the filter bar it is shown by
 * React's script: without JavaScript the page shows its loading state.)
 */
export async function ComparisonControl({ spec, params, action }: { spec: ComparisonSpec; params: SearchParamsInput; action: string }) {
  const t = await getTranslations("comparison");
  const keep: [string, string][] = [];
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => [k, x] as [string, string])));
  for (const [name, value] of entries) if (!(COMPARISON_PARAMS as readonly string[]).includes(name) && name !== "page") keep.push([name, value]);
  const custom = spec.kind === "custom" ? spec : null;
  return (
    <form method="get" action={action} className="comparison-control" data-testid="comparison-control">
      {keep.map(([name, value], i) => (
        <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
      ))}
      <fieldset>
        <legend>{t("legend")}</legend>
        <div className="cmp-kinds">
          {COMPARISON_KINDS.map((kind) => (
            <label key={kind} className="cmp-kind">
              <input type="radio" name="cmp" value={kind} defaultChecked={spec.kind === kind} />
              {t(`kinds.${kind}`)}
            </label>
          ))}
        </div>
        <div className="cmp-dates">
          <label className="date-field">
            <span>{t("from")}</span>
            <DateInput name="cmpFrom" defaultValue={custom?.from ?? ""} aria-describedby="cmp-custom-note" />
          </label>
          <label className="date-field">
            <span>{t("to")}</span>
            <DateInput name="cmpTo" defaultValue={custom?.to ?? ""} aria-describedby="cmp-custom-note" />
          </label>
          <span id="cmp-custom-note" className="visually-hidden">{t("customNote")}</span>
        </div>
        <button type="submit" className="primary">{t("apply")}</button>
      </fieldset>
    </form>
  );
}
