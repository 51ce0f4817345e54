/** Tracked scripts and weights (reference §5.6), in virtual time with a stand-in runner. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigText } from '../grammar/index.ts';
import { VirtualClock } from '../runtime/clock.ts';
import { contribution, effectivePriority, FileMonitor, fileContribution, ScriptMonitor, scriptSpecOf } from '../runtime/trackers.ts';

const AS_DAEMON = { security: false, defaultUserFailed: false };

describe('tracked scripts', () => {
  it('reads a vrrp_script as keepalived runs it: argv by its tokenizer, interval, timeout defaulting to it, rise, fall, init_fail', () => {
    const { config } = readConfigText(`vrrp_script chk {\n    script "/bin/sh -c 'test -f /run/ok'"\n    interval 2\n    rise 3\n    fall 2\n    init_fail\n}\n`, '/t/k.conf');
    expect(scriptSpecOf(config.children[0] as never, AS_DAEMON)).toEqual({ name: 'chk', command: { argv: ['/bin/sh', '-c', 'test -f /run/ok'] }, intervalMs: 2000, timeoutMs: 2000, rise: 3, fall: 2, initFail: true });
  });

  it('changes state after fall failures and rise successes in a row, running every interval', async () => {
    const clock = new VirtualClock();
    const results = [true, false, true, false, false, true, true];
    const runs: number[] = [];
    const changes: string[] = [];
    const monitor = new ScriptMonitor(
      { name: 'chk', command: { argv: ['x'] }, intervalMs: 1000, timeoutMs: 1000, rise: 2, fall: 2, initFail: false },
      clock,
      async () => {
        runs.push(clock.now());
        return results.shift() ?? true;
      },
      (up) => changes.push(`${clock.now()} ${up ? 'up' : 'down'}`),
    );
    monitor.start();
    for (let t = 0; t <= 8000; t += 1000) {
      clock.runUntil(t);
      await new Promise((r) => setImmediate(r));
    }
    expect(runs.slice(0, 7)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000]);
    expect(changes).toEqual(['4000 down', '6000 up']);
  });

  it('weighs trackers as keepalived does, reverse included, and clamps the priority to 1..254', () => {
    expect(contribution({ weight: 10, reverse: false }, true)).toBe(10);
    expect(contribution({ weight: 10, reverse: false }, false)).toBe(0);
    expect(contribution({ weight: 10, reverse: true }, true)).toBe(-10);
    expect(contribution({ weight: -30, reverse: false }, false)).toBe(-30);
    expect(contribution({ weight: -30, reverse: true }, false)).toBe(30);
    expect(contribution({ weight: -30, reverse: false }, true)).toBe(0);
    expect(contribution({ weight: 0, reverse: false }, false)).toBe('fault');
    expect(contribution({ weight: 0, reverse: true }, true)).toBe('fault');
    expect(effectivePriority(100, [-30, 10])).toBe(80);
    expect(effectivePriority(100, [-200])).toBe(1);
    expect(effectivePriority(250, [30])).toBe(254);
    expect(effectivePriority(255, [-30])).toBe(255);
    expect(effectivePriority(100, [0, 'fault'])).toBe('fault');
  });
});

describe('tracked files', () => {
  it('weighs the number in the file: value × weight, capped at 253, FAULT below -253 or for weight 0 and a non-zero value', () => {
    expect(fileContribution({ weight: 1, reverse: false }, 20)).toBe(20);
    expect(fileContribution({ weight: -30, reverse: false }, 1)).toBe(-30);
    expect(fileContribution({ weight: 10, reverse: true }, 2)).toBe(-20);
    expect(fileContribution({ weight: 100, reverse: false }, 5)).toBe(253);
    expect(fileContribution({ weight: -100, reverse: false }, 5)).toBe('fault');
    expect(fileContribution({ weight: 0, reverse: false }, 3)).toBe('fault');
    expect(fileContribution({ weight: 0, reverse: false }, 0)).toBe(0);
  });

  it('reads the file at start (init_file creating it) and again when it changes, as keepalived\'s strtol does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kalint-track-file-'));
    const path = join(dir, 'weight');
    const seen: number[] = [];
    const monitor = new FileMonitor(path, (v) => seen.push(v));
    monitor.start({ value: 5, overwrite: false });
    expect(readFileSync(path, 'utf8')).toBe('5\n');
    expect(monitor.value).toBe(5);
    writeFileSync(path, '-2\n');
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    await until(() => seen.includes(-2));
    expect(monitor.value).toBe(-2);
    // strtol(…, 0) as keepalived reads it: hex, octal, and no digits as 0; a number beyond 32 bits is ignored.
    writeFileSync(path, '0x10\n');
    await until(() => seen.includes(16));
    writeFileSync(path, '99999999999\n');
    writeFileSync(path, '010');
    await until(() => seen.includes(8));
    writeFileSync(path, 'not a number');
    await until(() => seen.includes(0));
    expect(seen).toEqual([-2, 16, 8, 0]);
    monitor.stop();
  });
});
