CREATE TABLE `hotspot_flags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`dimension` text NOT NULL,
	`value` text NOT NULL,
	`observed` integer NOT NULL,
	`expected_milli` integer NOT NULL,
	`p` text NOT NULL,
	`q` text NOT NULL,
	`chart_from` text NOT NULL,
	`counts` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `hotspot_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `hotspot_flags_run_idx` ON `hotspot_flags` (`run_id`);--> statement-breakpoint
CREATE TABLE `hotspot_lease` (
	`name` text PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`lease_until` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `hotspot_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ran_at` integer NOT NULL,
	`evaluation_month` text NOT NULL,
	`history_from` text NOT NULL,
	`series_count` integer NOT NULL,
	`flag_count` integer NOT NULL,
	`took_ms` integer NOT NULL,
	`data_seq` integer NOT NULL
);
