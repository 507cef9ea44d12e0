"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";

// Adds a genuine-versus-fake pair: two pictures and the feature they show, sent to the upload
// route (app/api/guides/[id]/pairs), which reads each picture's type from its bytes and writes
// it again without metadata. A refusal names the field and stays in the form.

type Option = { value: string; label: string };

export function PairUpload({ guideId, features }: { guideId: number; features: Option[] }) {
  const t = useTranslations("guides");
  const router = useRouter();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ field: string; message: string } | null>(null);
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setProblem(null);
    setDone(false);
    try {
      const response = await fetch(`/api/guides/${guideId}/pairs`, { method: "POST", body: new FormData(form) });
      if (response.status === 201) {
        form.reset();
        setDone(true);
        router.refresh();
        return;
      }
      const answer = (await response.json().catch(() => ({}))) as { error?: string; field?: string; params?: Record<string, number> };
      const code = answer.error ?? "failed";
      setProblem({ field: answer.field ?? "_form", message: t.has(`errors.${code}`) ? t(`errors.${code}`, { max: 0, number: "", value: "", ...answer.params }) : t("errors.failed") });
    } catch {
      setProblem({ field: "_form", message: t("errors.failed") });
    } finally {
      setBusy(false);
    }
  }

  const errorOf = (field: string) => (problem?.field === field ? problem.message : null);
  const described = (field: string) => (errorOf(field) ? { "aria-invalid": true as const, "aria-describedby": `${id}-${field}-error` } : {});
  const error = (field: string) =>
    errorOf(field) && (
      <p id={`${id}-${field}-error`} className="field-error">
        {errorOf(field)}
      </p>
    );
  return (
    <form onSubmit={submit} className="admin-form guide-upload" data-testid="pair-upload" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t("addPair")}</h3>
      <div aria-live="polite">
        {problem && !["genuine", "fake", "feature", "markers", "captionEn", "captionZh"].includes(problem.field) && (
          <p className="form-error" role="alert">
            {problem.message}
          </p>
        )}
        {done && (
          <p className="form-ok" role="status">
            {t("pairAdded")}
          </p>
        )}
      </div>
      <div className="admin-grid">
        <div className="admin-field">
          <label htmlFor={`${id}-genuine`}>{t("genuinePicture")}</label>
          <input id={`${id}-genuine`} name="genuine" type="file" accept="image/jpeg,image/png,image/webp" required {...described("genuine")} />
          {error("genuine")}
        </div>
        <div className="admin-field">
          <label htmlFor={`${id}-fake`}>{t("fakePicture")}</label>
          <input id={`${id}-fake`} name="fake" type="file" accept="image/jpeg,image/png,image/webp" required {...described("fake")} />
          {error("fake")}
        </div>
        <div className="admin-field">
          <label htmlFor={`${id}-feature`}>{t("feature")}</label>
          <select id={`${id}-feature`} name="feature" defaultValue="label" {...described("feature")}>
            {features.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
          {error("feature")}
        </div>
        <div className="admin-field">
          <label htmlFor={`${id}-captionEn`}>{t("captionEn")}</label>
          <input id={`${id}-captionEn`} name="captionEn" type="text" lang="en" maxLength={300} {...described("captionEn")} />
          {error("captionEn")}
        </div>
        <div className="admin-field">
          <label htmlFor={`${id}-captionZh`}>{t("captionZh")}</label>
          <input id={`${id}-captionZh`} name="captionZh" type="text" lang="zh-CN" maxLength={300} {...described("captionZh")} />
          {error("captionZh")}
        </div>
      </div>
      <p className="admin-hint">{t("pairHint")}</p>
      <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
        {busy ? t("uploading") : t("upload")}
      </button>
    </form>
  );
}
