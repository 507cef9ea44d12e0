CREATE INDEX `cases_value_idx` ON `cases` (`value_fen`);--> statement-breakpoint
CREATE INDEX `cases_pieces_idx` ON `cases` (`pieces`);