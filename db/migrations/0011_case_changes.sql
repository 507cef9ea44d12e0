-- The change log of cases (db/aggregate): every insert, update and delete of a case, and every
-- insert, update and delete of its right-holder links, appends the case's id here, from
-- triggers, so that no writer needs code of its own and every process (reader processes,
-- other app servers, scripts) can learn what changed since it last looked. An update logs
-- only when a column the aggregates read changes (not notes, audit fields, version alone).
CREATE TABLE `case_changes` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER `case_changes_case_insert` AFTER INSERT ON `cases` BEGIN
	INSERT INTO case_changes (case_id) VALUES (new.id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_changes_case_update` AFTER UPDATE OF
	id, office_id, seized_on, infringement_type, goods_category, pieces, value_fen, direction, channel,
	transport, protection_mode, campaign_id, status, disposal, deleted_at ON `cases` BEGIN
	INSERT INTO case_changes (case_id) VALUES (new.id);
	INSERT INTO case_changes (case_id) SELECT old.id WHERE old.id <> new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `case_changes_case_delete` AFTER DELETE ON `cases` BEGIN
	INSERT INTO case_changes (case_id) VALUES (old.id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_changes_link_insert` AFTER INSERT ON `case_right_holders` BEGIN
	INSERT INTO case_changes (case_id) VALUES (new.case_id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_changes_link_update` AFTER UPDATE ON `case_right_holders` BEGIN
	INSERT INTO case_changes (case_id) VALUES (new.case_id);
	INSERT INTO case_changes (case_id) SELECT old.case_id WHERE old.case_id <> new.case_id;
END;
--> statement-breakpoint
CREATE TRIGGER `case_changes_link_delete` AFTER DELETE ON `case_right_holders` BEGIN
	INSERT INTO case_changes (case_id) VALUES (old.case_id);
END;
--> statement-breakpoint
-- The log keeps its newest 100,000 rows: every 10,000th row drops the rows 100,000 before it.
-- A reader that is further behind sees the gap (its last row is older than the oldest kept)
-- and loads everything again.
CREATE TRIGGER `case_changes_prune` AFTER INSERT ON `case_changes` WHEN new.seq % 10000 = 0 BEGIN
	DELETE FROM case_changes WHERE seq <= new.seq - 100000;
END;
