CREATE TABLE `case_attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`holder_id` integer,
	`kind` text NOT NULL,
	`caption` text,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`width` integer,
	`height` integer,
	`shared` integer DEFAULT false NOT NULL,
	`data` blob NOT NULL,
	`thumbnail` blob,
	`created_at` integer NOT NULL,
	`created_by` text,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`holder_id`) REFERENCES `right_holders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "case_attachments_kind_ck" CHECK("case_attachments"."kind" in ('goods_photo', 'packaging', 'detention_notice', 'holder_answer', 'bond_receipt', 'determination', 'penalty_decision', 'destruction_record', 'other')),
	CONSTRAINT "case_attachments_type_ck" CHECK("case_attachments"."content_type" in ('image/jpeg', 'image/png', 'image/webp', 'application/pdf'))
);
--> statement-breakpoint
CREATE INDEX `case_attachments_case_idx` ON `case_attachments` (`case_id`,`holder_id`);