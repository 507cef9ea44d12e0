import { sql, type SQL } from "drizzle-orm";
import {
  blob,
  check,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from "drizzle-orm/sqlite-core";
import {
  attachmentKinds,
  auditActions,
  caseStatuses,
  channels,
  directions,
  bondKinds,
  determinations,
  disposals,
  goodsCategories,
  guideFeatures,
  guideSharings,
  holderAnswers,
  procedureSteps,
  releaseGrounds,
  industries,
  infringementTypes,
  notificationKinds,
  mailStatuses,
  protectionModes,
  recordationApprovals,
  recordationPartyKinds,
  roles,
  transports,
  partyKinds,
  partyRoles,
} from "../../lib/enums";

// `column IN ('a','b',…)` from an enum list: the database refuses what the app would refuse.
function oneOf(column: AnySQLiteColumn, values: readonly string[]): SQL {
  const list = values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ");
  return sql`${column} in (${sql.raw(list)})`;
}

export const customsOffices = sqliteTable(
  "customs_offices",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    code: text("code").notNull().unique(),
    nameEn: text("name_en").notNull(),
    nameZh: text("name_zh").notNull(),
    province: text("province").notNull(),
    // null for the 42 direct customs districts; a subordinate customs points to its district
    districtId: integer("district_id").references((): AnySQLiteColumn => customsOffices.id),
  },
  (t) => [
    check("customs_offices_code_ck", sql`length(${t.code}) = 4 and ${t.code} glob '[0-9][0-9][0-9][0-9]'`),
    index("customs_offices_district_idx").on(t.districtId),
  ],
);
export type CustomsOffice = typeof customsOffices.$inferSelect;
export type NewCustomsOffice = typeof customsOffices.$inferInsert;

export const rightHolders = sqliteTable(
  "right_holders",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull().unique(),
    nameZh: text("name_zh"),
    country: text("country").notNull(),
    industry: text("industry", { enum: industries.values }).notNull(),
    foreignInvested: integer("foreign_invested", { mode: "boolean" }).notNull().default(false),
    qbpcMember: integer("qbpc_member", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    check("right_holders_country_ck", sql`${t.country} glob '[A-Z][A-Z]'`),
    check("right_holders_industry_ck", oneOf(t.industry, industries.values)),
    index("right_holders_industry_idx").on(t.industry),
  ],
);
export type RightHolder = typeof rightHolders.$inferSelect;
export type NewRightHolder = typeof rightHolders.$inferInsert;

export const campaigns = sqliteTable(
  "campaigns",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    code: text("code").notNull().unique(),
    nameEn: text("name_en").notNull(),
    nameZh: text("name_zh").notNull(),
    startsOn: text("starts_on").notNull(),
    endsOn: text("ends_on"),
  },
  (t) => [check("campaigns_dates_ck", sql`${t.endsOn} is null or ${t.endsOn} >= ${t.startsOn}`)],
);
export type Campaign = typeof campaigns.$inferSelect;
export type NewCampaign = typeof campaigns.$inferInsert;

export const cases = sqliteTable(
  "cases",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    caseNo: text("case_no").notNull().unique(),
    officeId: integer("office_id")
      .notNull()
      .references(() => customsOffices.id),
    seizedOn: text("seized_on").notNull(), // ISO date, YYYY-MM-DD
    infringementType: text("infringement_type", { enum: infringementTypes.values }).notNull(),
    goodsCategory: text("goods_category", { enum: goodsCategories.values }).notNull(),
    goodsDescription: text("goods_description").notNull(),
    pieces: integer("pieces").notNull(),
    valueFen: integer("value_fen").notNull(),
    direction: text("direction", { enum: directions.values }).notNull(),
    channel: text("channel", { enum: channels.values }).notNull(),
    transport: text("transport", { enum: transports.values }).notNull(),
    protectionMode: text("protection_mode", { enum: protectionModes.values }).notNull(),
    originCountry: text("origin_country"),
    destinationCountry: text("destination_country"),
    campaignId: integer("campaign_id").references(() => campaigns.id),
    status: text("status", { enum: caseStatuses.values }).notNull(),
    disposal: text("disposal", { enum: disposals.values }),
    hearingHeld: integer("hearing_held", { mode: "boolean" }).notNull().default(false),
    referredToPolice: integer("referred_to_police", { mode: "boolean" }).notNull().default(false),
    penaltyFen: integer("penalty_fen"),
    notes: text("notes"),
    // parties and route (issue 18): the port's values are lib/enums.ts ports, checked by the case schema
    loadingPlace: text("loading_place"),
    port: text("port"),
    hsHeading: text("hs_heading"),
    declaredDescription: text("declared_description"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    createdBy: text("created_by"),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    updatedBy: text("updated_by"),
    version: integer("version").notNull().default(1),
    deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    check("cases_pieces_ck", sql`${t.pieces} >= 1`),
    check("cases_value_ck", sql`${t.valueFen} >= 0`),
    check("cases_penalty_ck", sql`${t.penaltyFen} is null or ${t.penaltyFen} >= 0`),
    check("cases_seized_on_ck", sql`${t.seizedOn} glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`),
    check("cases_type_ck", oneOf(t.infringementType, infringementTypes.values)),
    check("cases_category_ck", oneOf(t.goodsCategory, goodsCategories.values)),
    check("cases_direction_ck", oneOf(t.direction, directions.values)),
    check("cases_channel_ck", oneOf(t.channel, channels.values)),
    check("cases_transport_ck", oneOf(t.transport, transports.values)),
    check("cases_mode_ck", oneOf(t.protectionMode, protectionModes.values)),
    check("cases_status_ck", oneOf(t.status, caseStatuses.values)),
    check("cases_disposal_ck", sql`${t.disposal} is null or ${oneOf(t.disposal, disposals.values)}`),
    check("cases_version_ck", sql`${t.version} >= 1`),
    // Partial indexes: every query over live cases says `deleted_at is null`, so these serve
    // filters, sorts and counts without touching soft-deleted rows or the table itself.
    index("cases_office_seized_idx").on(t.officeId, t.seizedOn).where(sql`deleted_at is null`),
    index("cases_seized_idx").on(t.seizedOn).where(sql`deleted_at is null`),
    index("cases_campaign_idx").on(t.campaignId, t.seizedOn).where(sql`deleted_at is null`),
    index("cases_value_idx").on(t.valueFen).where(sql`deleted_at is null`),
    index("cases_pieces_idx").on(t.pieces).where(sql`deleted_at is null`),
    index("cases_type_idx").on(t.infringementType, t.seizedOn).where(sql`deleted_at is null`),
    index("cases_category_idx").on(t.goodsCategory, t.seizedOn).where(sql`deleted_at is null`),
    index("cases_status_idx").on(t.status, t.seizedOn).where(sql`deleted_at is null`),
    index("cases_channel_idx").on(t.channel, t.transport, t.seizedOn).where(sql`deleted_at is null`),
    index("cases_direction_idx").on(t.direction, t.protectionMode, t.seizedOn).where(sql`deleted_at is null`),
    // the few soft-deleted cases, so counts over right-holder links can leave them out cheaply
    index("cases_deleted_idx").on(t.deletedAt).where(sql`deleted_at is not null`),
  ],
);
export type Case = typeof cases.$inferSelect;
export type NewCase = typeof cases.$inferInsert;

export const caseRightHolders = sqliteTable(
  "case_right_holders",
  {
    caseId: integer("case_id")
      .notNull()
      .references(() => cases.id, { onDelete: "cascade" }),
    rightHolderId: integer("right_holder_id")
      .notNull()
      .references(() => rightHolders.id),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.rightHolderId] }),
    index("case_right_holders_holder_idx").on(t.rightHolderId, t.caseId),
  ],
);
export type CaseRightHolder = typeof caseRightHolders.$inferSelect;

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    userId: text("user_id"),
    action: text("action", { enum: auditActions.values }).notNull(),
    entity: text("entity").notNull(), // "case", "right_holder", "customs_office", …
    entityId: integer("entity_id").notNull(),
    before: text("before", { mode: "json" }),
    after: text("after", { mode: "json" }),
  },
  (t) => [
    check("audit_log_action_ck", oneOf(t.action, auditActions.values)),
    index("audit_log_entity_idx").on(t.entity, t.entityId, t.at),
    index("audit_log_at_idx").on(t.at),
  ],
);
export type AuditEntry = typeof auditLog.$inferSelect;
export type NewAuditEntry = typeof auditLog.$inferInsert;

// The change log of cases: one row per case written (its row or its right-holder links),
// appended by SQLite triggers on `cases` and `case_right_holders` (migration 0011), so that
// every writer, in any process, logs without code of its own. Each process's in-memory
// aggregate store (db/aggregate) reads the rows after the last one it has seen and reloads
// just those cases; a trigger keeps the newest 100,000 rows, and a store that fell further
// behind than the oldest row loads everything again. A row with case id 0 means "everything
// changed" (a bulk load that paused the log: see migration 0011).
export const caseChanges = sqliteTable("case_changes", {
  seq: integer("seq").primaryKey(),
  caseId: integer("case_id").notNull(),
});

// Facts about the database itself, such as whether it holds the generated demo data.
export const appMeta = sqliteTable("app_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});
export type AppMeta = typeof appMeta.$inferSelect;

// ---- accounts (better-auth's tables; the field names are the ones its drizzle adapter expects)

export const users = sqliteTable(
  "user",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull().unique(),
    emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
    image: text("image"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    role: text("role", { enum: roles.values }).notNull().default("analyst"),
    /** a member's company; null for admins and analysts */
    holderId: integer("holder_id").references(() => rightHolders.id),
    /** the language of the e-mails this account receives ("en" | "zh"); the language switch sets it */
    locale: text("locale").notNull().default("en"),
    /** a customs account's direct customs district (one of the 42; set by an admin): the guides shared with it; null for members and for staff of no district */
    districtId: integer("district_id").references((): AnySQLiteColumn => customsOffices.id),
  },
  (t) => [
    check("user_role_ck", oneOf(t.role, roles.values)),
    check("user_member_holder_ck", sql`(${t.role} = 'member') = (${t.holderId} is not null)`),
  ],
);
export type User = typeof users.$inferSelect;

export const sessions = sqliteTable(
  "session",
  {
    id: text("id").primaryKey(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    token: text("token").notNull().unique(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [index("session_user_idx").on(t.userId)],
);

export const accounts = sqliteTable(
  "account",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: integer("access_token_expires_at", { mode: "timestamp_ms" }),
    refreshTokenExpiresAt: integer("refresh_token_expires_at", { mode: "timestamp_ms" }),
    scope: text("scope"),
    password: text("password"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("account_user_idx").on(t.userId)],
);

export const verifications = sqliteTable("verification", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
});

// better-auth's rate limit, kept here so that every server process counts the same requests
// (its default is each process's memory).
export const rateLimits = sqliteTable("rate_limit", {
  id: text("id").primaryKey(),
  key: text("key").notNull().unique(),
  count: integer("count").notNull(),
  lastRequest: integer("last_request").notNull(),
});

// Failed sign-ins per key (an email address, or a client address), to slow down guessing.
export const signInFailures = sqliteTable("sign_in_failures", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  firstAt: integer("first_at").notNull(),
  lastAt: integer("last_at").notNull(),
});

// Customs IP recordations (知识产权海关保护备案, Reg. Arts. 7-10): a right holder's right recorded
// with GACC, valid 10 years and renewable. `status` is the approval state only; whether one is
// valid, expiring (within 6 months) or expired is derived from the dates and today
// (lib/recordations.ts). Dates are 'YYYY-MM-DD' text, timestamps ms since 1970.
export const recordations = sqliteTable(
  "recordations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    number: text("number").notNull().unique(),
    holderId: integer("holder_id")
      .notNull()
      .references(() => rightHolders.id),
    kind: text("kind", { enum: infringementTypes.values }).notNull(),
    rightNo: text("right_no").notNull(),
    titleEn: text("title_en").notNull(),
    titleZh: text("title_zh"),
    /** Nice classes, comma-separated in ascending order ("9,25"); empty for rights without classes */
    classes: text("classes").notNull().default(""),
    validFrom: text("valid_from").notNull(),
    validTo: text("valid_to").notNull(),
    status: text("status", { enum: recordationApprovals.values }).notNull().default("pending"),
    revokedReason: text("revoked_reason"),
    createdAt: integer("created_at").notNull(),
    createdBy: text("created_by"),
    updatedAt: integer("updated_at").notNull(),
    updatedBy: text("updated_by"),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    check("recordations_number_ck", sql`${t.number} glob '[A-Z][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9]'`),
    check("recordations_kind_ck", oneOf(t.kind, infringementTypes.values)),
    check("recordations_status_ck", oneOf(t.status, recordationApprovals.values)),
    check("recordations_dates_ck", sql`${t.validFrom} <= ${t.validTo}`),
    check("recordations_valid_from_ck", sql`${t.validFrom} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`),
    check("recordations_valid_to_ck", sql`${t.validTo} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`),
    index("recordations_holder_idx").on(t.holderId, t.validTo),
    index("recordations_valid_to_idx").on(t.validTo),
  ],
);

/** Licensees and authorised consignors of a recordation: goods of theirs are genuine. */
export const recordationParties = sqliteTable(
  "recordation_parties",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    recordationId: integer("recordation_id")
      .notNull()
      .references(() => recordations.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: recordationPartyKinds.values }).notNull(),
    name: text("name").notNull(),
  },
  (t) => [
    check("recordation_parties_kind_ck", oneOf(t.kind, recordationPartyKinds.values)),
    index("recordation_parties_recordation_idx").on(t.recordationId),
  ],
);

/**
 * The image of a recorded mark, in the database (several app servers share it): the bytes
 * as re-encoded on upload (metadata stripped), base64 text so both engines hold the same type.
 */
export const recordationImages = sqliteTable("recordation_images", {
  recordationId: integer("recordation_id")
    .primaryKey()
    .references(() => recordations.id, { onDelete: "cascade" }),
  contentType: text("content_type").notNull(),
  dataBase64: text("data_base64").notNull(),
  bytes: integer("bytes").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

// The detention procedure (issue 16, item 2; docs/procedure.md, lib/procedure.ts): each step a
// row, in the order recorded (id). The case's `status` is kept from its latest step by the one
// writer (db/writer.ts, op "step"); a case without steps keeps its own status (older cases).
// `at` is when the step took effect (ms since 1970); the kind's own fields are null otherwise.
export const caseSteps = sqliteTable(
  "case_steps",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    caseId: integer("case_id")
      .notNull()
      .references(() => cases.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: procedureSteps.values }).notNull(),
    at: integer("at").notNull(),
    byUser: text("by_user").notNull(),
    documentNo: text("document_no"),
    servedOn: text("served_on"),
    answer: text("answer", { enum: holderAnswers.values }),
    bondFen: integer("bond_fen"),
    bondKind: text("bond_kind", { enum: bondKinds.values }),
    decision: text("decision", { enum: determinations.values }),
    court: text("court"),
    fineFen: integer("fine_fen"),
    ground: text("ground", { enum: releaseGrounds.values }),
    disposal: text("disposal", { enum: disposals.values }),
    note: text("note"),
    recordedAt: integer("recorded_at").notNull(),
  },
  (t) => [
    check("case_steps_kind_ck", oneOf(t.kind, procedureSteps.values)),
    check("case_steps_answer_ck", sql`${t.answer} is null or ${oneOf(t.answer, holderAnswers.values)}`),
    check("case_steps_bond_kind_ck", sql`${t.bondKind} is null or ${oneOf(t.bondKind, bondKinds.values)}`),
    check("case_steps_decision_ck", sql`${t.decision} is null or ${oneOf(t.decision, determinations.values)}`),
    check("case_steps_ground_ck", sql`${t.ground} is null or ${oneOf(t.ground, releaseGrounds.values)}`),
    check("case_steps_disposal_ck", sql`${t.disposal} is null or ${oneOf(t.disposal, disposals.values)}`),
    check("case_steps_money_ck", sql`coalesce(${t.bondFen}, 0) >= 0 and coalesce(${t.fineFen}, 0) >= 0`),
    index("case_steps_case_idx").on(t.caseId, t.id),
  ],
);

/** The holiday arrangement for years chinese-days does not know (or corrections): date → work | holiday. */
export const workingDayOverrides = sqliteTable(
  "working_day_overrides",
  {
    date: text("date").primaryKey(),
    kind: text("kind", { enum: ["work", "holiday"] }).notNull(),
    note: text("note"),
    updatedAt: integer("updated_at").notNull(),
    updatedBy: text("updated_by"),
  },
  (t) => [
    check("working_day_overrides_kind_ck", sql`${t.kind} in ('work', 'holiday')`),
    check("working_day_overrides_date_ck", sql`${t.date} glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`),
  ],
);

/**
 * The recordation(s) a case rests on (lib/case-definition.ts, recordationIds), written by the
 * one writer (db/writer.ts) with the case. A recordation belongs to one of the case's right
 * holders; an ex-officio case entered in the form names one valid on its seizure date.
 */
export const caseRecordations = sqliteTable(
  "case_recordations",
  {
    caseId: integer("case_id")
      .notNull()
      .references(() => cases.id, { onDelete: "cascade" }),
    recordationId: integer("recordation_id")
      .notNull()
      .references(() => recordations.id),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.recordationId] }),
    index("case_recordations_recordation_idx").on(t.recordationId, t.caseId),
  ],
);

// Notifications (issue 16, item 4; db/notifications.ts): one row per (event, recipient), in-app
// (the header's bell, /notifications) and, in the same transaction, an e-mail in the outbox.
// `key` names the event and the recipient ("notice:<step id>:<user id>", …): unique here and in
// the outbox, so an event is notified once however many servers scan. `params` is JSON text of
// what the text needs (messages/*.json "notifications.text"), rendered in the reader's language.
// `holder_id` is the company a member's notification concerns: a member's list is filtered by
// its scope again when read (a case that no longer names its company is not shown).
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: notificationKinds.values }).notNull(),
    caseId: integer("case_id").references(() => cases.id, { onDelete: "cascade" }),
    recordationId: integer("recordation_id").references(() => recordations.id, { onDelete: "cascade" }),
    holderId: integer("holder_id"),
    params: text("params").notNull(),
    createdAt: integer("created_at").notNull(),
    readAt: integer("read_at"),
  },
  (t) => [
    check("notifications_kind_ck", oneOf(t.kind, notificationKinds.values)),
    index("notifications_user_idx").on(t.userId, t.id),
  ],
);
// The outbox (db/outbox.ts): e-mails written by the transaction whose write they tell of (a
// mail exists if and only if that write committed), sent afterwards by the sender of each
// server process. `dedupe_key` is unique: enqueueing the same event again is a no-op. A sender
// claims a row by setting `lease_until` (2 minutes ahead) and `lease_owner`; an expired lease
// may be taken over by another sender. Times are ms since 1970.
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    dedupeKey: text("dedupe_key").notNull().unique(),
    toAddress: text("to_address").notNull(),
    locale: text("locale").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    status: text("status", { enum: mailStatuses.values }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    leaseUntil: integer("lease_until"),
    leaseOwner: text("lease_owner"),
    lastError: text("last_error"),
    /** the Message-ID every attempt of this mail sends with (a duplicate after a crash shares it) */
    messageId: text("message_id").notNull(),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
    /** extra headers as JSON ({"List-Unsubscribe": …} of a digest), or null */
    headers: text("headers"),
  },
  (t) => [
    check("outbox_status_ck", oneOf(t.status, mailStatuses.values)),
    check("outbox_locale_ck", sql`${t.locale} in ('en', 'zh')`),
    index("outbox_due_idx").on(t.status, t.nextAttemptAt),
  ],
);
export type OutboxRow = typeof outbox.$inferSelect;

// Invitations (db/invitations.ts): an account made by an admin without a password; its owner
// sets one through a one-use link (better-auth's reset-password verification row, whose id is
// kept here so that a resend deletes the old link). Times are ms since 1970.
export const invitations = sqliteTable("invitations", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  invitedBy: text("invited_by"),
  verificationId: text("verification_id"),
  sentAt: integer("sent_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
  acceptedAt: integer("accepted_at"),
});
/**
 * Files attached to a case (issue 17): photos of the goods and the procedure's documents, in
 * the database itself (README, "Attachments"): several app servers see the same files, and a
 * backup, a restore and db:copy hold them with the rows that name them. `data` is the file as
 * served (images re-encoded without metadata, lib/images.ts), `thumbnail` a small WebP of an
 * image (null for a PDF). `holder_id` is the right holder whose member added it (null: customs);
 * a member sees its own company's files and those customs `shared` with the right holders.
 */
export const caseAttachments = sqliteTable(
  "case_attachments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    caseId: integer("case_id")
      .notNull()
      .references(() => cases.id, { onDelete: "cascade" }),
    holderId: integer("holder_id").references(() => rightHolders.id),
    kind: text("kind", { enum: attachmentKinds.values }).notNull(),
    caption: text("caption"),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    bytes: integer("bytes").notNull(),
    sha256: text("sha256").notNull(),
    width: integer("width"),
    height: integer("height"),
    shared: integer("shared", { mode: "boolean" }).notNull().default(false),
    data: blob("data", { mode: "buffer" }).notNull(),
    thumbnail: blob("thumbnail", { mode: "buffer" }),
    createdAt: integer("created_at").notNull(),
    createdBy: text("created_by"),
    updatedAt: integer("updated_at").notNull(),
    updatedBy: text("updated_by"),
  },
  (t) => [
    check("case_attachments_kind_ck", oneOf(t.kind, attachmentKinds.values)),
    check("case_attachments_type_ck", sql`${t.contentType} in ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')`),
    index("case_attachments_case_idx").on(t.caseId, t.holderId),
  ],
);
export type CaseAttachment = typeof caseAttachments.$inferSelect;

/**
 * Authentication guides (issue 17, item 2; db/queries/guides.ts): a right holder's guidance for
 * officers on telling its genuine goods from fakes, kept by its members (and admins), in English
 * and Chinese. `sharing`: every customs account ("all") or the accounts of the districts in
 * guide_districts. `version` counts the changes (optimistic concurrency; guide_versions says
 * what changed when). Times are ms since 1970.
 */
export const guides = sqliteTable(
  "guides",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    holderId: integer("holder_id")
      .notNull()
      .references(() => rightHolders.id),
    brand: text("brand").notNull(),
    productLine: text("product_line"),
    titleEn: text("title_en").notNull(),
    titleZh: text("title_zh").notNull(),
    summaryEn: text("summary_en").notNull(),
    summaryZh: text("summary_zh").notNull(),
    fakesEn: text("fakes_en"),
    fakesZh: text("fakes_zh"),
    routesEn: text("routes_en"),
    routesZh: text("routes_zh"),
    contact: text("contact").notNull(),
    sharing: text("sharing", { enum: guideSharings.values }).notNull().default("all"),
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull(),
    createdBy: text("created_by"),
    updatedAt: integer("updated_at").notNull(),
    updatedBy: text("updated_by"),
  },
  (t) => [check("guides_sharing_ck", oneOf(t.sharing, guideSharings.values)), index("guides_holder_idx").on(t.holderId)],
);
export type Guide = typeof guides.$inferSelect;

/** The districts a guide shared with "districts" is shown to (direct customs districts). */
export const guideDistricts = sqliteTable(
  "guide_districts",
  {
    guideId: integer("guide_id")
      .notNull()
      .references(() => guides.id, { onDelete: "cascade" }),
    districtId: integer("district_id")
      .notNull()
      .references(() => customsOffices.id),
  },
  (t) => [primaryKey({ columns: [t.guideId, t.districtId] }), index("guide_districts_district_idx").on(t.districtId)],
);

/** The goods categories a guide covers. */
export const guideCategories = sqliteTable(
  "guide_categories",
  {
    guideId: integer("guide_id")
      .notNull()
      .references(() => guides.id, { onDelete: "cascade" }),
    category: text("category", { enum: goodsCategories.values }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.guideId, t.category] }), check("guide_categories_category_ck", oneOf(t.category, goodsCategories.values))],
);

/** The recordations (of the guide's right holder) a guide covers. */
export const guideRecordations = sqliteTable(
  "guide_recordations",
  {
    guideId: integer("guide_id")
      .notNull()
      .references(() => guides.id, { onDelete: "cascade" }),
    recordationId: integer("recordation_id")
      .notNull()
      .references(() => recordations.id),
  },
  (t) => [primaryKey({ columns: [t.guideId, t.recordationId] }), index("guide_recordations_recordation_idx").on(t.recordationId)],
);

/**
 * A guide's genuine-versus-fake photo pair: both pictures as the attachments keep theirs
 * (lib/images.ts: type by content, written again without metadata, a WebP thumbnail), the
 * feature shown and a caption in each language, and `markers`: JSON text of
 * [{ side: "genuine" | "fake", x, y, label }] with x and y in per cent of the picture.
 */
export const guidePairs = sqliteTable(
  "guide_pairs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    guideId: integer("guide_id")
      .notNull()
      .references(() => guides.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    feature: text("feature", { enum: guideFeatures.values }).notNull(),
    captionEn: text("caption_en"),
    captionZh: text("caption_zh"),
    genuineType: text("genuine_type").notNull(),
    genuineData: blob("genuine_data", { mode: "buffer" }).notNull(),
    genuineThumbnail: blob("genuine_thumbnail", { mode: "buffer" }).notNull(),
    genuineWidth: integer("genuine_width").notNull(),
    genuineHeight: integer("genuine_height").notNull(),
    genuineSha256: text("genuine_sha256").notNull(),
    fakeType: text("fake_type").notNull(),
    fakeData: blob("fake_data", { mode: "buffer" }).notNull(),
    fakeThumbnail: blob("fake_thumbnail", { mode: "buffer" }).notNull(),
    fakeWidth: integer("fake_width").notNull(),
    fakeHeight: integer("fake_height").notNull(),
    fakeSha256: text("fake_sha256").notNull(),
    markers: text("markers").notNull().default("[]"),
    createdAt: integer("created_at").notNull(),
    createdBy: text("created_by"),
  },
  (t) => [
    check("guide_pairs_feature_ck", oneOf(t.feature, guideFeatures.values)),
    check("guide_pairs_type_ck", sql`${t.genuineType} in ('image/jpeg', 'image/png', 'image/webp') and ${t.fakeType} in ('image/jpeg', 'image/png', 'image/webp')`),
    index("guide_pairs_guide_idx").on(t.guideId, t.position),
  ],
);

/** A guide's history: each version, when, by whom, and which parts changed (JSON text of names). */
export const guideVersions = sqliteTable(
  "guide_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    guideId: integer("guide_id")
      .notNull()
      .references(() => guides.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    at: integer("at").notNull(),
    userId: text("user_id"),
    changed: text("changed").notNull(),
  },
  (t) => [uniqueIndex("guide_versions_guide_version_idx").on(t.guideId, t.version)],
);
/**
 * Personal API tokens (issue 20, item 5; db/tokens.ts): a user's credential for scripts on the
 * JSON API (Authorization: Bearer), with that user's role and scope. Only the SHA-256 of the
 * token is kept (`hash`), with its first characters (`prefix`) to recognise it by; the token
 * itself is shown once. `last_used_at` is written at most once a minute. Times are ms since 1970.
 */
export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull().unique(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
    revokedBy: text("revoked_by"),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId, t.id)],
);

// Saved views (issue 20, item 1; db/views.ts): a named filter of the dashboard ("dashboard")
// or the case table ("cases"), kept as the one filter model's canonical URL query
// (lib/filters.ts serialise), never a second filter format; opening one parses it again with
// the reader's own scope. `shared`: seen by the accounts of `role` (the owner's role when
// saved), and for a member's view only by the accounts of `holder_id`, its own company.
// Names are unique per owner. Times are ms since 1970.
export const savedViews = sqliteTable(
  "saved_views",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    page: text("page").notNull(),
    query: text("query").notNull(),
    shared: integer("shared", { mode: "boolean" }).notNull().default(false),
    role: text("role").notNull(),
    holderId: integer("holder_id"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("saved_views_owner_name_uq").on(t.ownerId, t.name),
    check("saved_views_page_ck", sql`${t.page} in ('dashboard', 'cases')`),
    index("saved_views_shared_idx").on(t.role, t.shared),
  ],
);

// Hot spots (issue 18, item 3; db/hotspots.ts): each refresh of the analysis is a run (its
// evaluation month, how many series it evaluated, the change-log seq of the data it read) and
// its flags (a series of one dimension's value whose count rose beyond its baseline, with the
// last months' counts for the page's small chart, a JSON array of whole numbers). p and q are
// kept as text (a JavaScript number written and read back exactly). The lease row lets one
// server of several compute at a time. Times are ms since 1970.
export const hotspotRuns = sqliteTable("hotspot_runs", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  ranAt: integer("ran_at").notNull(),
  evaluationMonth: text("evaluation_month").notNull(),
  historyFrom: text("history_from").notNull(),
  seriesCount: integer("series_count").notNull(),
  flagCount: integer("flag_count").notNull(),
  tookMs: integer("took_ms").notNull(),
  dataSeq: integer("data_seq").notNull(),
});

export const hotspotFlags = sqliteTable(
  "hotspot_flags",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: integer("run_id")
      .notNull()
      .references(() => hotspotRuns.id, { onDelete: "cascade" }),
    dimension: text("dimension").notNull(),
    value: text("value").notNull(),
    observed: integer("observed").notNull(),
    /** the expected count × 1000, rounded */
    expectedMilli: integer("expected_milli").notNull(),
    p: text("p").notNull(),
    q: text("q").notNull(),
    chartFrom: text("chart_from").notNull(),
    counts: text("counts").notNull(),
  },
  (t) => [index("hotspot_flags_run_idx").on(t.runId)],
);

export const hotspotLease = sqliteTable("hotspot_lease", {
  name: text("name").primaryKey(),
  owner: text("owner").notNull(),
  leaseUntil: integer("lease_until").notNull(),
});
// Risk profiles (issue 18, item 4; db/risk-profiles.ts): an analyst's targeting rule, kept as
// the one filter model's canonical URL query (lib/filters.ts, as saved views keep theirs),
// with an owner, a validity period (Beijing dates; `valid_to` null: open-ended) and a reason.
// `archived`: no longer matched. `version` guards edits. Times are ms since 1970.
export const riskProfiles = sqliteTable(
  "risk_profiles",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    ownerId: text("owner_id").notNull(),
    query: text("query").notNull(),
    validFrom: text("valid_from").notNull(),
    validTo: text("valid_to"),
    reason: text("reason").notNull(),
    archived: integer("archived", { mode: "boolean" }).notNull().default(false),
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull(),
    createdBy: text("created_by"),
    updatedAt: integer("updated_at").notNull(),
    updatedBy: text("updated_by"),
  },
  (t) => [
    uniqueIndex("risk_profiles_name_uq").on(t.name),
    check("risk_profiles_validity_ck", sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`),
  ],
);

// A profile's hits (db/risk-profiles.ts): the cases its filter selected when they were
// written (created, imported, edited, restored, a procedure step) while it was active, or
// found by the backfill over its validity period when it was made. One row per profile and
// case: the first hit. `hit_on`: the Beijing date of `hit_at`.
export const profileHits = sqliteTable(
  "profile_hits",
  {
    profileId: integer("profile_id")
      .notNull()
      .references(() => riskProfiles.id, { onDelete: "cascade" }),
    caseId: integer("case_id")
      .notNull()
      .references(() => cases.id),
    hitAt: integer("hit_at").notNull(),
    hitOn: text("hit_on").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.profileId, t.caseId] }),
    index("profile_hits_profile_on_idx").on(t.profileId, t.hitOn),
    index("profile_hits_case_idx").on(t.caseId),
  ],
);

// Digest subscriptions (issue 20, item 3; db/subscriptions.ts): a user's weekly or monthly
// e-mail of one saved view, computed in the subscriber's own scope. `last_period_key` is the
// last period sent ("2026-W48", "2026-11"); the unsubscribe link's token is stored as its
// SHA-256 only (`token_hash`), the token itself derived from the auth secret and `token_nonce`.
export const subscriptions = sqliteTable(
  "subscriptions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    viewId: integer("view_id")
      .notNull()
      .references(() => savedViews.id, { onDelete: "cascade" }),
    frequency: text("frequency").notNull(),
    tokenNonce: text("token_nonce").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    lastPeriodKey: text("last_period_key"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("subscriptions_user_view_uq").on(t.userId, t.viewId),
    check("subscriptions_frequency_ck", sql`${t.frequency} in ('weekly', 'monthly')`),
    index("subscriptions_view_idx").on(t.viewId),
  ],
);

// ---- parties (issue 18) ------------------------------------------------------------------------
// A case's consignor, consignee and declarant/agent (db/parties.ts). A party is one row however
// many cases name it (matched by `match_key`: its code, a person's keyed hash, or its name and
// address), so repeats can be found. A natural person's identity number is personal information
// (PIPL): kept only encrypted (id_sealed, AES-256-GCM), as a keyed hash (id_hash) for matching and
// masked (id_masked) for display, all three erased after the admin's retention period.
export const parties = sqliteTable(
  "parties",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: partyKinds.values }).notNull(),
    name: text("name").notNull(),
    code: text("code"),
    address: text("address"),
    idSealed: text("id_sealed"),
    idHash: text("id_hash"),
    idMasked: text("id_masked"),
    idErasedAt: integer("id_erased_at", { mode: "timestamp_ms" }),
    matchKey: text("match_key").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    check("parties_kind_ck", oneOf(t.kind, partyKinds.values)),
    check("parties_person_code_ck", sql`${t.kind} <> 'person' or ${t.code} is null`),
    uniqueIndex("parties_match_key_idx").on(t.matchKey),
    index("parties_code_idx").on(t.code),
  ],
);

export const caseParties = sqliteTable(
  "case_parties",
  {
    caseId: integer("case_id")
      .notNull()
      .references(() => cases.id, { onDelete: "cascade" }),
    role: text("role", { enum: partyRoles.values }).notNull(),
    partyId: integer("party_id")
      .notNull()
      .references(() => parties.id),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.role] }),
    check("case_parties_role_ck", oneOf(t.role, partyRoles.values)),
    index("case_parties_party_idx").on(t.partyId, t.caseId),
  ],
);
