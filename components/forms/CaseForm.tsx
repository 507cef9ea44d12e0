"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { createCaseAction, updateCaseAction, type CaseSaved } from "@/app/actions/cases";
import type { ActionResult, FieldError } from "@/app/actions/wrapper";
import type { CaseFormChoices } from "@/db/repo/cases";
import { CASE_FORM_FIELDS, ENUM_FIELDS as ENUM_DEFS, enumFieldsOf, type EnumLike, type FormSection } from "@/lib/case-definition";
import type { CaseFormField, CaseFormValues } from "@/lib/case-schema";
import type { Locale } from "@/lib/enums";
import { countryName } from "@/lib/countries";
import { latinLang } from "@/lib/format";
import { CountryPicker } from "./CountryPicker";
import { HolderPicker, holderDisplayName } from "./HolderPicker";
import { DateInput } from "@/components/ui/DateInput";
import { PartyCodeInput } from "./PartyCodeInput";
import { useWatchListCheck, WatchListWarning } from "./WatchListWarning";
import { partyRoles } from "@/lib/enums";

// The form's fields, their order and its enumerated selects come from the case definition
// (lib/case-definition.ts): a new enumerated field shows up in its section by itself.

const ENUM_FIELDS: Partial<Record<CaseFormField, EnumLike>> = Object.fromEntries(ENUM_DEFS.map((f) => [f.key, f.enum]));

/** The form's fields in their order (the error summary and the conflict list follow it). */
const FIELD_ORDER = CASE_FORM_FIELDS;

const fieldId = (name: string) => `case-${name}`;

/** What the user posted (formToObject's output), back as the form's values. */
function fromPosted(posted: Record<string, unknown>): CaseFormValues {
  const text = (v: unknown) => (typeof v === "string" ? v : Array.isArray(v) ? String(v[0] ?? "") : v === undefined || v === null ? "" : String(v));
  const out = {} as Record<CaseFormField, unknown>;
  for (const field of FIELD_ORDER) {
    const v = posted[field];
    if (field === "hearingHeld" || field === "referredToPolice") out[field] = v !== undefined && v !== "" && v !== false;
    else if (field === "rightHolderIds" || field === "recordationIds") out[field] = (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
    else out[field] = text(v);
  }
  return out as CaseFormValues;
}

const sameValue = (a: CaseFormValues[CaseFormField], b: CaseFormValues[CaseFormField]) =>
  Array.isArray(a) && Array.isArray(b) ? [...a].sort().join() === [...b].sort().join() : a === b;

/** The form's current values as the action would get them (repeated names and names ending in [] as lists). */
function formDataObject(form: FormData): Record<string, unknown> {
  const out: Record<string, string | string[]> = {};
  for (const [rawName, value] of form.entries()) {
    if (typeof value !== "string" || rawName.startsWith("$ACTION")) continue;
    const list = rawName.endsWith("[]");
    const name = list ? rawName.slice(0, -2) : rawName;
    const known = out[name];
    if (known === undefined) out[name] = list ? [value] : value;
    else if (Array.isArray(known)) known.push(value);
    else out[name] = [known, value];
  }
  return out;
}

export type CaseFormProps = {
  mode: "create" | "edit";
  initial: CaseFormValues;
  choices: CaseFormChoices;
  /** today in Beijing time (the latest seizure date) */
  today: string;
  cancelHref: string;
  /** for edits: the case, and the version the form shows */
  caseId?: number;
  version?: number;
};

/** A labelled control with its hint and error (a component of its own, so re-renders keep the input). */
function Field({ field, label, requiredTitle, error, required, hint, wide, children }: {
  field: CaseFormField;
  label: string;
  requiredTitle: string;
  error?: string;
  required?: boolean;
  hint?: string;
  wide?: boolean;
  children: React.ReactNode;
}) {
  return (
    <div className={`form-field${wide ? " wide" : ""}${error ? " has-error" : ""}`} data-field={field}>
      <label htmlFor={fieldId(field)}>
        {label}
        {required && (
          <span className="required-mark" title={requiredTitle} aria-hidden="true">
            {" *"}
          </span>
        )}
      </label>
      {children}
      {hint && (
        <p id={`${fieldId(field)}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${fieldId(field)}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function CaseForm({ mode, initial, choices, today, cancelHref, caseId, version }: CaseFormProps) {
  const t = useTranslations("forms");
  const locale = useLocale() as Locale;
  const router = useRouter();
  // the watch-list warning as a party's name or code is entered (issue 18, item 2)
  const watch = useWatchListCheck();
  const [state, formAction, pending] = useActionState<ActionResult<CaseSaved> | null, FormData>(
    mode === "create" ? createCaseAction : updateCaseAction,
    null,
  );
  // each answer re-mounts the form with the values to show (React resets a form after its action)
  const [seen, setSeen] = useState(state);
  const [attempt, setAttempt] = useState(0);
  if (seen !== state) {
    setSeen(state);
    setAttempt(attempt + 1);
  }
  const failure = state && !state.ok ? state : null;
  const conflict = failure?.error === "conflict";

  // Two people editing one case: the form remembers the case as it was at each version it
  // showed, so that after a refusal it knows the starting values (the version the user's
  // edit began from), theirs (the case as it is now, loaded again) and the user's own.
  const snapshots = useRef(new Map<number, CaseFormValues>());
  if (version !== undefined && !snapshots.current.has(version)) snapshots.current.set(version, initial);
  const postedVersion = conflict && failure?.values ? Number(failure.values.version) : NaN;
  const start = conflict ? snapshots.current.get(postedVersion) : undefined;
  const mine = conflict && failure?.values ? fromPosted(failure.values) : null;
  // theirs: once the page has loaded the newer version
  const theirs = conflict && version !== undefined && version !== postedVersion ? initial : null;
  const changed = (f: CaseFormField) => (start && mine && theirs ? !sameValue(mine[f], start[f]) || !sameValue(theirs[f], start[f]) : false);
  const mergeFields = start && mine && theirs ? FIELD_ORDER.filter(changed) : [];
  // the user's choice per field (kept for this refusal only), and what the form held when they chose
  const [merge, setMerge] = useState<{ attempt: number; keep: Partial<Record<CaseFormField, "theirs" | "yours">>; edits: CaseFormValues | null; n: number }>(
    { attempt: 0, keep: {}, edits: null, n: 0 },
  );
  const keep = merge.attempt === attempt ? merge.keep : {};
  const edits = merge.attempt === attempt ? merge.edits : null;
  const formRef = useRef<HTMLFormElement>(null);
  const keepOf = (f: CaseFormField): "theirs" | "yours" =>
    keep[f] ?? (start && mine && !sameValue(mine[f], start[f]) ? "yours" : "theirs");
  /** The form after a refusal: the case as it is now with the user's changes, and theirs where the user keeps theirs. */
  const merged = (): CaseFormValues => {
    const out = { ...theirs! } as Record<CaseFormField, unknown>;
    for (const f of FIELD_ORDER) {
      if (keep[f]) out[f] = keep[f] === "theirs" ? theirs![f] : mine![f];
      else if (edits) out[f] = edits[f];
      else out[f] = keepOf(f) === "yours" ? mine![f] : theirs![f];
    }
    return out as CaseFormValues;
  };
  const choose = (f: CaseFormField, side: "theirs" | "yours") => {
    // what the form holds now (other fields the user went on editing stay as they are)
    const now = formRef.current ? fromPosted(formDataObject(new FormData(formRef.current))) : null;
    setMerge({ attempt, keep: { ...keep, [f]: side }, edits: now, n: merge.n + 1 });
    setKeptNotice(t(side === "theirs" ? "merge.kept" : "merge.keptYours", { field: labelOf(f) }));
  };
  const [keptNotice, setKeptNotice] = useState("");

  // after a refusal the user's input stays; after a conflict the form shows the newer case
  // with the user's changes (until the newer case has loaded, the user's values)
  const values = conflict ? (theirs && start && mine ? merged() : (mine ?? initial)) : failure?.values ? fromPosted(failure.values) : initial;
  const fieldErrors = failure?.fieldErrors ?? {};
  const errorFields = [
    ...FIELD_ORDER.filter((f) => fieldErrors[f]),
    ...Object.keys(fieldErrors).filter((f) => !(FIELD_ORDER as readonly string[]).includes(f)),
  ];

  useEffect(() => {
    // someone else saved first: load the case as it is now (new values and version)
    if (conflict) router.refresh();
  }, [conflict, state, router]);

  const summary = useRef<HTMLDivElement>(null);
  const formMessage = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (attempt === 0) return;
    if (errorFields.length) summary.current?.focus();
    else if (failure) formMessage.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt]);

  // the recordations offered, by right holder
  const recordationGroups: [string, CaseFormChoices["recordations"]][] = [];
  for (const r of choices.recordations) {
    const last = recordationGroups[recordationGroups.length - 1];
    if (last && last[0] === r.holderName) last[1].push(r);
    else recordationGroups.push([r.holderName, [r]]);
  }
  const name = (n: { nameEn: string; nameZh: string }) => (locale === "zh" ? n.nameZh : n.nameEn);
  const dateTime = (iso: string | number) =>
    new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(new Date(iso));

  const errorText = (field: string, e: FieldError): string => {
    const params = { min: 1, max: 0, value: "", caseNo: "", ...e.params };
    const specific = `errors.byField.${field}.${e.code}`;
    if (t.has(specific)) return t(specific, params);
    if (t.has(`errors.${e.code}`)) return t(`errors.${e.code}`, params);
    return t("errors.invalid");
  };
  const labelOf = (field: string) => (t.has(`fields.${field}`) ? t(`fields.${field}`) : field);

  /** The attributes tying a control to its hint and error. */
  const aria = (field: CaseFormField, hint?: boolean) => {
    const ids = [hint ? `${fieldId(field)}-hint` : null, fieldErrors[field] ? `${fieldId(field)}-error` : null].filter(Boolean);
    return {
      id: fieldId(field),
      name: field,
      "aria-invalid": fieldErrors[field] ? true : undefined,
      "aria-describedby": ids.length ? ids.join(" ") : undefined,
    } as const;
  };

  /** The props of a field's box: its label and its error in the user's language. */
  const box = (field: CaseFormField) => ({
    field,
    label: labelOf(field),
    requiredTitle: t("requiredMark"),
    error: fieldErrors[field] ? errorText(field, fieldErrors[field]) : undefined,
  });

  const enumSelect = (field: CaseFormField, optional?: { none: string }) => {
    const e = ENUM_FIELDS[field]!;
    return (
      <select {...aria(field)} defaultValue={values[field] as string} required={!optional}>
        <option value="">{optional ? optional.none : t("fields.choose")}</option>
        {e.values.map((v) => (
          <option key={v} value={v}>
            {e.label(v, locale)}
          </option>
        ))}
      </select>
    );
  };

  /** A section's enumerated fields, each a select (required unless the definition says optional). */
  const enumFields = (section: FormSection) =>
    enumFieldsOf(section).map((f) => (
      <Field key={f.key} {...box(f.key as CaseFormField)} required={!f.optional}>
        {enumSelect(f.key as CaseFormField, f.optional ? { none: t(f.noneLabel ?? "fields.choose") } : undefined)}
      </Field>
    ));

  /** A field's value for the "what you had entered" list after a conflict. */
  const shownValue = (field: CaseFormField, v: CaseFormValues[CaseFormField]): string => {
    if (typeof v === "boolean") return v ? "✓" : "—";
    if (Array.isArray(v) && field === "recordationIds") {
      return v.map((id) => choices.recordations.find((r) => String(r.id) === id)?.number ?? `#${id}`).join(", ") || t("history.empty");
    }
    if (Array.isArray(v)) {
      return v.map((holderId) => {
        const h = choices.holders.find((x) => String(x.id) === holderId);
        return h ? holderDisplayName(h, locale) : `#${holderId}`;
      }).join(", ");
    }
    if (!v) return t("history.empty");
    const e = ENUM_FIELDS[field];
    if (e && e.is(v)) return e.label(v, locale);
    if (field === "officeId") {
      for (const d of choices.districts) for (const o of [d, ...d.offices]) if (String(o.id) === v) return `${name(o)} (${o.code})`;
    }
    if (field === "originCountry" || field === "destinationCountry") return countryName(v, locale);
    if (field === "campaignId") {
      const c = choices.campaigns.find((x) => String(x.id) === v);
      if (c) return name(c);
    }
    return v;
  };

  const formMessageText = failure && failure.error !== "invalid"
    ? failure.error === "conflict"
      ? t("formErrors.conflict", {
          user: String(failure.params?.user ?? "—"),
          at: failure.params?.at ? dateTime(String(failure.params.at)) : "—",
          version: String(failure.params?.version ?? ""),
        })
      : t.has(`formErrors.${failure.error}`) ? t(`formErrors.${failure.error}`) : t("formErrors.failed")
    : null;

  return (
    <div className="case-form-wrap">
      {formMessageText && (
        <div className="form-error form-message" role="alert" tabIndex={-1} ref={formMessage} data-testid="form-message">
          <p>{formMessageText}</p>
          {conflict && !theirs && <p className="muted">{t("merge.loading")}</p>}
        </div>
      )}
      {conflict && theirs && start && mine && mergeFields.length > 0 && (
        <section className="merge-panel" aria-labelledby="merge-title" data-testid="merge-panel">
          <h2 id="merge-title">{t("merge.title")}</h2>
          <div className="table-scroll">
            <table className="data-table merge-table" data-testid="merge-table">
              <caption>{t("merge.caption", { user: String(failure?.params?.user ?? "—") })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("merge.field")}</th>
                  <th scope="col">{t("merge.start")}</th>
                  <th scope="col">{t("merge.theirs", { user: String(failure?.params?.user ?? "—") })}</th>
                  <th scope="col">{t("merge.yours")}</th>
                  <th scope="col">{t("merge.keep")}</th>
                </tr>
              </thead>
              <tbody>
                {mergeFields.map((f) => {
                  const cell = (v: CaseFormValues[CaseFormField], side: "theirs" | "yours") => {
                    const text = shownValue(f, v);
                    const same = sameValue(v, start[f]);
                    return (
                      <td data-side={side} className={same ? "muted" : undefined}>
                        <span lang={latinLang(text)}>{text}</span>
                        {same && <span className="merge-unchanged"> {t("merge.unchanged")}</span>}
                      </td>
                    );
                  };
                  const startText = shownValue(f, start[f]);
                  return (
                    <tr key={f} data-field={f}>
                      <th scope="row">{labelOf(f)}</th>
                      <td data-side="start"><span lang={latinLang(startText)}>{startText}</span></td>
                      {cell(theirs[f], "theirs")}
                      {cell(mine[f], "yours")}
                      <td>
                        <div className="merge-keep" role="radiogroup" aria-label={`${t("merge.keep")}: ${labelOf(f)}`}>
                          {(["theirs", "yours"] as const).map((side) => (
                            <label key={side}>
                              <input
                                type="radio"
                                name={`keep-${f}`}
                                value={side}
                                checked={keepOf(f) === side}
                                onChange={() => choose(f, side)}
                                data-testid={`keep-${side}-${f}`}
                              />
                              {t(side === "theirs" ? "merge.keepTheirs" : "merge.keepYours")}
                            </label>
                          ))}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p className="visually-hidden" aria-live="polite">{keptNotice}</p>
        </section>
      )}
      {errorFields.length > 0 && (
        <div className="error-summary" tabIndex={-1} ref={summary} aria-labelledby="case-error-summary" data-testid="error-summary">
          <h2 id="case-error-summary">{t("summary", { count: errorFields.length })}</h2>
          <ul>
            {errorFields.map((f) => (
              <li key={f}>
                <a href={`#${fieldId(f)}`}>
                  {labelOf(f)}
                  {locale === "zh" ? "：" : ": "}
                  {errorText(f, fieldErrors[f]!)}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form ref={formRef} key={`${version ?? 0}-${attempt}-${merge.attempt === attempt ? merge.n : 0}`} action={formAction} noValidate className="case-form" aria-busy={pending || undefined} data-testid="case-form">
        {mode === "edit" && (
          <>
            <input type="hidden" name="id" value={caseId} />
            <input type="hidden" name="version" value={version} />
          </>
        )}
        <fieldset>
          <legend>{t("sections.identity")}</legend>
          <Field {...box("caseNo")} required hint={t("fields.caseNoHint")}>
            <input {...aria("caseNo", true)} type="text" defaultValue={values.caseNo} required autoComplete="off" spellCheck={false} inputMode="numeric" maxLength={14} />
          </Field>
          <Field {...box("seizedOn")} required hint={t("fields.seizedOnHint")}>
            <DateInput {...aria("seizedOn", true)} defaultValue={values.seizedOn} required />
          </Field>
          <Field {...box("officeId")} required hint={t("fields.officeHint")} wide>
            <select {...aria("officeId", true)} defaultValue={values.officeId} required>
              <option value="">{t("fields.chooseOffice")}</option>
              {choices.districts.map((d) => (
                <optgroup key={d.id} label={`${name(d)} (${d.code})`}>
                  <option value={d.id}>{`${name(d)} (${d.code})`}</option>
                  {d.offices.map((o) => (
                    <option key={o.id} value={o.id}>{`${name(o)} (${o.code})`}</option>
                  ))}
                </optgroup>
              ))}
            </select>
          </Field>
        </fieldset>

        <fieldset>
          <legend>{t("sections.goods")}</legend>
          {enumFields("goods")}
          <Field {...box("goodsDescription")} required wide>
            <textarea {...aria("goodsDescription")} defaultValue={values.goodsDescription} rows={2} required maxLength={500} />
          </Field>
          <Field {...box("pieces")} required>
            <input {...aria("pieces")} type="text" inputMode="numeric" defaultValue={values.pieces} required autoComplete="off" />
          </Field>
          <Field {...box("valueYuan")} required hint={t("fields.moneyHint")}>
            <input {...aria("valueYuan", true)} type="text" inputMode="decimal" defaultValue={values.valueYuan} required autoComplete="off" />
          </Field>
        </fieldset>

        <fieldset>
          <legend>{t("sections.how")}</legend>
          {enumFields("how")}
          <Field {...box("originCountry")} hint={t("fields.countryHint")}>
            <CountryPicker
              id={fieldId("originCountry")}
              name="originCountry"
              defaultValue={values.originCountry ?? ""}
              fieldLabel={labelOf("originCountry")}
              invalid={Boolean(fieldErrors.originCountry)}
              describedBy={aria("originCountry", true)["aria-describedby"]}
            />
          </Field>
          <Field {...box("destinationCountry")} hint={t("fields.countryHint")}>
            <CountryPicker
              id={fieldId("destinationCountry")}
              name="destinationCountry"
              defaultValue={values.destinationCountry ?? ""}
              fieldLabel={labelOf("destinationCountry")}
              invalid={Boolean(fieldErrors.destinationCountry)}
              describedBy={aria("destinationCountry", true)["aria-describedby"]}
            />
          </Field>
          <Field {...box("campaignId")}>
            <select {...aria("campaignId")} defaultValue={values.campaignId}>
              <option value="">{t("fields.noCampaign")}</option>
              {choices.campaigns.map((c) => (
                <option key={c.id} value={c.id}>
                  {`${name(c)} (${c.startsOn.slice(0, 4)}${c.endsOn && c.endsOn.slice(0, 4) !== c.startsOn.slice(0, 4) ? `–${c.endsOn.slice(0, 4)}` : ""})`}
                </option>
              ))}
            </select>
          </Field>
        </fieldset>

        <fieldset>
          <legend>{t("sections.outcome")}</legend>
          {enumFields("outcome")}
          <Field {...box("penaltyYuan")} hint={`${t("fields.penaltyHint")}${locale === "zh" ? "" : " "}${t("fields.moneyHint")}`}>
            <input {...aria("penaltyYuan", true)} type="text" inputMode="decimal" defaultValue={values.penaltyYuan} autoComplete="off" />
          </Field>
          <div className="form-checks">
            {(["hearingHeld", "referredToPolice"] as const).map((f) => (
              <div key={f} className="form-check" data-field={f}>
                <input {...aria(f)} type="checkbox" defaultChecked={values[f]} />
                <label htmlFor={fieldId(f)}>{labelOf(f)}</label>
                {fieldErrors[f] && (
                  <p id={`${fieldId(f)}-error`} className="field-error">
                    {errorText(f, fieldErrors[f])}
                  </p>
                )}
              </div>
            ))}
          </div>
          <Field {...box("notes")} wide>
            <textarea {...aria("notes")} defaultValue={values.notes} rows={3} maxLength={4000} />
          </Field>
        </fieldset>

        <fieldset
          className={fieldErrors.rightHolderIds ? "has-error" : undefined}
          aria-describedby={fieldErrors.rightHolderIds ? `${fieldId("rightHolderIds")}-error` : undefined}
          data-field="rightHolderIds"
        >
          <legend>
            {t("sections.holders")}
            <span className="required-mark" title={t("requiredMark")} aria-hidden="true">
              {" *"}
            </span>
          </legend>
          <HolderPicker
            id={fieldId("rightHolderIds")}
            holders={choices.holders}
            initial={values.rightHolderIds}
            invalid={Boolean(fieldErrors.rightHolderIds)}
            describedBy={fieldErrors.rightHolderIds ? `${fieldId("rightHolderIds")}-error` : undefined}
          />
          {fieldErrors.rightHolderIds && (
            <p id={`${fieldId("rightHolderIds")}-error`} className="field-error">
              {errorText("rightHolderIds", fieldErrors.rightHolderIds)}
            </p>
          )}
        </fieldset>

        <fieldset data-field="recordationIds" className={fieldErrors.recordationIds ? "has-error" : undefined}>
          <legend>{t("sections.recordations")}</legend>
          <Field {...box("recordationIds")} wide hint={t("fields.recordationHint")}>
            <select
              {...aria("recordationIds", true)}
              name="recordationIds[]"
              multiple
              size={6}
              defaultValue={values.recordationIds ?? []}
              data-testid="case-recordations"
            >
              {recordationGroups.map(([holder, list]) => (
                <optgroup key={holder} label={holder}>
                  {list.map((r) => (
                    <option key={r.id} value={String(r.id)}>
                      {`${r.number} ${locale === "zh" && r.titleZh ? r.titleZh : r.titleEn} (${r.validFrom} – ${r.validTo})${r.status === "revoked" ? " ✕" : ""}`}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </Field>
        </fieldset>

        <fieldset data-testid="case-parties" onBlur={watch.onBlur}>
          <legend>{t("sections.parties")}</legend>
          <WatchListWarning hits={watch.hits} />
          {partyRoles.values.map((role) => {
            const kind = `${role}Kind` as CaseFormField;
            const nameField = `${role}Name` as CaseFormField;
            const code = `${role}Code` as CaseFormField;
            const address = `${role}Address` as CaseFormField;
            return (
              <div key={role} className="party-row" data-role={role}>
                <Field {...box(kind)}>{enumSelect(kind, { none: t("fields.noParty") })}</Field>
                <Field {...box(nameField)}>
                  <input {...aria(nameField)} type="text" defaultValue={values[nameField] as string} maxLength={200} autoComplete="off" />
                </Field>
                <Field {...box(code)} hint={role === "consignor" ? t("fields.partyCodeHint") : undefined}>
                  <PartyCodeInput
                    role={role}
                    id={fieldId(code)}
                    defaultValue={values[code] as string}
                    describedBy={aria(code, role === "consignor")["aria-describedby"]}
                    invalid={Boolean(fieldErrors[code])}
                    fieldLabel={labelOf(code)}
                    messages={{
                      uscc_length: t("errors.uscc_length"), uscc_chars: t("errors.uscc_chars"), uscc_check: t("errors.uscc_check"),
                      id_check: t("errors.id_check"), masked: t("errors.masked"),
                    }}
                  />
                </Field>
                <Field {...box(address)}>
                  <input {...aria(address)} type="text" defaultValue={values[address] as string} maxLength={300} autoComplete="off" />
                </Field>
              </div>
            );
          })}
          <Field {...box("loadingPlace")}>
            <input {...aria("loadingPlace")} type="text" defaultValue={values.loadingPlace} maxLength={200} autoComplete="off" />
          </Field>
          <Field {...box("port")}>{enumSelect("port", { none: t("fields.noPort") })}</Field>
          <Field {...box("hsHeading")} hint={t("fields.hsHint")}>
            <input {...aria("hsHeading", true)} type="text" inputMode="numeric" defaultValue={values.hsHeading} maxLength={11} autoComplete="off" />
          </Field>
          <Field {...box("declaredDescription")} wide>
            <textarea {...aria("declaredDescription")} defaultValue={values.declaredDescription} rows={2} maxLength={500} />
          </Field>
        </fieldset>

        <div className="form-actions">
          <button type="submit" className="primary" disabled={pending} data-testid="case-submit">
            {pending ? t("saving") : mode === "create" ? t("create") : t("save")}
          </button>
          <Link href={cancelHref}>{t("cancel")}</Link>
          <span className="visually-hidden" aria-live="polite">
            {pending ? t("saving") : ""}
          </span>
        </div>
      </form>
    </div>
  );
}
