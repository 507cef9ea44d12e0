-- The change log of cases (db/aggregate): every insert, update and delete of a case, and every
-- insert, update and delete of its right-holder links, appends the case's id here, from
-- triggers, so that no writer needs code of its own and every process (reader processes,
-- other app servers, scripts) can learn what changed since it last looked. An update logs
-- only when a column the aggregates read changes (not notes, audit fields, version alone).
--
-- seq is the rowid, without AUTOINCREMENT (which updates sqlite_sequence on every insert: 13%
-- of a 200,000-case seed): it still only grows, because pruning never removes the newest row
-- and a rolled-back row was never seen by another connection; a reader whose seq is past the
-- newest row (the log emptied) loads everything again.
--
-- A bulk load (seed, import) may pause the per-row log inside its own transaction: insert
-- the app_meta row 'case_changes' = 'paused', write, delete that row and append one row with
-- case_id 0 ("everything changed": every store loads again), then commit. The pause is seen
-- by no other writer, since SQLite has one writer at a time.
CREATE TABLE `case_changes` (
	`seq` integer PRIMARY KEY NOT NULL,
	`case_id` integer NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER `case_changes_case_insert` AFTER INSERT ON `cases`
	WHEN NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'case_changes') BEGIN
	INSERT INTO case_changes (case_id) VALUES (new.id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_changes_case_update` AFTER UPDATE OF
	id, office_id, seized_on, infringement_type, goods_category, pieces, value_fen, direction, channel,
	transport, protection_mode, campaign_id, status, disposal, deleted_at ON `cases`
	WHEN NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'case_changes') BEGIN
	INSERT INTO case_changes (case_id) VALUES (new.id);
	INSERT INTO case_changes (case_id) SELECT old.id WHERE old.id <> new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `case_changes_case_delete` AFTER DELETE ON `cases`
	WHEN NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'case_changes') BEGIN
	INSERT INTO case_changes (case_id) VALUES (old.id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_changes_link_insert` AFTER INSERT ON `case_right_holders`
	WHEN NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'case_changes') BEGIN
	INSERT INTO case_changes (case_id) VALUES (new.case_id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_changes_link_update` AFTER UPDATE ON `case_right_holders`
	WHEN NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'case_changes') BEGIN
	INSERT INTO case_changes (case_id) VALUES (new.case_id);
	INSERT INTO case_changes (case_id) SELECT old.case_id WHERE old.case_id <> new.case_id;
END;
--> statement-breakpoint
CREATE TRIGGER `case_changes_link_delete` AFTER DELETE ON `case_right_holders`
	WHEN NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'case_changes') BEGIN
	INSERT INTO case_changes (case_id) VALUES (old.case_id);
END;
--> statement-breakpoint
-- The log keeps its newest 100,000 rows: every 10,000th row drops the rows 100,000 before it.
-- A reader that is further behind sees the gap (its last row is older than the oldest kept)
-- and loads everything again.
CREATE TRIGGER `case_changes_prune` AFTER INSERT ON `case_changes` WHEN new.seq % 10000 = 0 BEGIN
	DELETE FROM case_changes WHERE seq <= new.seq - 100000;
END;
