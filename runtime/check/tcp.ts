/**
 * TCP_CHECK (check_tcp.c): up when a TCP connection to the target opens
 * within connect_timeout. The connection step is shared with HTTP_GET,
 * SSL_GET and SMTP_CHECK, which keepalived also open with
 * `tcp_bind_connect` (layer4.c). Those need the data, so they keep Node
 * sockets; TCP_CHECK only connects, and runs on an injected `TcpConnect`
 * (the addon's) when there is one, sparing a Node stream per attempt.
 */
import { connect, type Socket } from 'node:net';
import type { TcpIo } from '../io.ts';
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

/**
 * A TCP connect without a Node socket, meant to be the native addon's: starts
 * connecting to `target` from its bindto / bind_port and returns what cancels
 * it. `onDone` is called once, from the event loop, with '' when the
 * connection opened or the error's code, unless cancelled first; the socket
 * is closed by then. What stops the connect from starting is thrown, as
 * Node's system errors are (`code`, `syscall`).
 */
export type TcpConnect = (target: Target, onDone: (error: string) => void) => () => void;

export function addonTcpConnect(io: TcpIo): TcpConnect {
  return (t, onDone) => {
    const connection = io.tcpConnect(t.family, t.host, t.port, t.localAddress ?? '', t.localPort ?? 0, onDone);
    return () => io.tcpCancel(connection);
  };
}

/**
 * What keepalived's socket_bind_connect counts as a failed check when
 * connect() fails at once; anything else that fails before the connect is
 * under way (socket, bind, another connect error) reschedules.
 */
const CONNECT_FAILS = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'ECONNREFUSED', 'EHOSTDOWN', 'ENETDOWN', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT']);

export interface TcpOptions {
  target: Target;
  /** connect_timeout. */
  timeoutMs: number;
  /** The connect to use; without it, a Node socket. */
  connect?: TcpConnect;
}

/** One TCP_CHECK attempt. */
export function tcpProbe(o: TcpOptions, signal: AbortSignal): Promise<Outcome> {
  const where = `${o.target.host}:${o.target.port}`;
  const failed = (code: string): Outcome => ({ up: false, detail: `TCP connection to ${where} failed (${code})` });
  const skipped = (code: string): Outcome => ({ up: false, skip: true, detail: `TCP socket bind failed (${code}), rescheduling` });
  const onTimeout = (): Outcome => ({ up: false, detail: `TCP connection to ${where} timeout` });
  const { connect } = o;
  if (connect)
    return runAttempt(signal, o.timeoutMs, (finish): Attempt => {
      let cancel = () => {};
      try {
        cancel = connect(o.target, (error) => finish(error ? failed(error) : { up: true, detail: `TCP connection to ${where} success` }));
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.syscall === undefined) throw e;
        finish(err.syscall === 'connect' && CONNECT_FAILS.has(err.code ?? '') ? failed(errorText(e)) : skipped(errorText(e)));
      }
      return { onTimeout, close: () => cancel() };
    });
  return runAttempt(signal, o.timeoutMs, (finish): Attempt => {
    const socket = openTcp(o.target);
    socket.once('connect', () => finish({ up: true, detail: `TCP connection to ${where} success` }));
    socket.on('error', (e) => finish(notRun(e) ? skipped(errorText(e)) : failed(errorText(e))));
    return { onTimeout, close: () => socket.destroy() };
  });
}
