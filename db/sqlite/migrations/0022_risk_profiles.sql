CREATE TABLE `profile_hits` (
	`profile_id` integer NOT NULL,
	`case_id` integer NOT NULL,
	`hit_at` integer NOT NULL,
	`hit_on` text NOT NULL,
	PRIMARY KEY(`profile_id`, `case_id`),
	FOREIGN KEY (`profile_id`) REFERENCES `risk_profiles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `profile_hits_profile_on_idx` ON `profile_hits` (`profile_id`,`hit_on`);--> statement-breakpoint
CREATE INDEX `profile_hits_case_idx` ON `profile_hits` (`case_id`);--> statement-breakpoint
CREATE TABLE `risk_profiles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`owner_id` text NOT NULL,
	`query` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`reason` text NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	CONSTRAINT "risk_profiles_validity_ck" CHECK("risk_profiles"."valid_to" is null or "risk_profiles"."valid_to" >= "risk_profiles"."valid_from")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `risk_profiles_name_uq` ON `risk_profiles` (`name`);