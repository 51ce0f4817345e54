/**
 * keepalived's e-mail alerts (core/smtp.c): one message to every
 * notification_email through smtp_server; notifier.ts decides when. A plain
 * SMTP dialogue (HELO, MAIL FROM, RCPT TO, DATA, QUIT), each reply checked,
 * with smtp_connect_timeout.
 */
import { hostname } from 'node:os';
import { createConnection } from 'node:net';
import type { Config } from '../grammar/ast.ts';
import { itemsOf, model } from '../grammar/index.ts';

export interface SmtpSettings {
  server: string;
  port: number;
  helo: string;
  from: string;
  to: string[];
  timeoutMs: number;
  routerId: string;
}

/** The global mail settings, when there is a server and someone to write to. */
export function smtpSettings(config: Config): SmtpSettings | undefined {
  const globals = new model.GlobalDefs(config);
  const server = globals.statement('smtp_server');
  const address = server?.params['server'];
  const to = globals.blocks.flatMap((b) => itemsOf(b, 'notification_email')).map((i) => i.words[0]?.text).filter((w): w is string => !!w);
  if (typeof address !== 'string' || !to.length) return undefined;
  const port = server!.params['port'];
  const timeout = globals.value('smtp_connect_timeout');
  const helo = globals.value('smtp_helo_name');
  const from = globals.value('notification_email_from');
  const routerId = globals.value('router_id');
  return {
    server: address,
    port: typeof port === 'number' ? port : 25,
    helo: typeof helo === 'string' ? helo : hostname(),
    from: typeof from === 'string' ? from : `keepalived@${hostname()}`,
    to,
    timeoutMs: (typeof timeout === 'number' ? timeout : 30) * 1000,
    routerId: typeof routerId === 'string' ? routerId : hostname(),
  };
}

/** Sends one message; resolves when the server has accepted it, rejects with the reply that refused it. */
export function sendMail(s: SmtpSettings, subject: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: s.server, port: s.port });
    socket.setTimeout(s.timeoutMs, () => socket.destroy(new Error(`no answer from ${s.server}:${s.port} in ${s.timeoutMs / 1000} s`)));
    const date = new Date().toUTCString();
    const message = [`From: ${s.from}`, `Date: ${date}`, `Subject: ${subject}`, 'X-Mailer: Keepalived', `To: ${s.to.join(', ')}`, '', body, ''].join('\r\n');
    // Each command and the reply code it expects; the greeting comes first.
    const steps: [string | undefined, number][] = [
      [undefined, 220],
      [`HELO ${s.helo}`, 250],
      [`MAIL FROM:<${s.from}>`, 250],
      ...s.to.map((t): [string, number] => [`RCPT TO:<${t}>`, 250]),
      ['DATA', 354],
      [`${message.replace(/^\./gm, '..')}\r\n.`, 250],
      ['QUIT', 221],
    ];
    let buffer = '';
    let step = 0;
    socket.on('data', (chunk) => {
      buffer += chunk;
      // A reply is complete at a line whose code is followed by a space (not `-`, a continuation).
      const done = /^(\d{3}) .*\r?\n/m.exec(buffer);
      if (!done) return;
      buffer = '';
      if (Number(done[1]) !== steps[step]![1]) {
        socket.destroy();
        reject(new Error(`SMTP server replied ${done[0].trim()}`));
        return;
      }
      step++;
      if (step === steps.length) {
        socket.end();
        resolve();
        return;
      }
      socket.write(`${steps[step]![0]}\r\n`);
    });
    socket.on('error', reject);
  });
}
