import { defineConfig } from "drizzle-kit";

// The PostgreSQL dialect's migrations (drizzle.config.ts is SQLite's): `npm run db:generate` makes both.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/postgres/schema.ts",
  out: "./db/postgres/migrations",
});
