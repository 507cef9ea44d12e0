"use client";

import { useRef, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { removeAttachmentAction, updateAttachmentAction } from "@/app/actions/attachments";
import type { ActionResult } from "@/app/actions/wrapper";
import type { AttachmentRow } from "@/db/repo/attachments";
import { MAX_CAPTION } from "@/lib/attachments";
import { attachmentKinds, type Locale } from "@/lib/enums";
import { fileUrl } from "./files";

/**
 * One file of the gallery: its thumbnail (opens the viewer) or, for a PDF, a document to
 * download; its kind, caption, size and who added it; "Edit" turns the caption and kind (and,
 * for customs, the sharing) into a form in place; "Remove" asks first in a modal dialog.
 */
export function AttachmentCard({ attachment: a, caseId, editable, canShare, onOpen, onChanged, sizeLabel, captionLang }: {
  attachment: AttachmentRow;
  caseId: number;
  editable: boolean;
  canShare: boolean;
  onOpen: () => void;
  onChanged: () => Promise<void>;
  sizeLabel: string;
  captionLang: string | undefined;
}) {
  const t = useTranslations("attachments");
  const locale = useLocale() as Locale;
  const [editing, setEditing] = useState(false);
  const [pending, setPending] = useState<"save" | "remove" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const removeButton = useRef<HTMLButtonElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const kindLabel = attachmentKinds.label(a.kind, locale);
  const label = a.caption ?? kindLabel;
  const pdf = a.contentType === "application/pdf";

  const failureText = (result: ActionResult<unknown>) => {
    if (result.ok) return null;
    const field = result.fieldErrors && Object.values(result.fieldErrors)[0]?.code;
    if (field === "caption_too_long" || field === "kind") return t(`errors.${field}`);
    return t(result.error === "not_found" ? "errors.not_found" : "errors.failed");
  };

  async function save(form: FormData) {
    setPending("save");
    setError(null);
    const result = await updateAttachmentAction(null, form);
    setPending(null);
    if (!result.ok) return setError(failureText(result));
    setEditing(false);
    await onChanged();
    editButton.current?.focus();
  }

  async function remove(form: FormData) {
    setPending("remove");
    setError(null);
    const result = await removeAttachmentAction(null, form);
    setPending(null);
    if (!result.ok) return setError(failureText(result));
    dialog.current?.close();
    await onChanged();
  }

  return (
    <li className="attachment" data-testid="attachment" data-id={a.id} data-kind={a.kind}>
      {pdf ? (
        <a className="attachment-preview document" href={fileUrl(caseId, a.id, "download")} download aria-label={t("download", { name: label })}>
          <svg aria-hidden="true" className="document-icon" viewBox="0 0 24 24" width="44" height="44">
            <path d="M6 2h8l5 5v15H6z" fill="#fff" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
            <path d="M14 2v5h5M9 12h7M9 15h7M9 18h5" fill="none" stroke="currentColor" strokeWidth="1.5" />
          </svg>
          <span>{t("document")}</span>
        </a>
      ) : (
        <button type="button" className="attachment-preview" onClick={onOpen} aria-label={t("open", { name: label })} data-testid="open-attachment">
          {/* eslint-disable-next-line @next/next/no-img-element -- a stored thumbnail of the API, served with the case's access checks */}
          <img src={fileUrl(caseId, a.id, "thumbnail")} alt="" loading="lazy" width={160} height={120} />
        </button>
      )}
      {editing ? (
        <form action={save} className="attachment-edit" aria-label={t("editTitle", { name: label })}>
          <input type="hidden" name="caseId" value={caseId} />
          <input type="hidden" name="id" value={a.id} />
          <label>
            {t("kind")}
            <select name="kind" defaultValue={a.kind} data-testid="edit-kind">
              {attachmentKinds.values.map((k) => (
                <option key={k} value={k}>
                  {attachmentKinds.label(k, locale)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("caption")}
            <textarea name="caption" defaultValue={a.caption ?? ""} maxLength={MAX_CAPTION} rows={2} data-testid="edit-caption" autoFocus />
          </label>
          {canShare && (
            <label className="checkbox">
              <input type="hidden" name="shareable" value="1" />
              <input type="checkbox" name="shared" defaultChecked={a.shared} data-testid="edit-shared" /> {t("shared")}
            </label>
          )}
          <div className="form-actions">
            <button type="submit" className="primary" disabled={pending !== null} data-testid="save-attachment">
              {pending === "save" ? t("saving") : t("save")}
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              {t("cancel")}
            </button>
          </div>
        </form>
      ) : (
        <div className="attachment-meta">
          <strong>{kindLabel}</strong>
          <span className={a.caption ? "attachment-caption" : "attachment-caption muted"} lang={a.caption ? captionLang : undefined} data-testid="attachment-caption">
            {a.caption ?? t("noCaption")}
          </span>
          <span className="muted small">
            {sizeLabel}
            {a.shared && a.byCustoms && <span className="badge">{t("sharedBadge")}</span>}
            {!a.byCustoms && <span className="badge">{t("byHolder")}</span>}
          </span>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {editable && !editing && (
        <div className="attachment-actions">
          <button type="button" ref={editButton} onClick={() => setEditing(true)} aria-label={t("editTitle", { name: label })} data-testid="edit-attachment">
            {t("edit")}
          </button>
          <button type="button" ref={removeButton} className="danger-link" onClick={() => dialog.current?.showModal()} aria-haspopup="dialog" data-testid="remove-attachment">
            {t("remove")}
          </button>
        </div>
      )}
      {editable && (
        <dialog ref={dialog} className="confirm-dialog" aria-labelledby={`remove-title-${a.id}`} aria-describedby={`remove-text-${a.id}`} onClose={() => removeButton.current?.focus()}>
          <form action={remove}>
            <h2 id={`remove-title-${a.id}`}>{t("removeTitle", { name: label })}</h2>
            <p id={`remove-text-${a.id}`}>{t("removeText")}</p>
            <input type="hidden" name="caseId" value={caseId} />
            <input type="hidden" name="id" value={a.id} />
            <input type="hidden" name="confirm" value="yes" />
            <div className="form-actions">
              <button type="button" onClick={() => dialog.current?.close()} autoFocus>
                {t("keep")}
              </button>
              <button type="submit" className="danger" disabled={pending !== null} data-testid="confirm-remove">
                {pending === "remove" ? t("removing") : t("confirmRemove")}
              </button>
            </div>
          </form>
        </dialog>
      )}
    </li>
  );
}
