"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { createGuideAction, updateGuideAction } from "@/app/actions/guides";
import { Field, FormStatus, useAdminForm, type AdminForm } from "@/components/admin/form";

// A guide's form: create (a member for its own company, an admin for any right holder) and
// edit (made against the version the page showed: a stale edit is refused naming who changed
// the guide and when, and what was typed stays in the form).

type Option = { value: string; label: string };

export type GuideValues = {
  holderId: number | null;
  brand: string;
  productLine: string;
  titleEn: string;
  titleZh: string;
  summaryEn: string;
  summaryZh: string;
  fakesEn: string;
  fakesZh: string;
  routesEn: string;
  routesZh: string;
  contact: string;
  sharing: "all" | "districts";
  districts: string[];
  categories: string[];
  recordations: string;
};

export const EMPTY_GUIDE: GuideValues = {
  holderId: null, brand: "", productLine: "", titleEn: "", titleZh: "", summaryEn: "", summaryZh: "", fakesEn: "", fakesZh: "", routesEn: "",
  routesZh: "", contact: "", sharing: "all", districts: [], categories: [], recordations: "",
};

/** Field errors in the guides' own words where it has them (admin.errors otherwise). */
export function useGuideErrors(form: AdminForm) {
  const t = useTranslations("guides.errors");
  const failed = form.state && !form.state.ok ? form.state : null;
  return {
    prefix: form.prefix,
    error: (field: string): string | null => {
      const e = failed?.fieldErrors?.[field];
      if (!e) return null;
      return t.has(e.code) ? t(e.code, { max: 0, number: "", value: "", ...e.params }) : form.error(field);
    },
  };
}

function listValue(form: AdminForm, name: string, fallback: string[]): string[] {
  const failed = form.state && !form.state.ok ? form.state : null;
  if (!failed?.values) return fallback;
  const v = failed.values[name];
  return v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [String(v)];
}

function GuideFields({ form, g, holders, districts, categories, sharings }: { form: AdminForm; g: GuideValues; holders: Option[] | null; districts: Option[]; categories: Option[]; sharings: Option[] }) {
  const t = useTranslations("guides");
  const errors = useGuideErrors(form);
  const chosenDistricts = listValue(form, "districts", g.districts);
  const chosenCategories = listValue(form, "categories", g.categories);
  const sharing = form.value("sharing", g.sharing);
  const text = (name: keyof GuideValues, label: string, options: { rows?: number; lang?: string; required?: boolean; max?: number; hint?: string } = {}) => (
    <Field form={errors} name={name} label={label} hint={options.hint}>
      {(control) =>
        options.rows ? (
          <textarea {...control} rows={options.rows} lang={options.lang} required={options.required} maxLength={options.max ?? 4000} defaultValue={form.value(name, String(g[name] ?? ""))} />
        ) : (
          <input {...control} type="text" lang={options.lang} required={options.required} maxLength={options.max ?? 200} defaultValue={form.value(name, String(g[name] ?? ""))} />
        )
      }
    </Field>
  );
  return (
    <div className="admin-grid guide-form-grid" key={form.key}>
      {holders && (
        <Field form={errors} name="holderId" label={t("holder")}>
          {(control) => (
            <select {...control} defaultValue={form.value("holderId", g.holderId === null ? "" : String(g.holderId))} required>
              <option value="">{t("chooseHolder")}</option>
              {holders.map((h) => (
                <option key={h.value} value={h.value} lang="en">
                  {h.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {text("brand", t("brand"), { required: true, max: 120 })}
      {text("productLine", t("productLine"), { max: 120, hint: t("optional") })}
      {text("titleEn", t("titleEn"), { required: true, lang: "en" })}
      {text("titleZh", t("titleZh"), { required: true, lang: "zh-CN" })}
      {text("summaryEn", t("summaryEn"), { rows: 4, required: true, lang: "en" })}
      {text("summaryZh", t("summaryZh"), { rows: 4, required: true, lang: "zh-CN" })}
      {text("fakesEn", t("fakesEn"), { rows: 3, lang: "en", hint: t("optional") })}
      {text("fakesZh", t("fakesZh"), { rows: 3, lang: "zh-CN", hint: t("optional") })}
      {text("routesEn", t("routesEn"), { rows: 3, lang: "en", hint: t("optional") })}
      {text("routesZh", t("routesZh"), { rows: 3, lang: "zh-CN", hint: t("optional") })}
      {text("contact", t("contact"), { required: true, max: 300, hint: t("contactHint") })}
      {text("recordations", t("recordationsField"), { max: 600, hint: t("recordationsHint") })}
      <fieldset className="admin-field guide-choices">
        <legend>{t("categories")}</legend>
        {categories.map((c) => (
          <label key={c.value} className="admin-check">
            <input type="checkbox" name="categories[]" value={c.value} defaultChecked={chosenCategories.includes(c.value)} /> {c.label}
          </label>
        ))}
      </fieldset>
      <fieldset className="admin-field guide-choices" aria-describedby={errors.error("districts") ? `${form.prefix}-districts-error` : undefined}>
        <legend>{t("sharing")}</legend>
        {sharings.map((s) => (
          <label key={s.value} className="admin-check">
            <input type="radio" name="sharing" value={s.value} defaultChecked={sharing === s.value} /> {s.label}
          </label>
        ))}
        <details open={sharing === "districts" || chosenDistricts.length > 0}>
          <summary>{t("chooseDistricts")}</summary>
          <div className="guide-district-grid">
            {districts.map((d) => (
              <label key={d.value} className="admin-check">
                <input type="checkbox" name="districts[]" value={d.value} defaultChecked={chosenDistricts.includes(d.value)} /> {d.label}
              </label>
            ))}
          </div>
        </details>
        {errors.error("districts") && (
          <p id={`${form.prefix}-districts-error`} className="field-error">
            {errors.error("districts")}
          </p>
        )}
      </fieldset>
    </div>
  );
}

function Conflict({ form }: { form: AdminForm }) {
  const t = useTranslations("guides");
  const failed = form.state && !form.state.ok && form.state.error === "conflict" ? form.state : null;
  if (!failed?.params) return null;
  return (
    <p className="form-error" role="alert" data-testid="guide-conflict">
      {t("conflict", { user: String(failed.params.user), at: new Date(String(failed.params.at)).toLocaleString(), version: Number(failed.params.version) })}
    </p>
  );
}

type Choices = { holders: Option[] | null; districts: Option[]; categories: Option[]; sharings: Option[] };

export function CreateGuideForm(choices: Choices) {
  const t = useTranslations("guides");
  const form = useAdminForm(createGuideAction) as AdminForm;
  const done = form.done as { id: number } | null;
  return (
    <form {...form.formProps} className="admin-form" data-testid="create-guide">
      <FormStatus
        form={form}
        done={done ? (
          <>
            {t("created")}{" "}
            <Link href={`/guides/${done.id}`} data-testid="open-created-guide">
              {t("open")}
            </Link>
          </>
        ) : null}
      />
      <GuideFields form={form} g={EMPTY_GUIDE} {...choices} />
      <button type="submit" className="primary" disabled={form.pending} aria-busy={form.pending}>
        {form.pending ? t("saving") : t("create")}
      </button>
    </form>
  );
}

export function EditGuideForm({ id, version, g, ...choices }: Choices & { id: number; version: number; g: GuideValues }) {
  const t = useTranslations("guides");
  const form = useAdminForm(updateGuideAction) as AdminForm;
  const conflict = form.state && !form.state.ok && form.state.error === "conflict";
  return (
    <form {...form.formProps} className="admin-form" data-testid="edit-guide">
      {conflict ? <Conflict form={form} /> : <FormStatus form={form} done={form.done ? <Link href={`/guides/${id}`}>{t("saved")}</Link> : null} />}
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
      <GuideFields form={form} g={g} {...choices} />
      <button type="submit" className="primary" disabled={form.pending} aria-busy={form.pending}>
        {form.pending ? t("saving") : t("save")}
      </button>
    </form>
  );
}
