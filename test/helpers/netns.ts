/**
 * Throw-away network namespaces for tests that run keepalived: each has
 * loopback and an `eth0` (one end of a veth pair), and is deleted afterwards.
 */
import { execFileSync, spawnSync } from 'node:child_process';

export interface Namespace {
  name: string;
  /** Interface names inside the namespace. */
  interfaces(): Set<string>;
  /** Runs a command inside the namespace. */
  run(cmd: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string };
  remove(): void;
}

let counter = 0;

export function createNamespace(prefix = 'kalint'): Namespace {
  const id = `${process.pid.toString(36)}${(counter++).toString(36)}`;
  const name = `${prefix}-${id}`;
  const hostSide = `kl${id}`.slice(0, 15);
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  ip('netns', 'add', name);
  try {
    ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name);
    ip('-n', name, 'link', 'set', 'lo', 'up');
    ip('-n', name, 'link', 'set', 'eth0', 'up');
  } catch (e) {
    spawnSync('ip', ['netns', 'del', name]);
    throw e;
  }
  return {
    name,
    interfaces() {
      const out = execFileSync('ip', ['-n', name, '-o', 'link', 'show'], { encoding: 'utf8' });
      return new Set([...out.matchAll(/^\d+: ([^:@]+)/gm)].map((m) => m[1]!));
    },
    run(cmd, args, cwd) {
      const r = spawnSync('ip', ['netns', 'exec', name, cmd, ...args], { cwd, encoding: 'utf8', timeout: 20_000 });
      return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    },
    remove() {
      spawnSync('ip', ['link', 'del', hostSide]);
      spawnSync('ip', ['netns', 'del', name]);
    },
  };
}

/** Why the machine cannot host namespace tests, or undefined when it can. */
export function namespaceUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  if (spawnSync('ip', ['-V']).status !== 0) return 'needs iproute2 (ip)';
  if (spawnSync('keepalived', ['--version']).error) return 'needs keepalived (apt-get install keepalived)';
  return undefined;
}

/** The installed keepalived's release, e.g. `2.2.7`. */
export function keepalivedVersion(): string {
  const out = spawnSync('keepalived', ['--version'], { encoding: 'utf8' });
  const m = /Keepalived v(\d+\.\d+\.\d+)/.exec(`${out.stdout}${out.stderr}`);
  if (!m) throw new Error('cannot tell the keepalived version');
  return m[1]!;
}
