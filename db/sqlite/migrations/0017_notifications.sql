CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`case_id` integer,
	`recordation_id` integer,
	`holder_id` integer,
	`params` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recordation_id`) REFERENCES `recordations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "notifications_kind_ck" CHECK("notifications"."kind" in ('detention_notice', 'deadline_tomorrow', 'recordation_expiring_6m', 'recordation_expiring_1m'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_key_unique` ON `notifications` (`key`);--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`id`);