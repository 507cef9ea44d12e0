"use client";

import { useTranslations } from "next-intl";
import { createOfficeAction, updateOfficeAction } from "@/app/actions/admin";
import { Field, FormStatus, useAdminForm, type AdminForm } from "./form";

type DistrictOption = { id: number; label: string };
export type OfficeValues = { id: number; code: string; nameEn: string; nameZh: string; province: string; districtId: number | null; cases: number };

function NameFields({ form, office }: { form: AdminForm; office: { nameEn: string; nameZh: string; province: string } }) {
  const t = useTranslations("admin.offices");
  return (
    <>
      <Field form={form} name="nameEn" label={t("nameEn")}>
        {(control) => <input {...control} type="text" defaultValue={form.value("nameEn", office.nameEn)} required maxLength={120} />}
      </Field>
      <Field form={form} name="nameZh" label={t("nameZh")}>
        {(control) => <input {...control} type="text" lang="zh-CN" defaultValue={form.value("nameZh", office.nameZh)} required maxLength={120} />}
      </Field>
      <Field form={form} name="province" label={t("province")}>
        {(control) => <input {...control} type="text" defaultValue={form.value("province", office.province)} required maxLength={60} />}
      </Field>
    </>
  );
}

function DistrictSelect({ form, districts, value, hint }: { form: AdminForm; districts: DistrictOption[]; value: string; hint?: string }) {
  const t = useTranslations("admin.offices");
  return (
    <Field form={form} name="districtId" label={t("district")} hint={hint}>
      {(control) => (
        <select {...control} defaultValue={form.value("districtId", value)} required>
          <option value="">{t("chooseDistrict")}</option>
          {districts.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CreateOfficeForm({ districts }: { districts: DistrictOption[] }) {
  const t = useTranslations("admin.offices");
  const form = useAdminForm(createOfficeAction);
  return (
    <form {...form.formProps} className="admin-form" data-testid="create-office">
      <FormStatus form={form} done={form.done ? t("created", { code: form.done.code }) : null} />
      <div className="admin-grid" key={form.key}>
        <Field form={form} name="code" label={t("code")} hint={t("codeHint")}>
          {(control) => <input {...control} type="text" inputMode="numeric" defaultValue={form.value("code", "")} required maxLength={4} pattern="\d{4}" className="short" />}
        </Field>
        <NameFields form={form as AdminForm} office={{ nameEn: "", nameZh: "", province: "" }} />
        <DistrictSelect form={form as AdminForm} districts={districts} value="" />
      </div>
      <button type="submit" className="primary" disabled={form.pending}>
        {t("create")}
      </button>
    </form>
  );
}

export function EditOfficeForm({ office, districts }: { office: OfficeValues; districts: DistrictOption[] }) {
  const t = useTranslations("admin.offices");
  const form = useAdminForm(updateOfficeAction);
  const isDistrict = office.districtId === null;
  return (
    <form {...form.formProps} className="admin-form" data-testid="edit-office">
      <FormStatus form={form} done={form.done ? (form.done.changed ? t("saved") : t("unchanged")) : null} />
      <input type="hidden" name="id" value={office.id} />
      <div className="admin-grid" key={form.key}>
        <NameFields form={form as AdminForm} office={office} />
        {isDistrict ? (
          <p className="admin-hint wide">{t("isDistrict")}</p>
        ) : (
          <DistrictSelect
            form={form as AdminForm}
            districts={districts.filter((d) => d.id !== office.id)}
            value={String(office.districtId)}
            hint={office.cases > 0 ? t("districtLocked", { cases: office.cases }) : t("districtFree")}
          />
        )}
      </div>
      <button type="submit" className="primary" disabled={form.pending}>
        {t("save")}
      </button>
    </form>
  );
}
