"use client";

import { useState } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { createHolderAction, mergeHoldersAction, updateHolderAction } from "@/app/actions/admin";
import { CheckboxField, Field, FormStatus, useAdminForm, type AdminForm } from "./form";
import { HolderSelect, type HolderChoice } from "./HolderSelect";
import { CountryPicker } from "@/components/forms/CountryPicker";

export type HolderValues = {
  name: string;
  nameZh: string | null;
  country: string;
  industry: string;
  foreignInvested: boolean;
  qbpcMember: boolean;
};

type Option = { value: string; label: string };

const EMPTY: HolderValues = { name: "", nameZh: null, country: "", industry: "", foreignInvested: false, qbpcMember: false };

function HolderFields({ form, holder: h, industries, editing }: { form: AdminForm; holder: HolderValues; industries: Option[]; editing: boolean }) {
  const t = useTranslations("admin.holders");
  return (
    <div className="admin-grid" key={form.key}>
      <Field form={form} name="name" label={t("name")}>
        {(control) => <input {...control} type="text" defaultValue={form.value("name", h.name)} required maxLength={200} />}
      </Field>
      <Field form={form} name="nameZh" label={t("nameZh")} hint={t("optional")}>
        {(control) => <input {...control} type="text" lang="zh-CN" defaultValue={form.value("nameZh", h.nameZh ?? "")} maxLength={200} />}
      </Field>
      <Field form={form} name="country" label={t("country")} hint={t("countryHint")}>
        {(control) => (
          <CountryPicker
            id={control.id}
            name={control.name}
            defaultValue={form.value("country", h.country)}
            invalid={Boolean(control["aria-invalid"])}
            describedBy={control["aria-describedby"]}
            fieldLabel={t("country")}
          />
        )}
      </Field>
      <Field form={form} name="industry" label={t("industry")} hint={editing ? t("industryHint") : undefined}>
        {(control) => (
          <select {...control} defaultValue={form.value("industry", h.industry)} required>
            <option value="">{t("chooseIndustry")}</option>
            {industries.map((i) => (
              <option key={i.value} value={i.value}>
                {i.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset className="admin-checks">
        <legend>{t("flags")}</legend>
        <CheckboxField form={form} name="foreignInvested" label={t("foreignInvested")} defaultChecked={h.foreignInvested} />
        <CheckboxField form={form} name="qbpcMember" label={t("qbpcMember")} defaultChecked={h.qbpcMember} />
      </fieldset>
    </div>
  );
}

export function CreateHolderForm({ industries }: { industries: Option[] }) {
  const t = useTranslations("admin.holders");
  const form = useAdminForm(createHolderAction);
  const done = form.done ? (
    <>
      {t("created", { name: form.done.name })} <Link href={`/admin/right-holders/${form.done.id}`}>{t("open")}</Link>
    </>
  ) : null;
  return (
    <form {...form.formProps} className="admin-form" data-testid="create-holder">
      <FormStatus form={form} done={done} />
      <HolderFields form={form as AdminForm} holder={EMPTY} industries={industries} editing={false} />
      <button type="submit" className="primary" disabled={form.pending}>
        {t("create")}
      </button>
    </form>
  );
}

export function EditHolderForm({ holder, industries }: { holder: HolderValues & { id: number }; industries: Option[] }) {
  const t = useTranslations("admin.holders");
  const form = useAdminForm(updateHolderAction);
  const done = form.done ? (form.done.changed ? t("saved", { cases: form.done.cases }) : t("unchanged")) : null;
  return (
    <form {...form.formProps} className="admin-form" data-testid="edit-holder">
      <FormStatus form={form} done={done} />
      <input type="hidden" name="id" value={holder.id} />
      <HolderFields form={form as AdminForm} holder={holder} industries={industries} editing />
      <button type="submit" className="primary" disabled={form.pending}>
        {t("save")}
      </button>
    </form>
  );
}

/** Merges a duplicate into the holder to keep, after showing what will happen. */
export function MergeForm({ holders, keepId = "" }: { holders: (HolderChoice & { cases: number; members: number })[]; keepId?: string }) {
  const t = useTranslations("admin.holders.merge");
  const [keep, setKeep] = useState(keepId);
  const [remove, setRemove] = useState("");
  const [asking, setAsking] = useState(false);
  const form = useAdminForm(async (previous: Parameters<typeof mergeHoldersAction>[0], data: FormData) => {
    const result = await mergeHoldersAction(previous, data);
    if (result.ok) {
      // the removed holder is gone from the list
      setRemove("");
      setAsking(false);
    }
    return result;
  });
  const kept = holders.find((h) => String(h.id) === keep);
  const removed = holders.find((h) => String(h.id) === remove);
  const problem = asking && (!kept || !removed) ? t("chooseBoth") : asking && kept === removed ? t("same") : null;
  const ready = asking && kept && removed && kept !== removed;
  const done = form.done ? t("done", { cases: form.done.cases, members: form.done.members }) : null;
  return (
    <form {...form.formProps} className="admin-form" data-testid="merge-holders">
      <FormStatus form={form} done={done} />
      <div className="admin-grid" key={form.key}>
        <Field form={form} name="keepId" label={t("keep")} className="wide">
          {(control) => (
            <HolderSelect control={control} holders={holders} defaultValue={keep} emptyLabel={t("choose")} onChange={(v) => (setKeep(v), setAsking(false))} />
          )}
        </Field>
        <Field form={form} name="removeId" label={t("remove")} className="wide">
          {(control) => (
            <HolderSelect control={control} holders={holders} defaultValue={remove} emptyLabel={t("choose")} onChange={(v) => (setRemove(v), setAsking(false))} />
          )}
        </Field>
      </div>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {ready ? (
        <div className="confirm-box" role="group" aria-labelledby={`${form.prefix}-summary`}>
          <p id={`${form.prefix}-summary`}>
            {t("summary", { removed: removed.name, kept: kept.name, cases: removed.cases, members: removed.members })}
          </p>
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" className="danger-button" disabled={form.pending}>
            {t("confirm")}
          </button>
          <button type="button" onClick={() => setAsking(false)}>
            {t("cancel")}
          </button>
        </div>
      ) : (
        <button type="button" className="primary" onClick={() => setAsking(true)}>
          {t("review")}
        </button>
      )}
    </form>
  );
}
