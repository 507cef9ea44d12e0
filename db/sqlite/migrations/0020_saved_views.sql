CREATE TABLE `saved_views` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`owner_id` text NOT NULL,
	`name` text NOT NULL,
	`page` text NOT NULL,
	`query` text NOT NULL,
	`shared` integer DEFAULT false NOT NULL,
	`role` text NOT NULL,
	`holder_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "saved_views_page_ck" CHECK("saved_views"."page" in ('dashboard', 'cases'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `saved_views_owner_name_uq` ON `saved_views` (`owner_id`,`name`);--> statement-breakpoint
CREATE INDEX `saved_views_shared_idx` ON `saved_views` (`role`,`shared`);