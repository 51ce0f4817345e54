/**
 * When a checker runs and what its results do, as keepalived schedules it
 * (check_api.c: the first run 1 s plus a random part of warmup after start;
 * then each checker's epilog in check_tcp.c, check_udp.c, check_ping.c,
 * check_dns.c, check_smtp.c, check_misc.c and check_http.c). The epilogs
 * differ, and each is followed:
 *
 * - TCP_CHECK retries a failure `retry` times, delay_before_retry apart, up
 *   or down, then waits delay_loop;
 * - UDP_CHECK, PING_CHECK, DNS_CHECK and MISC_CHECK retry only while up;
 * - SMTP_CHECK starts every delay_loop cycle with a fresh retry count, so
 *   even its first failure is retried;
 * - HTTP_GET / SSL_GET check one url per attempt, delay_loop apart; a url
 *   that fails more than `retry` times marks the checker down and is then
 *   retried every max(delay_before_retry, delay_loop); when it passes again,
 *   every url is checked anew from the first, and the checker is up once all
 *   have passed (at once with fast_recovery).
 *
 * keepalived starts each checker's retry count at `retry`, so the first
 * failure after start marks it down at once (SMTP_CHECK excepted). MISC_CHECK
 * measures its interval from the start of the previous run, the others from
 * its end. A run is aborted after the spec's timeoutMs and counts as what
 * its probe makes of the timeout. Time comes from the injected clock; a
 * runner holds at most one timer.
 */
import type { Clock, Timer } from '../clock.ts';
import type { CheckerKind, CheckerSpec, Outcome, Timing } from './types.ts';

export interface CheckerListener {
  /** The checker went up or down. */
  onChange(up: boolean, outcome: Outcome): void;
  /**
   * The checker's change to the real server's weight (keepalived's
   * cur_weight): the server's weight is its configured weight plus its
   * checkers' changes, kept within 0..2^31−1.
   */
  onWeight?(delta: number): void;
  /** Every attempt's outcome (for log_all_failures). */
  onAttempt?(outcome: Outcome): void;
}

export type RunnableSpec = Pick<CheckerSpec, 'timeoutMs' | 'urls' | 'fastRecovery' | 'baseWeight' | 'probe'> & {
  kind: Exclude<CheckerKind, 'FILE_CHECK'>;
  timing: Timing;
};

/** Whether a spec runs on a timer: all but FILE_CHECK, which FileCheckMonitor follows. */
export function isRunnable(spec: CheckerSpec): spec is CheckerSpec & RunnableSpec {
  return spec.kind !== 'FILE_CHECK' && spec.timing !== undefined;
}

/** keepalived's BOOTSTRAP_DELAY before the first check. */
export const BOOTSTRAP_DELAY_MS = 1000;

export class CheckRunner {
  /** The checker's state: up unless alpha until its first result. */
  up: boolean;
  /** Its change to the server's weight (MISC_CHECK misc_dynamic). */
  weightDelta = 0;
  private hasRun = false;
  private retryIt: number;
  /** HTTP: the url to check next; null once past the last. */
  private url: number | null = 0;
  /** HTTP: the url that failed and marked the checker down. */
  private failedUrl: number | null = null;
  /** SMTP: the next run starts a delay_loop cycle (rather than retrying). */
  private cycle = true;
  private timer?: Timer;
  private inflight?: AbortController;
  private started = false;
  private stopped = false;

  constructor(
    readonly spec: RunnableSpec,
    private readonly clock: Clock,
    private readonly listener: CheckerListener,
    /** In [0, 1), for the warmup. */
    private readonly random: () => number = Math.random,
  ) {
    this.up = !spec.timing.alpha;
    this.retryIt = spec.timing.retry;
  }

  /** Schedules the first run; a second call does nothing. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(BOOTSTRAP_DELAY_MS + this.spec.timing.warmupMs * this.random());
  }

  /** Cancels the next run and aborts the current one, whose result is then ignored. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.inflight?.abort();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimer(ms, () => this.run());
  }

  private run(): void {
    if (this.spec.kind === 'SMTP_CHECK' && this.cycle) this.retryIt = 0;
    const controller = new AbortController();
    this.inflight = controller;
    const startedAt = this.clock.now();
    this.timer = this.clock.setTimer(this.spec.timeoutMs, () => controller.abort());
    this.spec
      .probe(controller.signal, this.url ?? 0)
      .catch((e: unknown): Outcome => ({ up: false, detail: String(e) }))
      .then((outcome) => {
        this.timer?.cancel();
        this.inflight = undefined;
        if (this.stopped) return;
        this.listener.onAttempt?.(outcome);
        this.schedule(outcome.skip ? this.spec.timing.delayLoopMs : this.epilog(outcome, startedAt));
      });
  }

  /** update_svr_checker_state: the first result and every change count as having run. */
  private set(up: boolean, outcome: Outcome): void {
    this.hasRun = true;
    if (up === this.up) return;
    this.up = up;
    this.listener.onChange(up, outcome);
  }

  private setWeight(delta: number): void {
    if (delta === this.weightDelta) return;
    this.weightDelta = delta;
    this.listener.onWeight?.(delta);
  }

  /** Applies a result as the checker's epilog does; returns the delay before the next run. */
  private epilog(o: Outcome, startedAt: number): number {
    const t = this.spec.timing;
    switch (this.spec.kind) {
      case 'TCP_CHECK': {
        if (o.up || this.retryIt >= t.retry) {
          this.retryIt = 0;
          this.settle(o);
          this.hasRun = true;
          return t.delayLoopMs;
        }
        this.retryIt++;
        this.hasRun = true;
        return t.delayBeforeRetryMs;
      }
      case 'UDP_CHECK':
      case 'PING_CHECK': {
        let delay = t.delayLoopMs;
        if (o.up || ((this.up || !this.hasRun) && this.retryIt >= t.retry)) {
          this.retryIt = 0;
          this.settle(o);
        } else if (this.up) {
          delay = t.delayBeforeRetryMs;
          this.retryIt++;
        }
        this.hasRun = true;
        return delay;
      }
      case 'DNS_CHECK': {
        if (!o.up) {
          if (this.up || !this.hasRun) {
            if (this.retryIt < t.retry) {
              this.retryIt++;
              this.hasRun = true;
              return t.delayBeforeRetryMs;
            }
            this.set(false, o);
          }
        } else if (!this.up || !this.hasRun) this.set(true, o);
        this.retryIt = 0;
        return t.delayLoopMs;
      }
      case 'SMTP_CHECK': {
        if (!o.up) {
          if (++this.retryIt <= t.retry) {
            this.cycle = false;
            return t.delayBeforeRetryMs;
          }
          if (this.up || !this.hasRun) this.set(false, o);
        } else {
          this.retryIt = 0;
          if (!this.up || !this.hasRun) this.set(true, o);
          this.hasRun = true;
        }
        this.cycle = true;
        return t.delayLoopMs;
      }
      case 'MISC_CHECK': {
        if (o.up) {
          this.setWeight(o.weight === undefined ? 0 : o.weight - this.spec.baseWeight);
          if (!this.up || !this.hasRun) this.set(true, o);
          this.retryIt = 0;
        } else if (this.up || !this.hasRun) {
          if (this.retryIt < t.retry) this.retryIt++;
          else {
            this.retryIt = 0;
            this.setWeight(0);
            this.set(false, o);
          }
        }
        this.hasRun = true;
        // Timed from the start of this run; keepalived's smallest timer is 1 µs.
        return Math.max(startedAt + (this.retryIt ? t.delayBeforeRetryMs : t.delayLoopMs) - this.clock.now(), 0.001);
      }
      case 'HTTP_GET':
      case 'SSL_GET':
        return this.httpEpilog(o);
    }
  }

  /** tcp_epilog's and udp_epilog's state change once retries are exhausted or on success. */
  private settle(o: Outcome): void {
    if (o.up && (!this.up || !this.hasRun)) this.set(true, o);
    else if (!o.up && (this.up || !this.hasRun)) this.set(false, o);
  }

  /** check_http.c: timeout_epilog and epilog, with url_it and failed_url. */
  private httpEpilog(o: Outcome): number {
    const t = this.spec.timing;
    const method = o.up ? 'new' : this.up || !this.hasRun ? 'retry' : 'failed';
    if (method === 'retry') this.hasRun = true;
    if (method === 'new') {
      this.url = this.url !== null && this.url + 1 < this.spec.urls ? this.url + 1 : null;
      this.retryIt = 0;
    } else if (method === 'retry') this.retryIt++;

    if (method === 'new' && this.url === null && this.failedUrl === null) {
      // Every url has passed.
      if (!this.up || !this.hasRun) this.set(true, o);
      this.url = 0;
      this.retryIt = 0;
    } else if (method === 'retry' && this.retryIt > t.retry) {
      if (this.up || !this.hasRun) this.set(false, o);
      this.failedUrl = this.url;
    } else if (method === 'new' && this.failedUrl !== null) {
      // The failed url passes again: check them all from the first.
      this.failedUrl = null;
      this.url = 0;
      this.retryIt = 0;
    }

    let delay: number;
    if (method === 'new') {
      delay = t.delayLoopMs;
      if (!this.hasRun) this.retryIt = t.retry;
    } else delay = this.failedUrl !== null ? Math.max(t.delayBeforeRetryMs, t.delayLoopMs) : t.delayBeforeRetryMs;
    if (this.spec.fastRecovery && (!this.hasRun || (!this.up && this.failedUrl === null))) delay = 0;
    return delay;
  }
}
