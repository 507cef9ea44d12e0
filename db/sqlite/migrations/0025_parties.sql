CREATE TABLE `case_parties` (
	`case_id` integer NOT NULL,
	`role` text NOT NULL,
	`party_id` integer NOT NULL,
	PRIMARY KEY(`case_id`, `role`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`party_id`) REFERENCES `parties`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "case_parties_role_ck" CHECK("case_parties"."role" in ('consignor', 'consignee', 'declarant'))
);
--> statement-breakpoint
CREATE INDEX `case_parties_party_idx` ON `case_parties` (`party_id`,`case_id`);--> statement-breakpoint
CREATE TABLE `parties` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`code` text,
	`address` text,
	`id_sealed` text,
	`id_hash` text,
	`id_masked` text,
	`id_erased_at` integer,
	`match_key` text NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "parties_kind_ck" CHECK("parties"."kind" in ('enterprise', 'foreign', 'person')),
	CONSTRAINT "parties_person_code_ck" CHECK("parties"."kind" <> 'person' or "parties"."code" is null)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `parties_match_key_idx` ON `parties` (`match_key`);--> statement-breakpoint
CREATE INDEX `parties_code_idx` ON `parties` (`code`);--> statement-breakpoint
ALTER TABLE `cases` ADD `loading_place` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `port` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `hs_heading` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `declared_description` text;