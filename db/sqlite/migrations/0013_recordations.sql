CREATE TABLE `recordation_images` (
	`recordation_id` integer PRIMARY KEY NOT NULL,
	`content_type` text NOT NULL,
	`data_base64` text NOT NULL,
	`bytes` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`recordation_id`) REFERENCES `recordations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `recordation_parties` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`recordation_id` integer NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	FOREIGN KEY (`recordation_id`) REFERENCES `recordations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "recordation_parties_kind_ck" CHECK("recordation_parties"."kind" in ('licensee', 'consignor'))
);
--> statement-breakpoint
CREATE INDEX `recordation_parties_recordation_idx` ON `recordation_parties` (`recordation_id`);--> statement-breakpoint
CREATE TABLE `recordations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text NOT NULL,
	`holder_id` integer NOT NULL,
	`kind` text NOT NULL,
	`right_no` text NOT NULL,
	`title_en` text NOT NULL,
	`title_zh` text,
	`classes` text DEFAULT '' NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`revoked_reason` text,
	`created_at` integer NOT NULL,
	`created_by` text,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`holder_id`) REFERENCES `right_holders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "recordations_number_ck" CHECK("recordations"."number" glob '[A-Z][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9]'),
	CONSTRAINT "recordations_kind_ck" CHECK("recordations"."kind" in ('trademark', 'copyright', 'invention_patent', 'utility_model', 'design_patent', 'olympic_symbol', 'world_expo_symbol')),
	CONSTRAINT "recordations_status_ck" CHECK("recordations"."status" in ('pending', 'approved', 'revoked')),
	CONSTRAINT "recordations_dates_ck" CHECK("recordations"."valid_from" <= "recordations"."valid_to"),
	CONSTRAINT "recordations_valid_from_ck" CHECK("recordations"."valid_from" glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	CONSTRAINT "recordations_valid_to_ck" CHECK("recordations"."valid_to" glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recordations_number_unique` ON `recordations` (`number`);--> statement-breakpoint
CREATE INDEX `recordations_holder_idx` ON `recordations` (`holder_id`,`valid_to`);--> statement-breakpoint
CREATE INDEX `recordations_valid_to_idx` ON `recordations` (`valid_to`);