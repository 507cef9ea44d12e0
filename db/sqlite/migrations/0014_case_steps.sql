CREATE TABLE `case_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	`by_user` text NOT NULL,
	`document_no` text,
	`served_on` text,
	`answer` text,
	`bond_fen` integer,
	`bond_kind` text,
	`decision` text,
	`court` text,
	`fine_fen` integer,
	`ground` text,
	`disposal` text,
	`note` text,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "case_steps_kind_ck" CHECK("case_steps"."kind" in ('suspected', 'application_filed', 'notice_sent', 'holder_answered', 'no_answer', 'detained', 'investigation_started', 'determination', 'court_order', 'hearing', 'penalty', 'referral_to_police', 'released', 'disposal')),
	CONSTRAINT "case_steps_answer_ck" CHECK("case_steps"."answer" is null or "case_steps"."answer" in ('requests_detention', 'declines')),
	CONSTRAINT "case_steps_bond_kind_ck" CHECK("case_steps"."bond_kind" is null or "case_steps"."bond_kind" in ('deposit', 'bank_guarantee', 'general_bond')),
	CONSTRAINT "case_steps_decision_ck" CHECK("case_steps"."decision" is null or "case_steps"."decision" in ('infringing', 'not_infringing', 'not_determinable')),
	CONSTRAINT "case_steps_ground_ck" CHECK("case_steps"."ground" is null or "case_steps"."ground" in ('holder_declined', 'no_answer', 'not_infringing', 'no_court_order_in_time', 'counter_bond', 'consignee_evidence', 'application_withdrawn', 'court_decision')),
	CONSTRAINT "case_steps_disposal_ck" CHECK("case_steps"."disposal" is null or "case_steps"."disposal" in ('public_welfare', 'sold_to_right_holder', 'auctioned', 'destroyed', 'green_destruction')),
	CONSTRAINT "case_steps_money_ck" CHECK(coalesce("case_steps"."bond_fen", 0) >= 0 and coalesce("case_steps"."fine_fen", 0) >= 0)
);
--> statement-breakpoint
CREATE INDEX `case_steps_case_idx` ON `case_steps` (`case_id`,`id`);--> statement-breakpoint
CREATE TABLE `working_day_overrides` (
	`date` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`note` text,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	CONSTRAINT "working_day_overrides_kind_ck" CHECK("working_day_overrides"."kind" in ('work', 'holiday')),
	CONSTRAINT "working_day_overrides_date_ck" CHECK("working_day_overrides"."date" glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);
