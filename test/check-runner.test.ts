/** The checkers' scheduler in virtual time: keepalived's warmup, retries, delays and state changes per checker type. */
import { describe, expect, it } from 'vitest';
import { type Clock, type Timer, VirtualClock } from '../runtime/clock.ts';
import { BOOTSTRAP_DELAY_MS, type CheckerListener, CheckRunner, type RunnableSpec } from '../runtime/check/runner.ts';
import type { Outcome, Timing } from '../runtime/check/types.ts';

const UP: Outcome = { up: true, detail: 'ok' };
const DOWN: Outcome = { up: false, detail: 'bad' };

type Script = (call: number, url: number) => Outcome | 'hang';

const flush = () => new Promise((r) => setImmediate(r));

/** Virtual time that moves from timer to timer, letting probe results settle before the next one. */
class SteppingClock implements Clock {
  private readonly inner = new VirtualClock();
  private readonly due = new Set<{ at: number }>();

  now(): number {
    return this.inner.now();
  }

  setTimer(ms: number, callback: () => void): Timer {
    const entry = { at: this.now() + Math.max(0, ms) };
    this.due.add(entry);
    const timer = this.inner.setTimer(ms, () => {
      this.due.delete(entry);
      callback();
    });
    return {
      cancel: () => {
        this.due.delete(entry);
        timer.cancel();
      },
    };
  }

  async runUntil(until: number): Promise<void> {
    for (;;) {
      const next = Math.min(...[...this.due].map((e) => e.at));
      if (!(next <= until)) break;
      this.inner.runUntil(next);
      await flush();
    }
    this.inner.runUntil(until);
  }
}

interface Harness {
  clock: SteppingClock;
  runner: CheckRunner;
  /** [time, url] of each probe call. */
  calls: [number, number][];
  changes: string[];
  weights: string[];
  /** Advances virtual time to `until`, letting probe results settle at each step. */
  run(until: number): Promise<void>;
}

function harness(kind: RunnableSpec['kind'], timing: Partial<Timing>, script: Script, extra: Partial<RunnableSpec> = {}, random = () => 0): Harness {
  const clock = new SteppingClock();
  const calls: [number, number][] = [];
  const changes: string[] = [];
  const weights: string[] = [];
  const spec: RunnableSpec = {
    kind,
    timing: { delayLoopMs: 10_000, retry: 1, delayBeforeRetryMs: 1000, warmupMs: 0, alpha: false, logAllFailures: false, ...timing },
    timeoutMs: 500,
    urls: 1,
    fastRecovery: false,
    baseWeight: 10,
    probe: (signal, url = 0) => {
      const result = script(calls.length, url);
      calls.push([clock.now(), url]);
      if (result !== 'hang') return Promise.resolve(result);
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ up: false, detail: `aborted at ${clock.now()}` })));
    },
    ...extra,
  };
  const listener: CheckerListener = {
    onChange: (up, o) => changes.push(`${clock.now()} ${up ? 'up' : 'down'} ${o.detail}`),
    onWeight: (d) => weights.push(`${clock.now()} ${d}`),
  };
  const runner = new CheckRunner(spec, clock, listener, random);
  return {
    clock,
    runner,
    calls,
    changes,
    weights,
    run: (until) => clock.runUntil(until),
  };
}

const times = (h: Harness) => h.calls.map(([t]) => t);

describe('first check', () => {
  it('runs 1 s after start plus warmup × random, warmup defaulting to delay_loop upstream', async () => {
    for (const [random, first] of [
      [0, 1000],
      [0.5, 3500],
      [0.99, 5950],
    ] as const) {
      const h = harness('TCP_CHECK', { warmupMs: 5000 }, () => UP, {}, () => random);
      h.runner.start();
      await h.run(7000);
      expect(times(h)[0]).toBe(first);
    }
    const none = harness('TCP_CHECK', { warmupMs: 0 }, () => UP, {}, () => 0.9);
    none.runner.start();
    await none.run(2000);
    expect(times(none)).toEqual([BOOTSTRAP_DELAY_MS]);
  });

  it('starts up, and down with alpha until the first success', async () => {
    const plain = harness('TCP_CHECK', {}, () => UP);
    const alpha = harness('TCP_CHECK', { alpha: true }, () => UP);
    expect([plain.runner.up, alpha.runner.up]).toEqual([true, false]);
    alpha.runner.start();
    await alpha.run(1000);
    expect(alpha.changes).toEqual(['1000 up ok']);
    expect(alpha.runner.up).toBe(true);
  });

  it('marks a checker down at its first failure after start, whatever retry says (the retry count starts full)', async () => {
    const h = harness('TCP_CHECK', { retry: 3 }, () => DOWN);
    h.runner.start();
    await h.run(1000);
    expect(h.changes).toEqual(['1000 down bad']);
  });
});

describe('TCP_CHECK', () => {
  it('retries a failure retry times, delay_before_retry apart, before going down; a success resets the count', async () => {
    // up, up, then fails: 3 failed attempts (1 + retry 2) before down.
    const h = harness('TCP_CHECK', { retry: 2 }, (n) => (n < 2 ? UP : n === 5 ? UP : DOWN));
    h.runner.start();
    await h.run(60_000);
    expect(times(h).slice(0, 8)).toEqual([1000, 11_000, 21_000, 22_000, 23_000, 33_000, 43_000, 44_000]);
    // 21 s fails, 22 s fails, 23 s fails: down at the third. 33 s succeeds: up at once. 43 s fails again.
    expect(h.changes.slice(0, 2)).toEqual(['23000 down bad', '33000 up ok']);
  });

  it('keeps retrying while down', async () => {
    const h = harness('TCP_CHECK', { retry: 1, alpha: true }, () => DOWN);
    h.runner.start();
    await h.run(25_000);
    // 1 s: down at once; then failures while down still get their retry: 11 s, 12 s, 22 s, 23 s.
    expect(times(h)).toEqual([1000, 11_000, 12_000, 22_000, 23_000]);
    expect(h.changes).toEqual([]);
  });
});

describe('UDP_CHECK and PING_CHECK', () => {
  it('retry only while up: failures while down come every delay_loop', async () => {
    for (const kind of ['UDP_CHECK', 'PING_CHECK'] as const) {
      const h = harness(kind, { retry: 2 }, (n) => (n === 0 ? UP : DOWN));
      h.runner.start();
      await h.run(45_000);
      expect(times(h)).toEqual([1000, 11_000, 12_000, 13_000, 23_000, 33_000, 43_000]);
      expect(h.changes).toEqual(['13000 down bad']);
    }
  });
});

describe('DNS_CHECK', () => {
  it('retries while up, delay_before_retry apart, and not while down', async () => {
    const h = harness('DNS_CHECK', { retry: 3, delayBeforeRetryMs: 2000 }, (n) => (n === 0 ? UP : DOWN));
    h.runner.start();
    await h.run(40_000);
    expect(times(h)).toEqual([1000, 11_000, 13_000, 15_000, 17_000, 27_000, 37_000]);
    expect(h.changes).toEqual(['17000 down bad']);
  });
});

describe('SMTP_CHECK', () => {
  it('starts each delay_loop cycle with a fresh retry count, so the first failure is retried too', async () => {
    const h = harness('SMTP_CHECK', { retry: 2 }, (n) => (n < 2 ? DOWN : UP));
    h.runner.start();
    await h.run(12_000);
    // 1 s fails, 2 s fails, 3 s succeeds: never down.
    expect(times(h)).toEqual([1000, 2000, 3000]);
    expect(h.changes).toEqual([]);
  });

  it('goes down after 1 + retry failures, and retries in every cycle while down', async () => {
    const h = harness('SMTP_CHECK', { retry: 1 }, () => DOWN);
    h.runner.start();
    await h.run(14_000);
    expect(times(h)).toEqual([1000, 2000, 12_000, 13_000]);
    expect(h.changes).toEqual(['2000 down bad']);
  });
});

describe('MISC_CHECK', () => {
  it('times the next run from the start of the previous one', async () => {
    const clock = new SteppingClock();
    const starts: number[] = [];
    const runner = new CheckRunner(
      {
        kind: 'MISC_CHECK',
        timing: { delayLoopMs: 5000, retry: 0, delayBeforeRetryMs: 1000, warmupMs: 0, alpha: false, logAllFailures: false },
        timeoutMs: 60_000,
        urls: 1,
        fastRecovery: false,
        baseWeight: 1,
        // Each run takes 2 s.
        probe: () => {
          starts.push(clock.now());
          return new Promise((resolve) => clock.setTimer(2000, () => resolve(UP)));
        },
      },
      clock,
      { onChange: () => {} },
      () => 0,
    );
    runner.start();
    await clock.runUntil(17_000);
    expect(starts).toEqual([1000, 6000, 11_000, 16_000]);
  });

  it('reports misc_dynamic weights as changes to the configured weight, back to none on exit 0 and when down', async () => {
    const outcomes: Outcome[] = [UP, { up: true, detail: 'exit 7', weight: 5 }, { up: true, detail: 'exit 7', weight: 5 }, { up: true, detail: 'exit 22', weight: 20 }, UP, { up: true, detail: 'exit 3', weight: 1 }, DOWN];
    const h = harness('MISC_CHECK', { retry: 0, delayLoopMs: 1000 }, (n) => outcomes[n] ?? DOWN);
    h.runner.start();
    await h.run(7500);
    expect(h.weights).toEqual(['2000 -5', '4000 10', '5000 0', '6000 -9', '7000 0']);
    expect(h.changes).toEqual(['7000 down bad']);
  });

  it('uses its retry (default 0 in the spec) only while up', async () => {
    const h = harness('MISC_CHECK', { retry: 1, delayLoopMs: 10_000 }, (n) => (n === 0 ? UP : DOWN));
    h.runner.start();
    await h.run(45_000);
    expect(times(h)).toEqual([1000, 11_000, 12_000, 22_000, 32_000, 42_000]);
    expect(h.changes).toEqual(['12000 down bad']);
  });
});

describe('HTTP_GET / SSL_GET', () => {
  it('checks one url per attempt, delay_loop apart, and is up once all have passed', async () => {
    const h = harness('HTTP_GET', { alpha: true }, () => UP, { urls: 3 });
    h.runner.start();
    await h.run(32_000);
    expect(h.calls).toEqual([
      [1000, 0],
      [11_000, 1],
      [21_000, 2],
      [31_000, 0],
    ]);
    expect(h.changes).toEqual(['21000 up ok']);
  });

  it('retries a failing url until it has failed more than retry times, then goes down and retries it every max(delay_before_retry, delay_loop); on recovery rechecks every url from the first', async () => {
    // url 1 fails from the 4th call to the 9th.
    const h = harness('HTTP_GET', { retry: 2, delayBeforeRetryMs: 3000 }, (n, url) => (url === 1 && n >= 3 && n < 9 ? DOWN : UP), { urls: 2 });
    h.runner.start();
    await h.run(100_000);
    expect(h.calls).toEqual([
      [1000, 0],
      [11_000, 1],
      [21_000, 0],
      [31_000, 1], // fails
      [34_000, 1], // retry 1
      [37_000, 1], // retry 2, fails: the count is above retry, down
      [47_000, 1], // down: every max(3 s, 10 s)
      [57_000, 1],
      [67_000, 1],
      [77_000, 1], // passes: every url again from the first
      [87_000, 0],
      [97_000, 1],
    ]);
    expect(h.changes).toEqual(['37000 down bad', '97000 up ok']);
  });

  it('with fast_recovery checks the urls at once while down or before the first result', async () => {
    const h = harness('HTTP_GET', { alpha: true }, () => UP, { urls: 3, fastRecovery: true });
    h.runner.start();
    await h.run(11_500);
    expect(times(h)).toEqual([1000, 1000, 1000, 11_000]);
    expect(h.changes).toEqual(['1000 up ok']);
  });
});

describe('attempts', () => {
  it('aborts a probe at timeoutMs and applies what it resolves with', async () => {
    const h = harness('TCP_CHECK', {}, (n) => (n === 0 ? 'hang' : UP));
    h.runner.start();
    await h.run(2000);
    expect(h.changes).toEqual(['1500 down aborted at 1500']);
    await h.run(12_000);
    expect(times(h)).toEqual([1000, 11_500]);
  });

  it('reschedules after delay_loop without a state change when the check could not start', async () => {
    const h = harness('TCP_CHECK', { retry: 0 }, (n) => (n === 0 ? { up: false, skip: true, detail: 'bind failed' } : UP));
    h.runner.start();
    await h.run(12_000);
    expect(times(h)).toEqual([1000, 11_000]);
    expect(h.changes).toEqual([]);
  });

  it('stop() cancels the next run and aborts the current one, ignoring its result', async () => {
    const h = harness('TCP_CHECK', {}, () => 'hang');
    h.runner.start();
    await h.run(1200);
    h.runner.stop();
    await h.run(20_000);
    expect(times(h)).toEqual([1000]);
    expect(h.changes).toEqual([]);
  });

  it('holds one timer per runner, so thousands can share a clock', async () => {
    const clock = new VirtualClock();
    let active = 0;
    const counting: Clock = {
      now: () => clock.now(),
      setTimer(ms, callback) {
        active++;
        let done = false;
        const timer: Timer = clock.setTimer(ms, () => {
          done = true;
          active--;
          callback();
        });
        return {
          cancel: () => {
            if (!done) active--;
            done = true;
            timer.cancel();
          },
        };
      },
    };
    let pending: (() => void)[] = [];
    const spec: RunnableSpec = {
      kind: 'TCP_CHECK',
      timing: { delayLoopMs: 1000, retry: 1, delayBeforeRetryMs: 1000, warmupMs: 1000, alpha: false, logAllFailures: false },
      timeoutMs: 5000,
      urls: 1,
      fastRecovery: false,
      baseWeight: 1,
      probe: () => new Promise((resolve) => pending.push(() => resolve(UP))),
    };
    const runners = Array.from({ length: 2000 }, (_, i) => new CheckRunner(spec, counting, { onChange: () => {} }, () => i / 2000));
    for (const r of runners) r.start();
    expect(active).toBe(2000);
    clock.runUntil(2000);
    // Every runner is in a probe: its only timer is the abort.
    expect(pending.length).toBe(2000);
    expect(active).toBe(2000);
    for (const resolve of pending) resolve();
    pending = [];
    await flush();
    expect(active).toBe(2000);
    for (const r of runners) r.stop();
    expect(active).toBe(0);
  });
});
