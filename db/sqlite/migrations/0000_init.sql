CREATE TABLE `app_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`user_id` text,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` integer NOT NULL,
	`before` text,
	`after` text,
	CONSTRAINT "audit_log_action_ck" CHECK("audit_log"."action" in ('create', 'update', 'delete', 'restore', 'import'))
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity`,`entity_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name_en` text NOT NULL,
	`name_zh` text NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text,
	CONSTRAINT "campaigns_dates_ck" CHECK("campaigns"."ends_on" is null or "campaigns"."ends_on" >= "campaigns"."starts_on")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaigns_code_unique` ON `campaigns` (`code`);--> statement-breakpoint
CREATE TABLE `case_right_holders` (
	`case_id` integer NOT NULL,
	`right_holder_id` integer NOT NULL,
	PRIMARY KEY(`case_id`, `right_holder_id`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`right_holder_id`) REFERENCES `right_holders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_right_holders_holder_idx` ON `case_right_holders` (`right_holder_id`,`case_id`);--> statement-breakpoint
CREATE TABLE `cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_no` text NOT NULL,
	`office_id` integer NOT NULL,
	`seized_on` text NOT NULL,
	`infringement_type` text NOT NULL,
	`goods_category` text NOT NULL,
	`goods_description` text NOT NULL,
	`pieces` integer NOT NULL,
	`value_fen` integer NOT NULL,
	`direction` text NOT NULL,
	`channel` text NOT NULL,
	`transport` text NOT NULL,
	`protection_mode` text NOT NULL,
	`origin_country` text,
	`destination_country` text,
	`campaign_id` integer,
	`status` text NOT NULL,
	`disposal` text,
	`hearing_held` integer DEFAULT false NOT NULL,
	`referred_to_police` integer DEFAULT false NOT NULL,
	`penalty_fen` integer,
	`notes` text,
	`created_at` integer NOT NULL,
	`created_by` text,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`office_id`) REFERENCES `customs_offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "cases_pieces_ck" CHECK("cases"."pieces" >= 1),
	CONSTRAINT "cases_value_ck" CHECK("cases"."value_fen" >= 0),
	CONSTRAINT "cases_penalty_ck" CHECK("cases"."penalty_fen" is null or "cases"."penalty_fen" >= 0),
	CONSTRAINT "cases_seized_on_ck" CHECK("cases"."seized_on" glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "cases_type_ck" CHECK("cases"."infringement_type" in ('trademark', 'copyright', 'invention_patent', 'utility_model', 'design_patent', 'olympic_symbol', 'world_expo_symbol')),
	CONSTRAINT "cases_category_ck" CHECK("cases"."goods_category" in ('apparel_footwear', 'bags_leather', 'watches_jewellery', 'electronics', 'communication', 'lighting', 'cosmetics', 'medicines', 'auto_parts', 'hardware_machinery', 'sports_goods', 'toys', 'stationery', 'tobacco', 'other')),
	CONSTRAINT "cases_direction_ck" CHECK("cases"."direction" in ('import', 'export')),
	CONSTRAINT "cases_channel_ck" CHECK("cases"."channel" in ('general_freight', 'express', 'postal', 'cross_border_ecommerce', 'passenger', 'border_trade', 'market_procurement')),
	CONSTRAINT "cases_transport_ck" CHECK("cases"."transport" in ('sea', 'air', 'road', 'rail', 'post')),
	CONSTRAINT "cases_mode_ck" CHECK("cases"."protection_mode" in ('ex_officio', 'on_application')),
	CONSTRAINT "cases_status_ck" CHECK("cases"."status" in ('detained', 'under_investigation', 'infringement_confirmed', 'penalised', 'referred_to_police', 'released', 'closed')),
	CONSTRAINT "cases_disposal_ck" CHECK("cases"."disposal" is null or "cases"."disposal" in ('public_welfare', 'sold_to_right_holder', 'auctioned', 'destroyed', 'green_destruction')),
	CONSTRAINT "cases_version_ck" CHECK("cases"."version" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_case_no_unique` ON `cases` (`case_no`);--> statement-breakpoint
CREATE INDEX `cases_office_seized_idx` ON `cases` (`office_id`,`seized_on`);--> statement-breakpoint
CREATE INDEX `cases_seized_idx` ON `cases` (`seized_on`);--> statement-breakpoint
CREATE INDEX `cases_campaign_idx` ON `cases` (`campaign_id`);--> statement-breakpoint
CREATE TABLE `customs_offices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name_en` text NOT NULL,
	`name_zh` text NOT NULL,
	`province` text NOT NULL,
	`district_id` integer,
	FOREIGN KEY (`district_id`) REFERENCES `customs_offices`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "customs_offices_code_ck" CHECK(length("customs_offices"."code") = 4 and "customs_offices"."code" glob '[0-9][0-9][0-9][0-9]')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customs_offices_code_unique` ON `customs_offices` (`code`);--> statement-breakpoint
CREATE INDEX `customs_offices_district_idx` ON `customs_offices` (`district_id`);--> statement-breakpoint
CREATE TABLE `right_holders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`name_zh` text,
	`country` text NOT NULL,
	`industry` text NOT NULL,
	`foreign_invested` integer DEFAULT false NOT NULL,
	`qbpc_member` integer DEFAULT false NOT NULL,
	CONSTRAINT "right_holders_country_ck" CHECK("right_holders"."country" glob '[A-Z][A-Z]'),
	CONSTRAINT "right_holders_industry_ck" CHECK("right_holders"."industry" in ('wireless_ic', 'luxury', 'lighting', 'personal_care', 'pharma_medical', 'automotive', 'power_distribution', 'machinery_tools', 'apparel_sportswear'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `right_holders_name_unique` ON `right_holders` (`name`);--> statement-breakpoint
CREATE INDEX `right_holders_industry_idx` ON `right_holders` (`industry`);