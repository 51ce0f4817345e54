/**
 * What the real-server health checkers share: the result of one attempt,
 * where an attempt connects to, and the shape of one attempt's life (it ends
 * once, on its result, on its timeout or when its caller aborts, and then
 * releases everything it opened).
 */
import type { Block } from '../../grammar/ast.ts';
import type { FileCheckOptions } from './file.ts';

export type CheckerKind = 'TCP_CHECK' | 'HTTP_GET' | 'SSL_GET' | 'MISC_CHECK' | 'SMTP_CHECK' | 'DNS_CHECK' | 'UDP_CHECK' | 'PING_CHECK' | 'FILE_CHECK';

/** The result of one check attempt. */
export interface Outcome {
  up: boolean;
  /** Why, in a few words, for logs. */
  detail: string;
  /**
   * The real server weight this result asks for: MISC_CHECK with misc_dynamic
   * (exit code 2..255 gives code − 2) and FILE_CHECK (the server's weight plus
   * the file's value × weight). Absent: the configured weight.
   */
  weight?: number;
  /**
   * keepalived could not start the check (a socket or bind error before
   * connecting): it logs "Rescheduling" and tries again after delay_loop,
   * with no effect on the state or the retry count.
   */
  skip?: true;
}

/** Where a network checker connects, after connect_ip, connect_port, bindto, bind_port and bind_if. */
export interface Target {
  /** The address, with `%bind_if` for an IPv6 link-local one. */
  host: string;
  family: 4 | 6;
  port: number;
  /** bindto. */
  localAddress?: string;
  /** bind_port (keepalived applies it only with bindto). */
  localPort?: number;
}

/** The timing keepalived resolves for a checker (`validate_check_config`), in milliseconds. */
export interface Timing {
  delayLoopMs: number;
  /** connect_timeout (checker, else real server, else virtual server, else 5 s); MISC_CHECK has none. */
  connectTimeoutMs?: number;
  retry: number;
  delayBeforeRetryMs: number;
  /** Upper bound of the random delay added to the 1 s before the first check. */
  warmupMs: number;
  /** Start failed until the first success. */
  alpha: boolean;
  /** The checker's log_all_failures or global checker_log_all_failures. */
  logAllFailures: boolean;
}

/** One checker of a real server, ready to run. */
export interface CheckerSpec {
  kind: CheckerKind;
  /** The checker block, for positions in messages. */
  block: Block;
  /** Undefined for FILE_CHECK, which follows its file instead of running on a timer. */
  timing?: Timing;
  /** Undefined for MISC_CHECK and FILE_CHECK. */
  target?: Target;
  /** How long one attempt may take before it is aborted (connect_timeout; misc_timeout for MISC_CHECK). */
  timeoutMs: number;
  /** HTTP_GET / SSL_GET: the number of url blocks, which keepalived checks one per attempt; 1 for the others. */
  urls: number;
  /** HTTP_GET / SSL_GET fast_recovery: while down, check the next url at once rather than after delay_loop. */
  fastRecovery: boolean;
  /** The real server's configured weight, against which `Outcome.weight` is a change. */
  baseWeight: number;
  /** FILE_CHECK: the file to follow with FileCheckMonitor. */
  file?: FileCheckOptions;
  /** One attempt; `url` is the index of the url block for HTTP_GET / SSL_GET. Never rejects. */
  probe(signal: AbortSignal, url?: number): Promise<Outcome>;
}

/** One attempt in progress: what its end produces when time is up, and how to release it. */
export interface Attempt {
  /** The outcome when the attempt times out or is aborted (most checkers fail; UDP_CHECK without require_reply succeeds). */
  onTimeout(): Outcome;
  close(): void;
}

/**
 * Runs one attempt: `start` opens it and calls `finish` with its result; it
 * also ends after `timeoutMs` or when `signal` aborts. Whatever ends it, the
 * attempt is closed exactly once and the promise resolves exactly once.
 */
export function runAttempt(signal: AbortSignal, timeoutMs: number, start: (finish: (o: Outcome) => void) => Attempt): Promise<Outcome> {
  return new Promise((resolve) => {
    let attempt: Attempt | undefined;
    let result: Outcome | undefined;
    let timer: NodeJS.Timeout | undefined;
    const end = () => {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      attempt?.close();
      resolve(result!);
    };
    const finish = (o: Outcome) => {
      if (result) return;
      result = o;
      // `start` may finish before it has returned its attempt: then end once it has.
      if (attempt) end();
    };
    const onAbort = () => {
      if (attempt) finish(attempt.onTimeout());
    };
    try {
      attempt = start(finish);
    } catch (e) {
      result ??= { up: false, detail: (e as Error).message };
      resolve(result);
      return;
    }
    if (result) {
      end();
      return;
    }
    if (signal.aborted) {
      finish(attempt.onTimeout());
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    timer = setTimeout(onAbort, timeoutMs);
  });
}

/** Node's error text without its stack: the code when there is one. */
export function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ?? err.message ?? String(e);
}
