import { MAX_CASES, MIN_CASES } from "./generate";

export const SEED_USAGE = `usage: npm run seed -- [--cases N] [--seed S] [--reset]
  --cases N  how many cases to generate, ${MIN_CASES} to ${MAX_CASES} (default 100000)
  --seed S   the random seed, a whole number from 0 to 4294967295 (default 1)
  --reset    delete all existing data first (without it, a non-empty database is refused)`;

export type SeedArgs = { cases: number; seed: number; reset: boolean; help: boolean };

export class UsageError extends Error {
  override name = "UsageError";
}

function wholeNumber(flag: string, raw: string | undefined, min: number, max: number): number {
  if (raw === undefined || raw.startsWith("--")) throw new UsageError(`${flag} needs a value`);
  if (!/^\d+$/.test(raw.replace(/_/g, ""))) throw new UsageError(`${flag} must be a whole number, got "${raw}"`);
  const n = Number(raw.replace(/_/g, ""));
  if (n < min || n > max) throw new UsageError(`${flag} must be from ${min} to ${max}, got ${raw}`);
  return n;
}

export function parseSeedArgs(argv: string[]): SeedArgs {
  const args: SeedArgs = { cases: 100_000, seed: 1, reset: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.includes("=") ? (argv[i]!.split(/=(.*)/s, 2) as [string, string]) : [argv[i]!, undefined];
    switch (flag) {
      case "--cases":
        args.cases = wholeNumber("--cases", inline ?? argv[++i], MIN_CASES, MAX_CASES);
        break;
      case "--seed":
        args.seed = wholeNumber("--seed", inline ?? argv[++i], 0, 4_294_967_295);
        break;
      case "--reset":
        args.reset = true;
        break;
      case "--help":
      case "-h":
        args.help = true;
        break;
      default:
        throw new UsageError(`unknown argument "${argv[i]}"`);
    }
  }
  return args;
}
