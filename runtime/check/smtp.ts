/**
 * SMTP_CHECK (check_smtp.c): connect, read the greeting, which must start
 * "220 ", send HELO helo_name, expect "250 ", send QUIT and read one more
 * line. keepalived reads each reply until a newline and looks only at its
 * first three characters and the one after them, so a multi-line "220-"
 * greeting fails as it does in keepalived.
 */
import { notRun, openTcp } from './tcp.ts';
import { type Attempt, errorText, type Outcome, runAttempt, type Target } from './types.ts';

export const SMTP_DEFAULT_HELO = 'smtpchecker.keepalived.org';

/** keepalived's SMTP_BUFF_MAX − 1: a reply that fills it without a newline is discarded. */
const LINE_LIMIT = 511;

export interface SmtpOptions {
  target: Target;
  /** connect_timeout, here the bound of the whole dialogue. */
  timeoutMs: number;
  helo: string;
}

/** keepalived's smtp_get_status: a three-digit code followed by a space or nothing, else -1. */
export function smtpStatus(line: string): number {
  const m = /^([0-9]{3})(?:$| )/.exec(line);
  return m ? Number(m[1]) : -1;
}

/** One SMTP_CHECK attempt. */
export function smtpProbe(o: SmtpOptions, signal: AbortSignal): Promise<Outcome> {
  const where = `${o.target.host}:${o.target.port}`;
  return runAttempt(signal, o.timeoutMs, (finish): Attempt => {
    const socket = openTcp(o.target);
    // The replies expected in turn: the greeting, the answer to HELO, the answer to QUIT (any line).
    const steps: { expect?: number; then?: string; fail: string }[] = [
      { expect: 220, then: `HELO ${o.helo}\r\n`, fail: 'Bad greeting banner from server' },
      { expect: 250, then: 'QUIT\r\n', fail: 'Bad HELO response from server' },
      { fail: '' },
    ];
    let step = 0;
    let buffer = '';
    let connected = false;
    socket.once('connect', () => (connected = true));
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      if (!buffer.includes('\n')) {
        if (buffer.length >= LINE_LIMIT) buffer = '';
        return;
      }
      const current = steps[step]!;
      const line = buffer;
      buffer = '';
      if (current.expect === undefined) return finish({ up: true, detail: `Remote SMTP server ${where} succeed on service` });
      if (smtpStatus(line) !== current.expect) return finish({ up: false, detail: `${current.fail} ${where}: ${line.trim().slice(0, 80)}` });
      step++;
      socket.write(current.then!);
    });
    socket.once('end', () => finish({ up: false, detail: `Read failure from server ${where}` }));
    socket.on('error', (e) => {
      if (!connected && notRun(e)) finish({ up: false, skip: true, detail: `SMTP_CHECK socket bind failed (${errorText(e)}), rescheduling` });
      else finish({ up: false, detail: `${connected ? 'Read failure from' : 'Could not connect to'} server ${where} (${errorText(e)})` });
    });
    return { onTimeout: () => ({ up: false, detail: `${connected ? 'Read timeout from' : 'Connection timeout to'} server ${where}` }), close: () => socket.destroy() };
  });
}
