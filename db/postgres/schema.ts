import { sql, type SQL } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  json,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
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

// The same tables as db/sqlite/schema.ts, column for column and name for name, in PostgreSQL's
// types (tests/integration/postgres-schema.test.ts holds the two side by side):
// - SQLite's 64-bit integers: ids and counts `integer`/`bigint`, money in fen `bigint` read
//   as a JavaScript number (2^53 fen is 90 trillion yuan);
// - timestamps as SQLite stores them: milliseconds since 1970 in a `bigint`, read as a Date
//   (so SQL that compares or subtracts them says the same on both engines);
// - SQLite's 0/1 booleans: `boolean`; the audit entries' JSON: `json` (kept as written);
// - the text search (SQLite's FTS5 tables cases_fts and cases_redacted_fts): the table
//   cases_search, one row per live case with two tsvectors (db/postgres/search-index.ts).

/** Milliseconds since 1970 in a bigint, as a Date: what SQLite's integer timestamp_ms holds. */
const epochMs = customType<{ data: Date; driverData: string | number }>({
  dataType: () => "bigint",
  toDriver: (value) => value.getTime(),
  fromDriver: (value) => new Date(Number(value)),
});

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
/** A file's bytes (SQLite's blob): node-postgres reads bytea as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/** `column IN ('a','b',…)` from an enum list: the database refuses what the app would refuse. */
function oneOf(column: AnyPgColumn, values: readonly string[]): SQL {
  const list = values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ");
  return sql`${column} in (${sql.raw(list)})`;
}

const id = () => integer("id").primaryKey().generatedByDefaultAsIdentity();
const live = sql`deleted_at is null`;

export const customsOffices = pgTable(
  "customs_offices",
  {
    id: id(),
    code: text("code").notNull().unique(),
    nameEn: text("name_en").notNull(),
    nameZh: text("name_zh").notNull(),
    province: text("province").notNull(),
    districtId: integer("district_id").references((): AnyPgColumn => customsOffices.id),
  },
  (t) => [
    check("customs_offices_code_ck", sql`${t.code} ~ '^[0-9]{4}$'`),
    index("customs_offices_district_idx").on(t.districtId),
  ],
);

export const rightHolders = pgTable(
  "right_holders",
  {
    id: id(),
    name: text("name").notNull().unique(),
    nameZh: text("name_zh"),
    country: text("country").notNull(),
    industry: text("industry", { enum: industries.values }).notNull(),
    foreignInvested: boolean("foreign_invested").notNull().default(false),
    qbpcMember: boolean("qbpc_member").notNull().default(false),
  },
  (t) => [
    check("right_holders_country_ck", sql`${t.country} ~ '^[A-Z]{2}$'`),
    check("right_holders_industry_ck", oneOf(t.industry, industries.values)),
    index("right_holders_industry_idx").on(t.industry),
  ],
);

export const campaigns = pgTable(
  "campaigns",
  {
    id: id(),
    code: text("code").notNull().unique(),
    nameEn: text("name_en").notNull(),
    nameZh: text("name_zh").notNull(),
    startsOn: text("starts_on").notNull(),
    endsOn: text("ends_on"),
  },
  (t) => [check("campaigns_dates_ck", sql`${t.endsOn} is null or ${t.endsOn} >= ${t.startsOn}`)],
);

export const cases = pgTable(
  "cases",
  {
    id: id(),
    caseNo: text("case_no").notNull().unique(),
    officeId: integer("office_id")
      .notNull()
      .references(() => customsOffices.id),
    seizedOn: text("seized_on").notNull(), // ISO date, YYYY-MM-DD, as on SQLite (sorts and groups by substring alike)
    infringementType: text("infringement_type", { enum: infringementTypes.values }).notNull(),
    goodsCategory: text("goods_category", { enum: goodsCategories.values }).notNull(),
    goodsDescription: text("goods_description").notNull(),
    pieces: bigint("pieces", { mode: "number" }).notNull(),
    valueFen: bigint("value_fen", { mode: "number" }).notNull(),
    direction: text("direction", { enum: directions.values }).notNull(),
    channel: text("channel", { enum: channels.values }).notNull(),
    transport: text("transport", { enum: transports.values }).notNull(),
    protectionMode: text("protection_mode", { enum: protectionModes.values }).notNull(),
    originCountry: text("origin_country"),
    destinationCountry: text("destination_country"),
    campaignId: integer("campaign_id").references(() => campaigns.id),
    status: text("status", { enum: caseStatuses.values }).notNull(),
    disposal: text("disposal", { enum: disposals.values }),
    hearingHeld: boolean("hearing_held").notNull().default(false),
    referredToPolice: boolean("referred_to_police").notNull().default(false),
    penaltyFen: bigint("penalty_fen", { mode: "number" }),
    notes: text("notes"),
    // parties and route (issue 18): the port's values are lib/enums.ts ports, checked by the case schema
    loadingPlace: text("loading_place"),
    port: text("port"),
    hsHeading: text("hs_heading"),
    declaredDescription: text("declared_description"),
    createdAt: epochMs("created_at").notNull(),
    createdBy: text("created_by"),
    updatedAt: epochMs("updated_at").notNull(),
    updatedBy: text("updated_by"),
    version: integer("version").notNull().default(1),
    deletedAt: epochMs("deleted_at"),
  },
  (t) => [
    check("cases_pieces_ck", sql`${t.pieces} >= 1`),
    check("cases_value_ck", sql`${t.valueFen} >= 0`),
    check("cases_penalty_ck", sql`${t.penaltyFen} is null or ${t.penaltyFen} >= 0`),
    check("cases_seized_on_ck", sql`${t.seizedOn} ~ '^[0-9]{4}-[0-1][0-9]-[0-3][0-9]$'`),
    check("cases_type_ck", oneOf(t.infringementType, infringementTypes.values)),
    check("cases_category_ck", oneOf(t.goodsCategory, goodsCategories.values)),
    check("cases_direction_ck", oneOf(t.direction, directions.values)),
    check("cases_channel_ck", oneOf(t.channel, channels.values)),
    check("cases_transport_ck", oneOf(t.transport, transports.values)),
    check("cases_mode_ck", oneOf(t.protectionMode, protectionModes.values)),
    check("cases_status_ck", oneOf(t.status, caseStatuses.values)),
    check("cases_disposal_ck", sql`${t.disposal} is null or ${oneOf(t.disposal, disposals.values)}`),
    check("cases_version_ck", sql`${t.version} >= 1`),
    // the partial sort and filter indexes of the SQLite migrations (0002, 0003, 0005), same names
    index("cases_office_seized_idx").on(t.officeId, t.seizedOn).where(live),
    index("cases_seized_idx").on(t.seizedOn).where(live),
    index("cases_campaign_idx").on(t.campaignId, t.seizedOn).where(live),
    index("cases_value_idx").on(t.valueFen).where(live),
    index("cases_pieces_idx").on(t.pieces).where(live),
    index("cases_type_idx").on(t.infringementType, t.seizedOn).where(live),
    index("cases_category_idx").on(t.goodsCategory, t.seizedOn).where(live),
    index("cases_status_idx").on(t.status, t.seizedOn).where(live),
    index("cases_channel_idx").on(t.channel, t.transport, t.seizedOn).where(live),
    index("cases_direction_idx").on(t.direction, t.protectionMode, t.seizedOn).where(live),
    index("cases_deleted_idx").on(t.deletedAt).where(sql`deleted_at is not null`),
  ],
);

export const caseRightHolders = pgTable(
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

/**
 * The text search of live cases, what FTS5's cases_fts and cases_redacted_fts are on SQLite:
 * one row per live case, written by the transaction that writes the case. Both vectors hold
 * the tokens of lib/search.ts's toIndexText output, folded as SQLite's unicode61 tokenizer
 * folds them (lower case, no diacritics, Han characters one token each), with positions, and
 * one weight per column (A case number, B goods, C right-holder names, D parties' names and
 * enterprise codes) so that a phrase matches inside one column as on FTS5. `doc` is for
 * staff; `redacted_doc` holds the case number, the goods (B) and the parties (C) with every
 * right holder's name of the case blotted out, for members.
 */
export const casesSearch = pgTable(
  "cases_search",
  {
    caseId: integer("case_id")
      .primaryKey()
      .references(() => cases.id, { onDelete: "cascade" }),
    doc: tsvector("doc").notNull(),
    redactedDoc: tsvector("redacted_doc").notNull(),
  },
  (t) => [index("cases_search_doc_idx").using("gin", t.doc), index("cases_search_redacted_doc_idx").using("gin", t.redactedDoc)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: id(),
    at: epochMs("at").notNull(),
    userId: text("user_id"),
    action: text("action", { enum: auditActions.values }).notNull(),
    entity: text("entity").notNull(),
    entityId: integer("entity_id").notNull(),
    before: json("before"),
    after: json("after"),
  },
  (t) => [
    check("audit_log_action_ck", oneOf(t.action, auditActions.values)),
    index("audit_log_entity_idx").on(t.entity, t.entityId, t.at),
    index("audit_log_at_idx").on(t.at),
  ],
);

// The change log of cases (db/aggregate), appended by the PL/pgSQL triggers of the migration
// change_log with the contract of SQLite's migration 0011 (see there).
export const caseChanges = pgTable("case_changes", {
  seq: bigint("seq", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  caseId: integer("case_id").notNull(),
});

export const appMeta = pgTable("app_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

// ---- accounts (better-auth's tables, as on SQLite)

export const users = pgTable(
  "user",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull().unique(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    createdAt: epochMs("created_at").notNull(),
    updatedAt: epochMs("updated_at").notNull(),
    role: text("role", { enum: roles.values }).notNull().default("analyst"),
    holderId: integer("holder_id").references(() => rightHolders.id),
    locale: text("locale").notNull().default("en"),
    districtId: integer("district_id").references((): AnyPgColumn => customsOffices.id),
  },
  (t) => [
    check("user_role_ck", oneOf(t.role, roles.values)),
    check("user_member_holder_ck", sql`(${t.role} = 'member') = (${t.holderId} is not null)`),
  ],
);

export const sessions = pgTable(
  "session",
  {
    id: text("id").primaryKey(),
    expiresAt: epochMs("expires_at").notNull(),
    token: text("token").notNull().unique(),
    createdAt: epochMs("created_at").notNull(),
    updatedAt: epochMs("updated_at").notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [index("session_user_idx").on(t.userId)],
);

export const accounts = pgTable(
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
    accessTokenExpiresAt: epochMs("access_token_expires_at"),
    refreshTokenExpiresAt: epochMs("refresh_token_expires_at"),
    scope: text("scope"),
    password: text("password"),
    createdAt: epochMs("created_at").notNull(),
    updatedAt: epochMs("updated_at").notNull(),
  },
  (t) => [index("account_user_idx").on(t.userId)],
);

export const verifications = pgTable("verification", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: epochMs("expires_at").notNull(),
  createdAt: epochMs("created_at"),
  updatedAt: epochMs("updated_at"),
});

export const rateLimits = pgTable("rate_limit", {
  id: text("id").primaryKey(),
  key: text("key").notNull().unique(),
  count: integer("count").notNull(),
  lastRequest: bigint("last_request", { mode: "number" }).notNull(),
});

export const signInFailures = pgTable("sign_in_failures", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  firstAt: bigint("first_at", { mode: "number" }).notNull(),
  lastAt: bigint("last_at", { mode: "number" }).notNull(),
});

// Customs IP recordations (知识产权海关保护备案, Reg. Arts. 7-10): a right holder's right recorded
// with GACC, valid 10 years and renewable. `status` is the approval state only; whether one is
// valid, expiring (within 6 months) or expired is derived from the dates and today
// (lib/recordations.ts). Dates are 'YYYY-MM-DD' text, timestamps ms since 1970.
export const recordations = pgTable(
  "recordations",
  {
    id: id(),
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
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    createdBy: text("created_by"),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
    updatedBy: text("updated_by"),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    check("recordations_number_ck", sql`${t.number} ~ '^[A-Z][0-9]{4}-[0-9]{5}$'`),
    check("recordations_kind_ck", oneOf(t.kind, infringementTypes.values)),
    check("recordations_status_ck", oneOf(t.status, recordationApprovals.values)),
    check("recordations_dates_ck", sql`${t.validFrom} <= ${t.validTo}`),
    check("recordations_valid_from_ck", sql`${t.validFrom} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`),
    check("recordations_valid_to_ck", sql`${t.validTo} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`),
    index("recordations_holder_idx").on(t.holderId, t.validTo),
    index("recordations_valid_to_idx").on(t.validTo),
  ],
);

/** Licensees and authorised consignors of a recordation: goods of theirs are genuine. */
export const recordationParties = pgTable(
  "recordation_parties",
  {
    id: id(),
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
export const recordationImages = pgTable("recordation_images", {
  recordationId: integer("recordation_id")
    .primaryKey()
    .references(() => recordations.id, { onDelete: "cascade" }),
  contentType: text("content_type").notNull(),
  dataBase64: text("data_base64").notNull(),
  bytes: integer("bytes").notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
});

// The detention procedure (issue 16, item 2; docs/procedure.md, lib/procedure.ts): each step a
// row, in the order recorded (id). The case's `status` is kept from its latest step by the one
// writer (db/writer.ts, op "step"); a case without steps keeps its own status (older cases).
// `at` is when the step took effect (ms since 1970); the kind's own fields are null otherwise.
export const caseSteps = pgTable(
  "case_steps",
  {
    id: id(),
    caseId: integer("case_id")
      .notNull()
      .references(() => cases.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: procedureSteps.values }).notNull(),
    at: bigint("at", { mode: "number" }).notNull(),
    byUser: text("by_user").notNull(),
    documentNo: text("document_no"),
    servedOn: text("served_on"),
    answer: text("answer", { enum: holderAnswers.values }),
    bondFen: bigint("bond_fen", { mode: "number" }),
    bondKind: text("bond_kind", { enum: bondKinds.values }),
    decision: text("decision", { enum: determinations.values }),
    court: text("court"),
    fineFen: bigint("fine_fen", { mode: "number" }),
    ground: text("ground", { enum: releaseGrounds.values }),
    disposal: text("disposal", { enum: disposals.values }),
    note: text("note"),
    recordedAt: bigint("recorded_at", { mode: "number" }).notNull(),
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
export const workingDayOverrides = pgTable(
  "working_day_overrides",
  {
    date: text("date").primaryKey(),
    kind: text("kind", { enum: ["work", "holiday"] }).notNull(),
    note: text("note"),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
    updatedBy: text("updated_by"),
  },
  (t) => [
    check("working_day_overrides_kind_ck", sql`${t.kind} in ('work', 'holiday')`),
    check("working_day_overrides_date_ck", sql`${t.date} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`),
  ],
);

/** The recordation(s) a case rests on (see db/sqlite/schema.ts). */
export const caseRecordations = pgTable(
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

/** Notifications, one row per (event, recipient) (see db/sqlite/schema.ts). */
export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    key: text("key").notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: notificationKinds.values }).notNull(),
    caseId: integer("case_id").references(() => cases.id, { onDelete: "cascade" }),
    recordationId: integer("recordation_id").references(() => recordations.id, { onDelete: "cascade" }),
    holderId: integer("holder_id"),
    params: text("params").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    readAt: bigint("read_at", { mode: "number" }),
  },
  (t) => [
    check("notifications_kind_ck", oneOf(t.kind, notificationKinds.values)),
    index("notifications_user_idx").on(t.userId, t.id),
  ],
);
/** The outbox (see db/sqlite/schema.ts and db/outbox.ts). */
export const outbox = pgTable(
  "outbox",
  {
    id: id(),
    dedupeKey: text("dedupe_key").notNull().unique(),
    toAddress: text("to_address").notNull(),
    locale: text("locale").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    status: text("status", { enum: mailStatuses.values }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: bigint("next_attempt_at", { mode: "number" }).notNull(),
    leaseUntil: bigint("lease_until", { mode: "number" }),
    leaseOwner: text("lease_owner"),
    lastError: text("last_error"),
    messageId: text("message_id").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    sentAt: bigint("sent_at", { mode: "number" }),
    headers: text("headers"),
  },
  (t) => [
    check("outbox_status_ck", oneOf(t.status, mailStatuses.values)),
    check("outbox_locale_ck", sql`${t.locale} in ('en', 'zh')`),
    index("outbox_due_idx").on(t.status, t.nextAttemptAt),
  ],
);

/** Invitations (see db/sqlite/schema.ts). */
export const invitations = pgTable("invitations", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  invitedBy: text("invited_by"),
  verificationId: text("verification_id"),
  sentAt: bigint("sent_at", { mode: "number" }).notNull(),
  expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
  acceptedAt: bigint("accepted_at", { mode: "number" }),
});
/** Files attached to a case (see db/sqlite/schema.ts). */
export const caseAttachments = pgTable(
  "case_attachments",
  {
    id: id(),
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
    shared: boolean("shared").notNull().default(false),
    data: bytea("data").notNull(),
    thumbnail: bytea("thumbnail"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    createdBy: text("created_by"),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
    updatedBy: text("updated_by"),
  },
  (t) => [
    check("case_attachments_kind_ck", oneOf(t.kind, attachmentKinds.values)),
    check("case_attachments_type_ck", sql`${t.contentType} in ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')`),
    index("case_attachments_case_idx").on(t.caseId, t.holderId),
  ],
);
/** Authentication guides (see db/sqlite/schema.ts). */
export const guides = pgTable(
  "guides",
  {
    id: id(),
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
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    createdBy: text("created_by"),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
    updatedBy: text("updated_by"),
  },
  (t) => [check("guides_sharing_ck", oneOf(t.sharing, guideSharings.values)), index("guides_holder_idx").on(t.holderId)],
);
export const guideDistricts = pgTable(
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
export const guideCategories = pgTable(
  "guide_categories",
  {
    guideId: integer("guide_id")
      .notNull()
      .references(() => guides.id, { onDelete: "cascade" }),
    category: text("category", { enum: goodsCategories.values }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.guideId, t.category] }), check("guide_categories_category_ck", oneOf(t.category, goodsCategories.values))],
);
export const guideRecordations = pgTable(
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
export const guidePairs = pgTable(
  "guide_pairs",
  {
    id: id(),
    guideId: integer("guide_id")
      .notNull()
      .references(() => guides.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    feature: text("feature", { enum: guideFeatures.values }).notNull(),
    captionEn: text("caption_en"),
    captionZh: text("caption_zh"),
    genuineType: text("genuine_type").notNull(),
    genuineData: bytea("genuine_data").notNull(),
    genuineThumbnail: bytea("genuine_thumbnail").notNull(),
    genuineWidth: integer("genuine_width").notNull(),
    genuineHeight: integer("genuine_height").notNull(),
    genuineSha256: text("genuine_sha256").notNull(),
    fakeType: text("fake_type").notNull(),
    fakeData: bytea("fake_data").notNull(),
    fakeThumbnail: bytea("fake_thumbnail").notNull(),
    fakeWidth: integer("fake_width").notNull(),
    fakeHeight: integer("fake_height").notNull(),
    fakeSha256: text("fake_sha256").notNull(),
    markers: text("markers").notNull().default("[]"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    createdBy: text("created_by"),
  },
  (t) => [
    check("guide_pairs_feature_ck", oneOf(t.feature, guideFeatures.values)),
    check("guide_pairs_type_ck", sql`${t.genuineType} in ('image/jpeg', 'image/png', 'image/webp') and ${t.fakeType} in ('image/jpeg', 'image/png', 'image/webp')`),
    index("guide_pairs_guide_idx").on(t.guideId, t.position),
  ],
);
export const guideVersions = pgTable(
  "guide_versions",
  {
    id: id(),
    guideId: integer("guide_id")
      .notNull()
      .references(() => guides.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    at: bigint("at", { mode: "number" }).notNull(),
    userId: text("user_id"),
    changed: text("changed").notNull(),
  },
  (t) => [uniqueIndex("guide_versions_guide_version_idx").on(t.guideId, t.version)],
);
/** Personal API tokens (see db/sqlite/schema.ts and db/tokens.ts). */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull().unique(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
    lastUsedAt: bigint("last_used_at", { mode: "number" }),
    revokedAt: bigint("revoked_at", { mode: "number" }),
    revokedBy: text("revoked_by"),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId, t.id)],
);
/** Saved views (see db/sqlite/schema.ts and db/views.ts). */
export const savedViews = pgTable(
  "saved_views",
  {
    id: id(),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    page: text("page").notNull(),
    query: text("query").notNull(),
    shared: boolean("shared").notNull().default(false),
    role: text("role").notNull(),
    holderId: integer("holder_id"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [
    uniqueIndex("saved_views_owner_name_uq").on(t.ownerId, t.name),
    check("saved_views_page_ck", sql`${t.page} in ('dashboard', 'cases')`),
    index("saved_views_shared_idx").on(t.role, t.shared),
  ],
);

/** Hot spots (see db/sqlite/schema.ts). */
export const hotspotRuns = pgTable("hotspot_runs", {
  id: id(),
  ranAt: bigint("ran_at", { mode: "number" }).notNull(),
  evaluationMonth: text("evaluation_month").notNull(),
  historyFrom: text("history_from").notNull(),
  seriesCount: integer("series_count").notNull(),
  flagCount: integer("flag_count").notNull(),
  tookMs: integer("took_ms").notNull(),
  dataSeq: bigint("data_seq", { mode: "number" }).notNull(),
});

export const hotspotFlags = pgTable(
  "hotspot_flags",
  {
    id: id(),
    runId: integer("run_id")
      .notNull()
      .references(() => hotspotRuns.id, { onDelete: "cascade" }),
    dimension: text("dimension").notNull(),
    value: text("value").notNull(),
    observed: integer("observed").notNull(),
    expectedMilli: bigint("expected_milli", { mode: "number" }).notNull(),
    p: text("p").notNull(),
    q: text("q").notNull(),
    chartFrom: text("chart_from").notNull(),
    counts: text("counts").notNull(),
  },
  (t) => [index("hotspot_flags_run_idx").on(t.runId)],
);

export const hotspotLease = pgTable("hotspot_lease", {
  name: text("name").primaryKey(),
  owner: text("owner").notNull(),
  leaseUntil: bigint("lease_until", { mode: "number" }).notNull(),
});
/** Risk profiles (see db/sqlite/schema.ts and db/risk-profiles.ts). */
export const riskProfiles = pgTable(
  "risk_profiles",
  {
    id: id(),
    name: text("name").notNull(),
    ownerId: text("owner_id").notNull(),
    query: text("query").notNull(),
    validFrom: text("valid_from").notNull(),
    validTo: text("valid_to"),
    reason: text("reason").notNull(),
    archived: boolean("archived").notNull().default(false),
    version: integer("version").notNull().default(1),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    createdBy: text("created_by"),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
    updatedBy: text("updated_by"),
  },
  (t) => [
    uniqueIndex("risk_profiles_name_uq").on(t.name),
    check("risk_profiles_validity_ck", sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`),
  ],
);

/** A risk profile's hits (see db/sqlite/schema.ts). */
export const profileHits = pgTable(
  "profile_hits",
  {
    profileId: integer("profile_id")
      .notNull()
      .references(() => riskProfiles.id, { onDelete: "cascade" }),
    caseId: integer("case_id")
      .notNull()
      .references(() => cases.id),
    hitAt: bigint("hit_at", { mode: "number" }).notNull(),
    hitOn: text("hit_on").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.profileId, t.caseId] }),
    index("profile_hits_profile_on_idx").on(t.profileId, t.hitOn),
    index("profile_hits_case_idx").on(t.caseId),
  ],
);

/** Digest subscriptions (see db/sqlite/schema.ts). */
export const subscriptions = pgTable(
  "subscriptions",
  {
    id: id(),
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
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [
    uniqueIndex("subscriptions_user_view_uq").on(t.userId, t.viewId),
    check("subscriptions_frequency_ck", sql`${t.frequency} in ('weekly', 'monthly')`),
    index("subscriptions_view_idx").on(t.viewId),
  ],
);

// ---- parties (issue 18): as SQLite's (db/sqlite/schema.ts) ---------------------------------------
export const parties = pgTable(
  "parties",
  {
    id: id(),
    kind: text("kind", { enum: partyKinds.values }).notNull(),
    name: text("name").notNull(),
    code: text("code"),
    address: text("address"),
    idSealed: text("id_sealed"),
    idHash: text("id_hash"),
    idMasked: text("id_masked"),
    idErasedAt: epochMs("id_erased_at"),
    matchKey: text("match_key").notNull(),
    createdAt: epochMs("created_at").notNull(),
  },
  (t) => [
    check("parties_kind_ck", oneOf(t.kind, partyKinds.values)),
    check("parties_person_code_ck", sql`${t.kind} <> 'person' or ${t.code} is null`),
    uniqueIndex("parties_match_key_idx").on(t.matchKey),
    index("parties_code_idx").on(t.code),
  ],
);

export const caseParties = pgTable(
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
