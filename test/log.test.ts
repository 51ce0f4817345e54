/** Logging as keepalived does: syslog datagrams with its facility and ident, the console with -l. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadVrrpIo } from '../runtime/io.ts';
import { LOG_ERR, logger, syslogMessage } from '../runtime/log.ts';

const scratch: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A syslog daemon's socket, played by python3: resolves with the first `count` datagrams it receives. */
async function syslogListener(count: number): Promise<{ path: string; received: Promise<string[]> }> {
  const dir = mkdtempSync(join(tmpdir(), 'kalint-syslog-'));
  scratch.push(dir);
  const path = join(dir, 'log');
  const script = `import socket,sys\ns=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind(sys.argv[1])\nprint('ready',flush=True)\nfor _ in range(${count}): print(s.recv(4096).decode().replace('\\n','\\\\n'),flush=True)\n`;
  const child = spawn('python3', ['-c', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let ready!: () => void;
  const started = new Promise<void>((r) => (ready = r));
  const received = new Promise<string[]>((resolve) => {
    let buffer = '';
    child.stdout.on('data', (d) => {
      buffer += d;
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const p of parts) (p === 'ready' ? ready() : lines.push(p));
      if (lines.length === count) resolve(lines);
    });
  });
  await started;
  return { path, received };
}

describe('syslog', () => {
  it("formats datagrams as syslog(3) does, with keepalived's facility and ident", () => {
    const when = new Date(2026, 10, 4, 9, 5, 7);
    expect(syslogMessage(undefined, 6, 'Keepalived_vrrp', 42, '(VI_1) Entering MASTER STATE', when)).toBe('<30>Nov  4 09:05:07 Keepalived_vrrp[42]: (VI_1) Entering MASTER STATE');
    expect(syslogMessage(3, LOG_ERR, 'Keepalived_vrrp', 42, 'x', when)).toBe('<155>Nov  4 09:05:07 Keepalived_vrrp[42]: x');
  });

  it('sends them to the syslog socket through the native I/O, facility local0..7 with --log-facility', async () => {
    const { path, received } = await syslogListener(2);
    const io = loadVrrpIo();
    const log = logger({ console: false, syslogSocket: path, facility: 2 }, (socket, datagram) => io.syslog(socket, datagram));
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    log('(VI_1) Entering MASTER STATE');
    log('cannot open it', LOG_ERR);
    expect(await received).toEqual([
      expect.stringMatching(new RegExp(`^<150>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d Keepalived_vrrp\\[${process.pid}\\]: \\(VI_1\\) Entering MASTER STATE$`)),
      expect.stringMatching(/^<147>.*: cannot open it$/),
    ]);
    expect(stdout).not.toHaveBeenCalled();
  });

  it('falls back to the console, saying so once, when no syslog daemon listens', () => {
    const io = loadVrrpIo();
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const log = logger({ console: false, syslogSocket: '/nonexistent/kalint/log' }, (socket, datagram) => io.syslog(socket, datagram));
    log('one');
    log('two');
    expect(stderr).toHaveBeenCalledTimes(1);
    expect(String(stderr.mock.calls[0]![0])).toContain('cannot log to /nonexistent/kalint/log: /nonexistent/kalint/log: No such file or directory; logging to the console');
    expect(stdout.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/Keepalived_vrrp\[\d+\]: one\n$/), expect.stringMatching(/: two\n$/)]);
  });
});

describe('kalint run logging flags', () => {
  it('refuses a facility outside local0..local7', () => {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '../bin/kalint.js'), 'run', '-f', '/dev/null', '-S', '9'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--log-facility needs 0..7 (local0..local7)');
  });
});
