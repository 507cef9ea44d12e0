CREATE TABLE `case_rollup` (
	`year` integer NOT NULL,
	`district_id` integer NOT NULL,
	`infringement_type` text NOT NULL,
	`goods_category` text NOT NULL,
	`cases` integer NOT NULL,
	`pieces` integer NOT NULL,
	`value_fen` integer NOT NULL,
	PRIMARY KEY(`year`, `district_id`, `infringement_type`, `goods_category`),
	FOREIGN KEY (`district_id`) REFERENCES `customs_offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
DROP INDEX `cases_office_seized_idx`;--> statement-breakpoint
DROP INDEX `cases_seized_idx`;--> statement-breakpoint
DROP INDEX `cases_campaign_idx`;--> statement-breakpoint
DROP INDEX `cases_value_idx`;--> statement-breakpoint
DROP INDEX `cases_pieces_idx`;--> statement-breakpoint
CREATE INDEX `cases_type_idx` ON `cases` (`infringement_type`,`seized_on`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `cases_category_idx` ON `cases` (`goods_category`,`seized_on`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `cases_status_idx` ON `cases` (`status`,`seized_on`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `cases_channel_idx` ON `cases` (`channel`,`transport`,`seized_on`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `cases_direction_idx` ON `cases` (`direction`,`protection_mode`,`seized_on`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `cases_cover_idx` ON `cases` (`seized_on`,`office_id`,`infringement_type`,`goods_category`,`direction`,`channel`,`transport`,`protection_mode`,`status`,`campaign_id`,`pieces`,`value_fen`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `cases_office_seized_idx` ON `cases` (`office_id`,`seized_on`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `cases_seized_idx` ON `cases` (`seized_on`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `cases_campaign_idx` ON `cases` (`campaign_id`,`seized_on`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `cases_value_idx` ON `cases` (`value_fen`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `cases_pieces_idx` ON `cases` (`pieces`) WHERE deleted_at is null;