CREATE TABLE `case_stats` (
	`grain` integer NOT NULL,
	`dim` text NOT NULL,
	`year` integer NOT NULL,
	`office_id` integer NOT NULL,
	`infringement_type` text NOT NULL,
	`campaign_id` integer NOT NULL,
	`value` text NOT NULL,
	`cases` integer NOT NULL,
	`pieces` integer NOT NULL,
	`value_fen` integer NOT NULL,
	PRIMARY KEY(`grain`, `dim`, `year`, `office_id`, `infringement_type`, `campaign_id`, `value`)
);
