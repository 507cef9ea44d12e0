import "server-only";
import { NextResponse } from "next/server";
import { ConfigError } from "@/lib/env";
import { describeIgnored, type Ignored } from "@/lib/filters";

// JSON answers of the API: errors name what was wrong and never carry a stack trace.

export function badParameter(ignored: Ignored[]): NextResponse {
  const first = ignored[0]!;
  return NextResponse.json(
    {
      error: "invalid_parameter",
      parameter: first.parameter,
      value: first.value,
      message: describeIgnored(first),
      problems: ignored.map((i) => ({ parameter: i.parameter, value: i.value, message: describeIgnored(i) })),
    },
    { status: 400 },
  );
}

export function notFound(message = "No such case."): NextResponse {
  return NextResponse.json({ error: "not_found", message }, { status: 404 });
}

/** Runs a handler; an unexpected failure is logged and answered with a plain 500 or 503. */
export async function guarded(handler: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    console.error(error);
    if (error instanceof ConfigError) {
      return NextResponse.json({ error: "unavailable", message: "The case database is not available." }, { status: 503 });
    }
    return NextResponse.json({ error: "internal", message: "The request could not be completed." }, { status: 500 });
  }
}
