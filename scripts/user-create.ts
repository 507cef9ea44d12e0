// npm run user:create -- --email a@b.cn --role admin|analyst|member [--holder ID] [--name "…"] [--password …]
// Creates an account (there is no public sign-up) in the database DATABASE_URL names (SQLite or PostgreSQL). Without --password a strong one is
// generated and printed once.
import { randomBytes } from "node:crypto";
import { AccountError, createAccount, createAuth, MIN_PASSWORD_LENGTH } from "../db/auth";
import { closeEngine, migrateEngine, openEngine } from "../db/open";
import { isRole, roles } from "../lib/enums";
import { ConfigError } from "../lib/env";

const USAGE = `usage: npm run user:create -- --email ADDRESS --role ${roles.values.join("|")} [--holder RIGHT_HOLDER_ID] [--name NAME] [--password PASSWORD]
  --holder is required for a member (the right holder's id, see /right-holders) and refused otherwise;
  without --password a random one is generated and printed once (at least ${MIN_PASSWORD_LENGTH} characters).`;

class UsageError extends Error {}

function parse(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === "--help" || flag === "-h") throw new UsageError("");
    const name = /^--(email|role|holder|name|password)$/.exec(flag)?.[1];
    if (!name) throw new UsageError(`unknown argument "${flag}"`);
    const value = argv[++i];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    if (name in out) throw new UsageError(`${flag} is given twice`);
    out[name] = value;
  }
  return out;
}

async function main(): Promise<number> {
  let args: Record<string, string>;
  try {
    args = parse(process.argv.slice(2));
    if (!args.email) throw new UsageError("--email is required");
    if (!args.role) throw new UsageError("--role is required");
    if (!isRole(args.role)) throw new UsageError(`--role must be one of ${roles.values.join(", ")}, not "${args.role}"`);
    if (args.holder !== undefined && !/^\d{1,9}$/.test(args.holder)) throw new UsageError(`--holder must be a right holder's id (a number), not "${args.holder}"`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(`user:create: ${error.message}`);
    console.error(USAGE);
    return error.message ? 2 : 0;
  }
  const generated = args.password === undefined;
  const password = args.password ?? randomBytes(12).toString("base64url");
  try {
    // DATABASE_URL: a SQLite file (data/ipr.db by default) or a PostgreSQL database
    const url = process.env.DATABASE_URL;
    await migrateEngine(url);
    const e = openEngine(url);
    const role = args.role as (typeof roles.values)[number];
    try {
      await createAccount(e, await createAuth(e), {
        email: args.email,
        name: args.name ?? args.email.split("@")[0]!,
        role,
        holderId: args.holder === undefined ? null : Number(args.holder),
        password,
      });
    } finally {
      await closeEngine(e);
    }
    console.log(`Created ${role} account ${args.email.trim().toLowerCase()}.`);
    if (generated) console.log(`Its password (shown once): ${password}`);
    return 0;
  } catch (error) {
    if (error instanceof AccountError || error instanceof ConfigError) {
      console.error(`user:create: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

main().then((code) => (process.exitCode = code));
