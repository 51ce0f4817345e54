/**
 * TCP_CHECK on the addon's non-blocking connect (tcpConnect in
 * runtime/addon/vrrp_io.c, addonTcpConnect in runtime/check/tcp.ts): against
 * listeners on 127.0.0.1, how keepalived's outcomes come out of it (opened,
 * refused, bind failures rescheduled), cancelling, and the checkers' wiring.
 * In a network namespace of its own (a prefix unique to the run, removed
 * afterwards), where 10.97.0.2 and fd00:97::2 sit on a veth pair with nothing
 * behind them: timeouts, aborts, cancels, 1,000 connects at once, and no
 * socket left open whichever way an attempt ends. The TypeScript runs there,
 * bundled by esbuild, in a node process of its own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Block, model, readConfigText } from '../grammar/index.ts';
import { checkersOf } from '../runtime/check/spec.ts';
import { addonTcpConnect, type TcpConnect, tcpProbe } from '../runtime/check/tcp.ts';
import type { Outcome, Target } from '../runtime/check/types.ts';
import { loadVrrpIo } from '../runtime/io.ts';

const ROOT = join(import.meta.dirname, '..');
const ADDON = join(ROOT, 'build/Release/vrrp_io.node');

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

const never = new AbortController().signal;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A system error as Node and the addon throw them. */
const systemError = (syscall: string, code: string) => Object.assign(new Error(`${syscall}: ${code}`), { syscall, code });

describe('tcpProbe on an injected connect', () => {
  const target: Target = { host: '10.0.0.2', family: 4, port: 80 };
  const probe = (connect: TcpConnect) => tcpProbe({ target, timeoutMs: 1000, connect }, never);

  it('follows what the connect reports, and cancels it when it is over', async () => {
    const cancelled: string[] = [];
    const reporting = (error: string): TcpConnect => (_target, onDone) => {
      setTimeout(() => onDone(error), 1);
      return () => cancelled.push(error || 'ok');
    };
    expect(await probe(reporting(''))).toEqual({ up: true, detail: 'TCP connection to 10.0.0.2:80 success' });
    expect(await probe(reporting('ECONNREFUSED'))).toEqual({ up: false, detail: 'TCP connection to 10.0.0.2:80 failed (ECONNREFUSED)' });
    // keepalived counts every error found once the connect is under way as a failure.
    expect(await probe(reporting('EADDRNOTAVAIL'))).toEqual({ up: false, detail: 'TCP connection to 10.0.0.2:80 failed (EADDRNOTAVAIL)' });
    expect(cancelled).toEqual(['ok', 'ECONNREFUSED', 'EADDRNOTAVAIL']);
  });

  it('sorts what fails before the connect is under way as keepalived does: its connect failures fail, the rest reschedules', async () => {
    const throwing = (e: Error): TcpConnect => () => {
      throw e;
    };
    expect(await probe(throwing(systemError('connect', 'ECONNREFUSED')))).toEqual({ up: false, detail: 'TCP connection to 10.0.0.2:80 failed (ECONNREFUSED)' });
    expect(await probe(throwing(systemError('connect', 'ENETUNREACH')))).toMatchObject({ up: false, detail: expect.stringMatching(/failed \(ENETUNREACH\)/) });
    expect(await probe(throwing(systemError('connect', 'EPERM')))).toEqual({ up: false, skip: true, detail: 'TCP socket bind failed (EPERM), rescheduling' });
    expect(await probe(throwing(systemError('bind', 'EADDRINUSE')))).toMatchObject({ up: false, skip: true });
    expect(await probe(throwing(systemError('socket', 'EMFILE')))).toMatchObject({ up: false, skip: true });
    // Not a system error: a failure that says what went wrong.
    expect(await probe(throwing(new TypeError('bad address')))).toEqual({ up: false, detail: 'bad address' });
  });

  it('is what TCP_CHECK runs on when the checkers are given one', async () => {
    const { config } = readConfigText('virtual_server 10.0.0.1 80 {\n lvs_method NAT\n protocol TCP\n real_server 10.0.0.2 8080 {\n  TCP_CHECK {\n   bindto 10.0.0.9\n   bind_port 4000\n  }\n }\n}\n', '/t/keepalived.conf');
    const vs = config.children.find((n): n is Block => n.type === 'Block' && n.blockId === 'virtual_server')!;
    const service = model.serviceOf(vs, config)!;
    const seen: Target[] = [];
    const tcpConnect: TcpConnect = (t, onDone) => {
      seen.push(t);
      setImmediate(() => onDone(''));
      return () => {};
    };
    const [checker] = checkersOf(service.realServers[0]!.node as Block, service, service.realServers[0]!, config, { scriptPolicy: { security: false, defaultUserFailed: false }, tcpConnect }).checkers;
    expect(await checker!.probe(never)).toEqual({ up: true, detail: 'TCP connection to 10.0.0.2:8080 success' });
    expect(seen).toEqual([{ host: '10.0.0.2', family: 4, port: 8080, localAddress: '10.0.0.9', localPort: 4000 }]);
  });
});

describe.skipIf(!existsSync(ADDON))('the addon\'s TCP connect on 127.0.0.1', () => {
  const io = existsSync(ADDON) ? loadVrrpIo() : undefined!;
  const connect = existsSync(ADDON) ? addonTcpConnect(io) : undefined!;
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  let port = 0;
  beforeAll(async () => (port = await listen(server)));
  afterAll(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const probe = (target: Target) => tcpProbe({ target, timeoutMs: 2000, connect }, never);

  it('is up when the connection opens, and connects from bindto and bind_port', async () => {
    expect(await probe({ host: '127.0.0.1', family: 4, port })).toEqual({ up: true, detail: `TCP connection to 127.0.0.1:${port} success` });
    const seen = new Promise<string>((resolve) => server.on('connection', (s: Socket) => s.remoteAddress === '127.0.0.2' && resolve(`${s.remoteAddress}:${s.remotePort}`)));
    const free = await closedPort();
    expect(await probe({ host: '127.0.0.1', family: 4, port, localAddress: '127.0.0.2', localPort: free })).toMatchObject({ up: true });
    expect(await seen).toBe(`127.0.0.2:${free}`);
  });

  it('is down when the connection is refused', async () => {
    expect(await probe({ host: '127.0.0.1', family: 4, port: await closedPort() })).toEqual({ up: false, detail: expect.stringMatching(/^TCP connection to 127\.0\.0\.1:\d+ failed \(ECONNREFUSED\)$/) });
  });

  it('reports a bindto the host does not have as a check that could not run, thrown by bind', async () => {
    expect(await probe({ host: '127.0.0.1', family: 4, port, localAddress: '192.0.2.1' })).toEqual({ up: false, skip: true, detail: 'TCP socket bind failed (EADDRNOTAVAIL), rescheduling' });
    expect(() => io.tcpConnect(4, '127.0.0.1', port, '192.0.2.1', 0, () => {})).toThrow(expect.objectContaining({ code: 'EADDRNOTAVAIL', syscall: 'bind' }));
  });

  it('calls back once, or never once cancelled; cancelling an ended connect does nothing', async () => {
    const calls: string[] = [];
    const ended = io.tcpConnect(4, '127.0.0.1', port, '', 0, (e) => calls.push(`ended ${e}`));
    const cancelled = io.tcpConnect(4, '127.0.0.1', port, '', 0, (e) => calls.push(`cancelled ${e}`));
    io.tcpCancel(cancelled);
    await sleep(100);
    io.tcpCancel(ended);
    io.tcpCancel(cancelled);
    await sleep(50);
    expect(calls).toEqual(['ended ']);
  });

  it('refuses arguments it cannot use, and handles of the other kind', () => {
    expect(() => io.tcpConnect(4, '::1', port, '', 0, () => {})).toThrow(TypeError);
    expect(() => io.tcpConnect(6, '::1', 70_000, '', 0, () => {})).toThrow(TypeError);
    expect(() => io.tcpConnect(4, '127.0.0.1', port, '', 0, undefined as never)).toThrow(TypeError);
    expect(() => io.tcpCancel({})).toThrow(TypeError);
    const channel = io.watchLinks(() => {});
    try {
      expect(() => io.tcpCancel(channel)).toThrow(TypeError);
    } finally {
      io.close(channel);
    }
    const connection = io.tcpConnect(4, '127.0.0.1', port, '', 0, () => {});
    try {
      expect(() => io.close(connection)).toThrow('not an open channel');
    } finally {
      io.tcpCancel(connection);
    }
  });
});

const P = `tcp${process.pid.toString(36)}`;

/**
 * One scenario (argv[2], with argv[3] as its JSON argument), printed as JSON with the open descriptors before,
 * right after starting (nothing has ended yet: results come from the event loop) and after.
 */
const DRIVER = `
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { addonTcpConnect, tcpProbe } from './runtime/check/tcp.ts';
import type { TcpIo } from './runtime/io.ts';

interface Attempt { host: string; family: 4 | 6; port: number; timeoutMs: number; abortMs?: number }
const connect = addonTcpConnect(createRequire(import.meta.url)(process.env.KALINT_ADDON!) as TcpIo);
const fds = () => readdirSync('/proc/self/fd').length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function attempt(a: Attempt) {
  const controller = new AbortController();
  if (a.abortMs === 0) controller.abort();
  else if (a.abortMs !== undefined) setTimeout(() => controller.abort(), a.abortMs);
  const started = Date.now();
  const outcome = await tcpProbe({ target: { host: a.host, family: a.family, port: a.port }, timeoutMs: a.timeoutMs, connect }, controller.signal);
  return { ...outcome, ms: Date.now() - started };
}

const [scenario, arg] = [process.argv[2], JSON.parse(process.argv[3] ?? 'null')];
// libuv opens one descriptor for a loop's first stream and keeps it (its EMFILE reserve): not the counts' business.
await new Promise((resolve) => connect({ host: '127.0.0.1', family: 4, port: 1 }, resolve));
if (scenario === 'attempts') {
  const before = fds();
  const running = (arg as Attempt[]).map(attempt);
  const during = fds();
  const results = await Promise.all(running);
  console.log(JSON.stringify({ results, before, during, after: fds() }));
} else if (scenario === 'cancel') {
  // Two connects: one cancelled, the other left to the ARP failure (about 3 s), which ends it with EHOSTUNREACH.
  const called: string[] = [];
  const control: string[] = [];
  const before = fds();
  const cancel = connect({ host: '10.97.0.2', family: 4, port: 80 }, (e) => called.push(e));
  connect({ host: '10.97.0.2', family: 4, port: 81 }, (e) => control.push(e));
  const during = fds();
  await sleep(50);
  cancel();
  const cancelled = fds();
  await sleep(4000);
  cancel();
  console.log(JSON.stringify({ called, control, before, during, cancelled, after: fds() }));
} else if (scenario === 'many') {
  // The listeners are another process, so that their sockets are not counted here.
  const child = spawn(process.execPath, ['-e', \`
    const net = require('node:net');
    // A connection the client has already closed can report its reset here first: not a failure of the test.
    const s = net.createServer({ pauseOnConnect: true }, (c) => c.on('error', () => {}).destroy());
    // As a string: with FORCE_COLOR (CI) console.log paints numbers.
    s.listen(0, '127.0.0.1', 4096, () => console.log(String(s.address().port)));
  \`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = Number(await new Promise<string>((r) => createInterface({ input: child.stdout! }).once('line', r)));
  const before = fds();
  const running = Array.from({ length: arg as number }, () => attempt({ host: '127.0.0.1', family: 4, port, timeoutMs: 10_000 }));
  const during = fds();
  const results = await Promise.all(running);
  const after = fds();
  child.kill();
  console.log(JSON.stringify({ up: results.filter((r) => r.up).length, failures: [...new Set(results.filter((r) => !r.up).map((r) => r.detail))], before, during, after }));
}
`;

interface Attempt {
  host: string;
  family: 4 | 6;
  port: number;
  timeoutMs: number;
  /** Abort after this long; 0: abort before the attempt starts. */
  abortMs?: number;
}

interface Counts {
  before: number;
  during: number;
  after: number;
}

describe.skipIf(process.getuid?.() !== 0 || !existsSync(ADDON))('the addon\'s TCP connect in a network namespace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kalint-tcp-'));
  const driver = join(dir, 'driver.mjs');
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  const scenario = <T>(name: string, arg?: unknown): T =>
    JSON.parse(
      execFileSync('ip', ['netns', 'exec', P, process.execPath, driver, name, JSON.stringify(arg ?? null)], {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, KALINT_ADDON: ADDON },
      }),
    ) as T;
  const attempts = (list: Attempt[]) => scenario<Counts & { results: (Outcome & { ms: number })[] }>('attempts', list);

  beforeAll(async () => {
    await build({ stdin: { contents: DRIVER, resolveDir: ROOT, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: driver, logLevel: 'silent' });
    ip('netns', 'add', P);
    // Both ends of the pair in the namespace; the far one has no address, so nothing answers 10.97.0.2 or fd00:97::2.
    ip('-n', P, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'far');
    ip('-n', P, 'addr', 'add', '10.97.0.1/24', 'dev', 'eth0');
    ip('-n', P, 'addr', 'add', 'fd00:97::1/64', 'dev', 'eth0', 'nodad');
    for (const dev of ['lo', 'eth0', 'far']) ip('-n', P, 'link', 'set', 'dev', dev, 'up');
  }, 30_000);

  afterAll(() => {
    spawnSync('ip', ['netns', 'del', P]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('times out against an address where nothing answers, over IPv4 and IPv6, each attempt on its own socket', () => {
    const run = attempts([
      { host: '10.97.0.2', family: 4, port: 80, timeoutMs: 400 },
      { host: 'fd00:97::2', family: 6, port: 80, timeoutMs: 400 },
    ]);
    for (const r of run.results) {
      expect(r).toMatchObject({ up: false, detail: expect.stringMatching(/^TCP connection to .* timeout$/) });
      expect(r.ms).toBeGreaterThanOrEqual(390);
      expect(r.ms).toBeLessThan(2000);
    }
    expect(run.during).toBe(run.before + 2);
    expect(run.after).toBe(run.before);
  });

  it('ends at once on an abort; an aborted signal closes its socket before anything else runs', () => {
    const run = attempts([
      { host: '10.97.0.2', family: 4, port: 80, timeoutMs: 10_000, abortMs: 100 },
      { host: 'fd00:97::2', family: 6, port: 80, timeoutMs: 10_000, abortMs: 100 },
      { host: '10.97.0.2', family: 4, port: 80, timeoutMs: 10_000, abortMs: 0 },
    ]);
    expect(run.results.map((r) => r.detail)).toEqual(['TCP connection to 10.97.0.2:80 timeout', 'TCP connection to fd00:97::2:80 timeout', 'TCP connection to 10.97.0.2:80 timeout']);
    expect(run.results.every((r) => r.ms < 1000)).toBe(true);
    expect(run.during).toBe(run.before + 2);
    expect(run.after).toBe(run.before);
  });

  it('leaves nothing open when a connect fails at once or cannot start', () => {
    // No route: connect() fails at once with ENETUNREACH, which keepalived counts as a failed check.
    const run = attempts([
      { host: '192.0.2.1', family: 4, port: 80, timeoutMs: 1000 },
      { host: '127.0.0.1', family: 4, port: 1, timeoutMs: 1000 },
    ]);
    expect(run.results.map((r) => r.detail)).toEqual(['TCP connection to 192.0.2.1:80 failed (ENETUNREACH)', 'TCP connection to 127.0.0.1:1 failed (ECONNREFUSED)']);
    expect(run.after).toBe(run.before);
  });

  it('a cancel closes the socket, and its callback never comes, while an uncancelled connect ends with the ARP failure', () => {
    const run = scenario<Counts & { called: string[]; control: string[]; cancelled: number }>('cancel');
    expect(run).toEqual({ called: [], control: ['EHOSTUNREACH'], before: run.before, during: run.before + 2, cancelled: run.before + 1, after: run.before });
  });

  it('runs 1,000 connects at once to a listener, each with its socket, all closed once they end', () => {
    const run = scenario<Counts & { up: number; failures: string[] }>('many', 1000);
    expect(run.failures).toEqual([]);
    expect(run.up).toBe(1000);
    expect(run.during).toBe(run.before + 1000);
    expect(run.after).toBe(run.before);
  }, 30_000);
});
