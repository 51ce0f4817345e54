/**
 * What the reader needs from the machine: files, directories, environment.
 * The CLI uses the real file system; the language server overlays open
 * editor buffers; tests use an in-memory tree.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { posix } from 'node:path';

export interface FileInfo {
  kind: 'file' | 'directory' | 'other';
  executable: boolean;
}

export interface Host {
  /** File contents, or an error message (keepalived's `strerror` text where we can). */
  readFile(path: string): Uint8Array | { error: string };
  /** Follows symbolic links, like stat(2); undefined when nothing is there. */
  stat(path: string): FileInfo | undefined;
  /** Names in a directory, undefined when it cannot be read. */
  readDir(path: string): string[] | undefined;
  cwd(): string;
  env(name: string): string | undefined;
  /** keepalived's default config id: the host name up to the first dot. */
  hostname(): string;
}

function errorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    default:
      return code ?? String(e);
  }
}

export function nodeHost(cwd = process.cwd()): Host {
  const abs = (p: string) => posix.resolve(cwd, p);
  return {
    readFile(path) {
      try {
        return readFileSync(abs(path));
      } catch (e) {
        return { error: errorText(e) };
      }
    },
    stat(path) {
      try {
        const s = statSync(abs(path));
        return { kind: s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other', executable: (s.mode & 0o111) !== 0 };
      } catch {
        return undefined;
      }
    },
    readDir(path) {
      try {
        return readdirSync(abs(path));
      } catch {
        return undefined;
      }
    },
    cwd: () => cwd,
    env: (name) => process.env[name],
    hostname: () => hostname(),
  };
}

export interface MemoryFile {
  text: string | Uint8Array;
  executable?: boolean;
}

/** An in-memory file tree: `{ '/etc/keepalived/keepalived.conf': 'global_defs {}' }`. */
export function memoryHost(files: Record<string, string | Uint8Array | MemoryFile>, cwd = '/', extra: Partial<Host> = {}): Host {
  const entries = new Map<string, MemoryFile>();
  const dirs = new Set<string>(['/']);
  for (const [p, v] of Object.entries(files)) {
    const full = posix.resolve(cwd, p);
    entries.set(full, typeof v === 'string' || v instanceof Uint8Array ? { text: v } : v);
    for (let d = posix.dirname(full); d !== '/'; d = posix.dirname(d)) dirs.add(d);
  }
  const abs = (p: string) => posix.resolve(cwd, p);
  return {
    readFile(path) {
      const full = abs(path);
      const f = entries.get(full);
      if (f) return typeof f.text === 'string' ? new TextEncoder().encode(f.text) : f.text;
      return { error: dirs.has(full) ? 'Is a directory' : 'No such file or directory' };
    },
    stat(path) {
      const full = abs(path);
      const f = entries.get(full);
      if (f) return { kind: 'file', executable: f.executable ?? false };
      if (dirs.has(full)) return { kind: 'directory', executable: true };
      return undefined;
    },
    readDir(path) {
      const full = abs(path);
      if (!dirs.has(full)) return undefined;
      const names = new Set<string>();
      for (const p of [...entries.keys(), ...dirs]) {
        if (p !== full && posix.dirname(p) === full) names.add(posix.basename(p));
      }
      return [...names];
    },
    cwd: () => cwd,
    env: () => undefined,
    hostname: () => 'localhost',
    ...extra,
  };
}

/**
 * A host in which absolute paths name files below `root`: `/etc/keepalived/x.conf`
 * reads `<root>/etc/keepalived/x.conf`. For checking a checkout of a machine's /etc,
 * whose includes name absolute paths. Relative paths are relative to `cwd`, itself
 * a path inside the root.
 */
export function rootedHost(base: Host, root: string, cwd = '/'): Host {
  const real = (p: string) => posix.join(root, posix.resolve(cwd, p));
  return {
    readFile: (p) => base.readFile(real(p)),
    stat: (p) => base.stat(real(p)),
    readDir: (p) => base.readDir(real(p)),
    cwd: () => cwd,
    env: (name) => base.env(name),
    hostname: () => base.hostname(),
  };
}
