import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

// A real SMTP server on 127.0.0.1 for the tests (smtp-server): it accepts every message, parses
// it (mailparser) and keeps it. `stop()` closes it (a sender then meets a refused connection);
// `start()` again listens on the same port. `waitFor(n)` resolves when n messages have come.

export type ReceivedMail = { to: string; subject: string; text: string; html: string; messageId: string; language: string | undefined; raw: ParsedMail };

export type TestSmtp = {
  port: number;
  url: string;
  received: ReceivedMail[];
  waitFor(count: number, what?: (m: ReceivedMail) => boolean): Promise<ReceivedMail[]>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

export async function startTestSmtp(port = 0): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  let server: SMTPServer | null = null;
  const make = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => {
            const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(", ") : (mail.to?.text ?? "");
            const language = mail.headers.get("content-language");
            received.push({
              to,
              subject: mail.subject ?? "",
              text: mail.text ?? "",
              html: typeof mail.html === "string" ? mail.html : "",
              messageId: mail.messageId ?? "",
              language: typeof language === "string" ? language : undefined,
              raw: mail,
            });
            for (const wake of waiters.splice(0)) wake();
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
  const listen = async (on: number) => {
    server = make();
    await new Promise<void>((resolve, reject) => {
      server!.once("error", reject);
      server!.listen(on, "127.0.0.1", () => resolve());
    });
    return (server!.server.address() as AddressInfo).port;
  };
  const actual = await listen(port);
  const smtp: TestSmtp = {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    received,
    async waitFor(count, what = () => true) {
      for (;;) {
        const matching = received.filter(what);
        if (matching.length >= count) return matching;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    async start() {
      await listen(actual);
    },
    async stop() {
      const s = server;
      server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  return smtp;
}
