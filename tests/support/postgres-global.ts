import type { TestProject } from "vitest/node";
import { createTemplate, dropDatabase, dropLeftovers, ensurePostgres } from "./postgres";

// The integration project's global setup: PostgreSQL answers (started or installed when it
// can be), one migrated template database for the run, dropped at its end.
export default async function setup(project: TestProject) {
  await ensurePostgres();
  await dropLeftovers();
  const template = await createTemplate();
  project.provide("postgresTemplate", template);
  return async () => {
    await dropDatabase(template);
  };
}
