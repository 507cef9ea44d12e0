CREATE TABLE `case_recordations` (
	`case_id` integer NOT NULL,
	`recordation_id` integer NOT NULL,
	PRIMARY KEY(`case_id`, `recordation_id`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recordation_id`) REFERENCES `recordations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_recordations_recordation_idx` ON `case_recordations` (`recordation_id`,`case_id`);