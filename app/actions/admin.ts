"use server";

import { z } from "zod";
import { AccountError, createAccount, deleteAccount, MIN_PASSWORD_LENGTH, resetAccountPassword, updateAccount } from "@/db/repo/accounts";
import { InvitationNotFoundError, inviteAccount, resendInvitation, setMailLocale as setAccountMailLocale } from "@/db/repo/account-mail";
import { ReferenceFieldError, createOffice, createRightHolder, mergeRightHolders, updateOffice, updateRightHolder } from "@/db/repo/admin";
import { industries, roles } from "@/lib/enums";
import { FieldProblem, defineAction, defineAsyncAction } from "./wrapper";

// The admin pages' writes: accounts, right holders, customs offices. Each goes through the
// one wrapper (session → role "write" → zod → write); the account writes that hash a password
// use its variant that is not retried when busy (the hashing is not repeated).

// ---- input pieces (FormData holds strings; custom messages are the form's error codes) ----

const blankToNull = (v: unknown) => (v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? null : v);
const requiredText = (max: number) => z.string({ error: "required" }).trim().min(1, "required").max(max, "too_long");
const optionalText = (max: number) => z.preprocess(blankToNull, z.string().trim().max(max, "too_long").nullable());
const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === "1" || v === true, z.boolean());
const id = z.coerce.number({ error: "required" }).int("required").positive("required");
const optionalId = z.preprocess(blankToNull, z.coerce.number().int("unknown").positive("unknown").nullable());
const confirmed = z.literal("yes", { error: "confirm" });

const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
const country = z
  .string({ error: "required" })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, "country")
  .refine((code) => {
    // zod runs this after a failed regex too; DisplayNames throws on what is not a region code
    if (!/^[A-Z]{2}$/.test(code) || code === "ZZ") return false;
    try {
      return regionNames.of(code) !== undefined;
    } catch {
      return false;
    }
  }, "country");

/** Refusals of the write layer as field errors the form translates. */
function asFieldProblem(error: unknown): unknown {
  if (error instanceof ReferenceFieldError) return new FieldProblem(error.field, { code: error.code, params: error.params });
  if (error instanceof AccountError) {
    const code =
      error.field === "email" ? (/exists/.test(error.message) ? "email_taken" : "email")
      : error.field === "holderId" ? (/needs/.test(error.message) ? "holder_required" : /Only member/.test(error.message) ? "holder_not_member" : "unknown")
      : error.field === "password" ? "password_length"
      : "required";
    return new FieldProblem(error.field, { code, params: { min: MIN_PASSWORD_LENGTH } });
  }
  return error;
}

async function refusing<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw asFieldProblem(error);
  }
}

// ---- accounts ----------------------------------------------------------------------------

const password = z
  .string({ error: "required" })
  .min(MIN_PASSWORD_LENGTH, "password_length")
  .max(128, "password_length");

/** A member belongs to a right holder; the other roles to none (a holder chosen for them is dropped). */
const withHolder = <T extends { role: string; holderId: number | null }>(value: T, ctx: z.RefinementCtx) => {
  if (value.role === "member" && value.holderId === null) ctx.addIssue({ code: "custom", path: ["holderId"], message: "holder_required" });
};
const roleField = z.enum(roles.values, { error: "choose" });

const newAccount = z
  .object({
    email: z.string({ error: "required" }).trim().toLowerCase().min(1, "required").pipe(z.email("email")),
    name: requiredText(120),
    role: roleField,
    holderId: optionalId,
    // empty: the account is invited by e-mail, and its owner chooses the password (recommended)
    password: z.preprocess((v) => (v === "" ? undefined : v), password.optional()),
    locale: z.enum(["en", "zh"], { error: "choose" }).default("en"),
  })
  .superRefine(withHolder)
  .transform((v) => ({ ...v, holderId: v.role === "member" ? v.holderId : null }));

/** A refused submission's values go back to the form: never with the password in them. */
function withoutPassword<A extends unknown[], R extends { ok: boolean; values?: Record<string, unknown> }>(action: (...args: A) => Promise<R>) {
  return async (...args: A): Promise<R> => {
    const result = await action(...args);
    if (!result.ok && result.values) {
      const { password: _password, ...values } = result.values;
      return { ...result, values };
    }
    return result;
  };
}

export const createAccountAction = withoutPassword(defineAsyncAction({
  permission: "write",
  schema: newAccount,
  run: async ({ password: chosen, locale, ...input }, { user }) => {
    if (chosen === undefined) {
      // an invitation: the account, a 7-day one-use link, its e-mail and the audit entry in one transaction
      const invited = await refusing(() => inviteAccount({ ...input, locale }, user.id));
      return { id: invited.id, email: input.email, invited: true };
    }
    // the account and its audit entry in one transaction
    const accountId = await refusing(() => createAccount({ ...input, password: chosen }, user.id));
    await setAccountMailLocale(accountId, locale);
    return { id: accountId, email: input.email, invited: false };
  },
}));

export const resendInvitationAction = defineAction({
  permission: "write",
  schema: z.object({ id: z.string().min(1, "required") }),
  revalidate: ["/admin/users"],
  run: async (input, { user }) => {
    try {
      return await resendInvitation(input.id, user.id);
    } catch (error) {
      if (error instanceof InvitationNotFoundError) throw new FieldProblem("id", { code: "not_found" });
      throw error;
    }
  },
});

const accountEdit = z
  .object({ id: z.string().min(1), name: requiredText(120), role: roleField, holderId: optionalId })
  .superRefine(withHolder)
  .transform((v) => ({ ...v, holderId: v.role === "member" ? v.holderId : null }));

export const updateAccountAction = defineAction({
  permission: "write",
  schema: accountEdit,
  run: (input, { user }) => refusing(() => updateAccount(input.id, input, user.id)),
});

export const resetPasswordAction = withoutPassword(defineAsyncAction({
  permission: "write",
  schema: z.object({ id: z.string().min(1), password }),
  run: async (input, { user }) => {
    // resetting ends the account's sessions: an admin changes their own password on /account
    if (input.id === user.id) throw new FieldProblem("password", { code: "self_reset" });
    await refusing(() => resetAccountPassword(input.id, input.password, user.id));
    return { id: input.id };
  },
}));

export const deleteAccountAction = defineAction({
  permission: "write",
  schema: z.object({ id: z.string().min(1), confirm: confirmed }),
  run: (input, { user }) => refusing(() => deleteAccount(input.id, user.id)),
});

// ---- right holders -----------------------------------------------------------------------

const holderFields = z.object({
  name: requiredText(200),
  nameZh: optionalText(200),
  country,
  industry: z.enum(industries.values, { error: "choose" }),
  foreignInvested: checkbox,
  qbpcMember: checkbox,
});

export const createHolderAction = defineAction({
  permission: "write",
  schema: holderFields,
  run: (input, { user }) => refusing(async () => ({ ...(await createRightHolder(input, user.id)), name: input.name })),
});

export const updateHolderAction = defineAction({
  permission: "write",
  schema: holderFields.extend({ id }),
  run: ({ id: holderId, ...input }, { user }) => refusing(() => updateRightHolder(holderId, input, user.id)),
});

export const mergeHoldersAction = defineAction({
  permission: "write",
  schema: z.object({ keepId: id, removeId: id, confirm: confirmed }),
  run: (input, { user }) => refusing(() => mergeRightHolders(input.keepId, input.removeId, user.id)),
});

// ---- customs offices ---------------------------------------------------------------------

const officeNames = {
  nameEn: requiredText(120),
  nameZh: requiredText(120),
  province: requiredText(60),
};

export const createOfficeAction = defineAction({
  permission: "write",
  schema: z.object({ code: z.string({ error: "required" }).trim().regex(/^\d{4}$/, "code_format"), ...officeNames, districtId: id }),
  run: (input, { user }) => refusing(async () => ({ ...(await createOffice(input, user.id)), code: input.code })),
});

export const updateOfficeAction = defineAction({
  permission: "write",
  schema: z.object({ id, ...officeNames, districtId: optionalId }),
  run: ({ id: officeId, ...input }, { user }) => refusing(() => updateOffice(officeId, input, user.id)),
});
