CREATE TABLE `subscriptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`view_id` integer NOT NULL,
	`frequency` text NOT NULL,
	`token_nonce` text NOT NULL,
	`token_hash` text NOT NULL,
	`last_period_key` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`view_id`) REFERENCES `saved_views`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "subscriptions_frequency_ck" CHECK("subscriptions"."frequency" in ('weekly', 'monthly'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_token_hash_unique` ON `subscriptions` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_user_view_uq` ON `subscriptions` (`user_id`,`view_id`);--> statement-breakpoint
CREATE INDEX `subscriptions_view_idx` ON `subscriptions` (`view_id`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `headers` text;