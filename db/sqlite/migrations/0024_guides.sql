CREATE TABLE `guide_categories` (
	`guide_id` integer NOT NULL,
	`category` text NOT NULL,
	PRIMARY KEY(`guide_id`, `category`),
	FOREIGN KEY (`guide_id`) REFERENCES `guides`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "guide_categories_category_ck" CHECK("guide_categories"."category" in ('apparel_footwear', 'bags_leather', 'watches_jewellery', 'electronics', 'communication', 'lighting', 'cosmetics', 'medicines', 'auto_parts', 'hardware_machinery', 'sports_goods', 'toys', 'stationery', 'tobacco', 'other'))
);
--> statement-breakpoint
CREATE TABLE `guide_districts` (
	`guide_id` integer NOT NULL,
	`district_id` integer NOT NULL,
	PRIMARY KEY(`guide_id`, `district_id`),
	FOREIGN KEY (`guide_id`) REFERENCES `guides`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`district_id`) REFERENCES `customs_offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `guide_districts_district_idx` ON `guide_districts` (`district_id`);--> statement-breakpoint
CREATE TABLE `guide_pairs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guide_id` integer NOT NULL,
	`position` integer NOT NULL,
	`feature` text NOT NULL,
	`caption_en` text,
	`caption_zh` text,
	`genuine_type` text NOT NULL,
	`genuine_data` blob NOT NULL,
	`genuine_thumbnail` blob NOT NULL,
	`genuine_width` integer NOT NULL,
	`genuine_height` integer NOT NULL,
	`genuine_sha256` text NOT NULL,
	`fake_type` text NOT NULL,
	`fake_data` blob NOT NULL,
	`fake_thumbnail` blob NOT NULL,
	`fake_width` integer NOT NULL,
	`fake_height` integer NOT NULL,
	`fake_sha256` text NOT NULL,
	`markers` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	FOREIGN KEY (`guide_id`) REFERENCES `guides`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "guide_pairs_feature_ck" CHECK("guide_pairs"."feature" in ('packaging', 'label', 'hologram', 'serial_code', 'product', 'other')),
	CONSTRAINT "guide_pairs_type_ck" CHECK("guide_pairs"."genuine_type" in ('image/jpeg', 'image/png', 'image/webp') and "guide_pairs"."fake_type" in ('image/jpeg', 'image/png', 'image/webp'))
);
--> statement-breakpoint
CREATE INDEX `guide_pairs_guide_idx` ON `guide_pairs` (`guide_id`,`position`);--> statement-breakpoint
CREATE TABLE `guide_recordations` (
	`guide_id` integer NOT NULL,
	`recordation_id` integer NOT NULL,
	PRIMARY KEY(`guide_id`, `recordation_id`),
	FOREIGN KEY (`guide_id`) REFERENCES `guides`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recordation_id`) REFERENCES `recordations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `guide_recordations_recordation_idx` ON `guide_recordations` (`recordation_id`);--> statement-breakpoint
CREATE TABLE `guide_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guide_id` integer NOT NULL,
	`version` integer NOT NULL,
	`at` integer NOT NULL,
	`user_id` text,
	`changed` text NOT NULL,
	FOREIGN KEY (`guide_id`) REFERENCES `guides`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `guide_versions_guide_version_idx` ON `guide_versions` (`guide_id`,`version`);--> statement-breakpoint
CREATE TABLE `guides` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`holder_id` integer NOT NULL,
	`brand` text NOT NULL,
	`product_line` text,
	`title_en` text NOT NULL,
	`title_zh` text NOT NULL,
	`summary_en` text NOT NULL,
	`summary_zh` text NOT NULL,
	`fakes_en` text,
	`fakes_zh` text,
	`routes_en` text,
	`routes_zh` text,
	`contact` text NOT NULL,
	`sharing` text DEFAULT 'all' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	FOREIGN KEY (`holder_id`) REFERENCES `right_holders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "guides_sharing_ck" CHECK("guides"."sharing" in ('all', 'districts'))
);
--> statement-breakpoint
CREATE INDEX `guides_holder_idx` ON `guides` (`holder_id`);--> statement-breakpoint
ALTER TABLE `user` ADD `district_id` integer REFERENCES customs_offices(id);