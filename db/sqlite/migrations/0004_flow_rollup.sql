CREATE TABLE `case_flow_rollup` (
	`year` integer NOT NULL,
	`district_id` integer NOT NULL,
	`direction` text NOT NULL,
	`channel` text NOT NULL,
	`transport` text NOT NULL,
	`protection_mode` text NOT NULL,
	`status` text NOT NULL,
	`campaign_id` integer NOT NULL,
	`cases` integer NOT NULL,
	`pieces` integer NOT NULL,
	`value_fen` integer NOT NULL,
	PRIMARY KEY(`year`, `district_id`, `direction`, `channel`, `transport`, `protection_mode`, `status`, `campaign_id`),
	FOREIGN KEY (`district_id`) REFERENCES `customs_offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- fill it for the cases already in the database
INSERT INTO `case_flow_rollup` (`year`, `district_id`, `direction`, `channel`, `transport`, `protection_mode`, `status`, `campaign_id`, `cases`, `pieces`, `value_fen`)
SELECT CAST(substr(c.seized_on, 1, 4) AS integer), coalesce(o.district_id, o.id), c.direction, c.channel, c.transport,
       c.protection_mode, c.status, coalesce(c.campaign_id, 0), count(*), sum(c.pieces), sum(c.value_fen)
FROM cases c JOIN customs_offices o ON o.id = c.office_id
WHERE c.deleted_at IS NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
