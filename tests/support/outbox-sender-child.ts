// One "server's" outbox sender in a process of its own, for the race test
// (tests/integration/outbox.test.ts): sends due mail over DATABASE_URL to SMTP_URL until no
// mail waits, then prints what it sent as JSON. argv: owner name.
import { closeEngine, openEngine } from "../../db/open";
import { sendDueMail, smtpTransport } from "../../db/outbox";

const owner = process.argv[2] ?? `child-${process.pid}`;
const e = openEngine(process.env.DATABASE_URL);
const transport = await smtpTransport(process.env.SMTP_URL!);
let sent = 0;
let rounds = 0;
for (;;) {
  const result = await sendDueMail(e, transport, { owner, limit: 3 });
  sent += result.sent;
  rounds++;
  if (result.claimed === 0) {
    const left = await e.get<{ n: number | string }>(
      (await import("drizzle-orm")).sql`select count(*) as n from outbox where status = 'pending'`,
    );
    if (Number(left?.n ?? 0) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
transport.close();
await closeEngine(e);
console.log(JSON.stringify({ owner, sent, rounds }));
