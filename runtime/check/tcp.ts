/**
 * TCP_CHECK (check_tcp.c): up when a TCP connection to the target opens
 * within connect_timeout. The connection step is shared with HTTP_GET,
 * SSL_GET and SMTP_CHECK, which keepalived also open with
 * `tcp_bind_connect` (layer4.c).
 */
import { connect, type Socket } from 'node:net';
import { type Attempt, errorText, type Outcome, runAttempt, type Target } from './types.ts';

/**
 * Errors that keepalived's non-blocking connect() reports at once and counts
 * as "could not run the check" rather than as a failed check: a bind that
 * fails, or a local address problem. Refusals, unreachable networks and
 * resets are failures (`socket_bind_connect`).
 */
const NOT_RUN = new Set(['EADDRNOTAVAIL', 'EADDRINUSE', 'EAFNOSUPPORT', 'EINVAL', 'EMFILE', 'ENFILE', 'ENOBUFS']);

/** Whether a socket error means keepalived would reschedule without a result. */
export function notRun(e: unknown): boolean {
  const err = e as NodeJS.ErrnoException;
  return err.syscall === 'bind' || NOT_RUN.has(err.code ?? '');
}

/** Opens a TCP connection to `target` from its bindto / bind_port. */
export function openTcp(target: Target): Socket {
  return connect({
    host: target.host,
    port: target.port,
    family: target.family,
    ...(target.localAddress !== undefined ? { localAddress: target.localAddress } : {}),
    ...(target.localPort !== undefined ? { localPort: target.localPort } : {}),
  });
}

export interface TcpOptions {
  target: Target;
  /** connect_timeout. */
  timeoutMs: number;
}

/** One TCP_CHECK attempt. */
export function tcpProbe(o: TcpOptions, signal: AbortSignal): Promise<Outcome> {
  const where = `${o.target.host}:${o.target.port}`;
  return runAttempt(signal, o.timeoutMs, (finish): Attempt => {
    const socket = openTcp(o.target);
    socket.once('connect', () => finish({ up: true, detail: `TCP connection to ${where} success` }));
    socket.on('error', (e) =>
      finish(notRun(e) ? { up: false, skip: true, detail: `TCP socket bind failed (${errorText(e)}), rescheduling` } : { up: false, detail: `TCP connection to ${where} failed (${errorText(e)})` }),
    );
    return { onTimeout: () => ({ up: false, detail: `TCP connection to ${where} timeout` }), close: () => socket.destroy() };
  });
}
