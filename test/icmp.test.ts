/**
 * PING_CHECK's socket (runtime/check/icmp-socket.ts on the addon's ICMP
 * channels) in two network namespaces joined by a veth pair (a prefix unique
 * to the run, removed afterwards): echoes answered over IPv4 and IPv6, unused
 * addresses timing out, aborts, destination unreachables from the target,
 * send errors, and no socket left open whichever way an attempt ends. The
 * TypeScript runs, bundled by esbuild, in a node process inside namespace A.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namespaceUnavailable } from './helpers/netns.ts';

const ROOT = join(import.meta.dirname, '..');
const ADDON = join(ROOT, 'build/Release/vrrp_io.node');
const unavailable = namespaceUnavailable();

const P = `icmp${process.pid.toString(36)}`;
const ns = (node: 'a' | 'b') => `${P}-${node}`;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe', encoding: 'utf8' });

/**
 * Runs the attempts of argv[2] at once and prints what each ended with ('reply', 'unreachable', 'none' for
 * undefined, or the error) and after how long, with the open descriptors before, while they run, and after.
 */
const DRIVER = `
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { addonIcmpEcho } from './runtime/check/icmp-socket.ts';
import { classifyIcmp, echoRequest } from './runtime/check/ping.ts';
import type { IcmpIo } from './runtime/io.ts';

interface Attempt { address: string; family: 4 | 6; timeoutMs: number; abortMs?: number }
const io = createRequire(import.meta.url)(process.env.KALINT_ADDON!) as IcmpIo;
const echo = addonIcmpEcho(io);
const fds = () => readdirSync('/proc/self/fd').length;

async function attempt(a: Attempt, id: number) {
  const controller = new AbortController();
  if (a.abortMs === 0) controller.abort();
  else if (a.abortMs !== undefined) setTimeout(() => controller.abort(), a.abortMs);
  const started = Date.now();
  const result = await echo(a.address, a.family, echoRequest(a.family, id, 1), (m) => classifyIcmp(a.family, m, id, 1) !== undefined, a.timeoutMs, controller.signal).then(
    (reply) => (reply ? classifyIcmp(a.family, reply, id, 1) : 'none'),
    (e: Error) => 'error: ' + e.message,
  );
  return { result, ms: Date.now() - started };
}

const before = fds();
const running = (JSON.parse(process.argv[2]!) as Attempt[]).map((a, i) => attempt(a, 0x4b00 + i));
const during = fds();
const results = await Promise.all(running);
console.log(JSON.stringify({ results, before, during, after: fds() }));
`;

interface Attempt {
  address: string;
  family: 4 | 6;
  timeoutMs: number;
  /** Abort after this long; 0: abort before the attempt starts. */
  abortMs?: number;
}

interface Run {
  results: { result: string; ms: number }[];
  before: number;
  during: number;
  after: number;
}

describe.skipIf(!!unavailable)('the addon\'s ICMP socket in network namespaces', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kalint-icmp-'));
  const driver = join(dir, 'driver.mjs');

  /** The attempts, run at once in namespace A. */
  const attempts = (list: Attempt[]): Run =>
    JSON.parse(
      execFileSync('ip', ['netns', 'exec', ns('a'), process.execPath, driver, JSON.stringify(list)], {
        encoding: 'utf8',
        timeout: 20_000,
        env: { ...process.env, KALINT_ADDON: ADDON },
      }),
    ) as Run;

  beforeAll(async () => {
    await build({ stdin: { contents: DRIVER, resolveDir: ROOT, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: driver, logLevel: 'silent' });
    for (const n of ['a', 'b'] as const) ip('netns', 'add', ns(n));
    ip('link', 'add', `${P}a`, 'netns', ns('a'), 'type', 'veth', 'peer', 'name', `${P}b`, 'netns', ns('b'));
    ['a', 'b'].forEach((n, i) => {
      const name = ns(n as 'a' | 'b');
      ip('-n', name, 'link', 'set', 'dev', `${P}${n}`, 'name', 'eth0');
      ip('-n', name, 'addr', 'add', `10.99.0.${i + 1}/24`, 'dev', 'eth0');
      ip('-n', name, 'addr', 'add', `fd00:99::${i + 1}/64`, 'dev', 'eth0', 'nodad');
      ip('-n', name, 'link', 'set', 'dev', 'lo', 'up');
      ip('-n', name, 'link', 'set', 'dev', 'eth0', 'up');
    });
    // .4 on B refuses echoes with an administratively prohibited, sent from .4 itself.
    ip('-n', ns('b'), 'addr', 'add', '10.99.0.4/24', 'dev', 'eth0');
    ip('-n', ns('b'), 'addr', 'add', 'fd00:99::4/64', 'dev', 'eth0', 'nodad');
    execFileSync('ip', ['netns', 'exec', ns('b'), 'nft', '-f', '-'], {
      input: `table inet refuse {
        chain input {
          type filter hook input priority 0;
          ip daddr 10.99.0.4 icmp type echo-request reject with icmp type admin-prohibited
          ip6 daddr fd00:99::4 icmpv6 type echo-request reject with icmpv6 type admin-prohibited
        }
      }`,
    });
  }, 30_000);

  afterAll(() => {
    for (const n of ['a', 'b'] as const) spawnSync('ip', ['netns', 'del', ns(n)]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('echoes to the peer are answered over IPv4 and IPv6, several at once, each on its own socket', () => {
    const run = attempts([
      { address: '10.99.0.2', family: 4, timeoutMs: 5000 },
      { address: '10.99.0.2', family: 4, timeoutMs: 5000 },
      { address: 'fd00:99::2', family: 6, timeoutMs: 5000 },
      // Written otherwise than the kernel writes the source of the reply.
      { address: 'fd00:0099:0:0::2', family: 6, timeoutMs: 5000 },
    ]);
    expect(run.results.map((r) => r.result)).toEqual(['reply', 'reply', 'reply', 'reply']);
    expect(run.during).toBe(run.before + 4);
    expect(run.after).toBe(run.before);
  });

  it('an echo to an unused address of the subnet ends with undefined after the timeout', () => {
    const run = attempts([
      { address: '10.99.0.3', family: 4, timeoutMs: 400 },
      { address: 'fd00:99::3', family: 6, timeoutMs: 400 },
    ]);
    for (const r of run.results) {
      expect(r.result).toBe('none');
      expect(r.ms).toBeGreaterThanOrEqual(390);
      expect(r.ms).toBeLessThan(2000);
    }
    expect(run.during).toBe(run.before + 2);
    expect(run.after).toBe(run.before);
  });

  it('an abort ends the attempt with undefined at once; an aborted signal opens nothing', () => {
    const run = attempts([
      { address: '10.99.0.3', family: 4, timeoutMs: 10_000, abortMs: 100 },
      { address: 'fd00:99::3', family: 6, timeoutMs: 10_000, abortMs: 100 },
      { address: '10.99.0.2', family: 4, timeoutMs: 10_000, abortMs: 0 },
    ]);
    expect(run.results.map((r) => r.result)).toEqual(['none', 'none', 'none']);
    expect(run.results.every((r) => r.ms < 1000)).toBe(true);
    expect(run.during).toBe(run.before + 2);
    expect(run.after).toBe(run.before);
  });

  it('a destination unreachable from the target comes through, IPv4 header stripped', () => {
    const run = attempts([
      { address: '10.99.0.4', family: 4, timeoutMs: 5000 },
      { address: 'fd00:99::4', family: 6, timeoutMs: 5000 },
    ]);
    expect(run.results.map((r) => r.result)).toEqual(['unreachable', 'unreachable']);
    expect(run.after).toBe(run.before);
  });

  it('a refused send and an address of the other family fail the attempt and leave nothing open', () => {
    // Namespace A has no default route: these never leave it.
    const run = attempts([
      { address: '192.0.2.1', family: 4, timeoutMs: 5000 },
      { address: '2001:db8::1', family: 6, timeoutMs: 5000 },
      { address: '10.99.0.2', family: 6, timeoutMs: 5000 },
    ]);
    expect(run.results.map((r) => r.result)).toEqual(['error: sendto: Network is unreachable', 'error: sendto: Network is unreachable', expect.stringMatching(/^error: /)]);
    expect(run.during).toBe(run.before);
    expect(run.after).toBe(run.before);
  });
});
