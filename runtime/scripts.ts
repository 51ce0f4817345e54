/**
 * The commands of script keywords as keepalived runs them: argv from its
 * script tokenizer, the user they run as, the checks of
 * `check_script_secure` (core/notify.c) made when a configuration is loaded,
 * and running them without a shell.
 */
import { spawn } from 'node:child_process';
import { lstatSync, readFileSync, realpathSync, type Stats, statSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { commandArgs, type model, type Statement } from '../grammar/index.ts';

export interface UserId {
  uid: number;
  gid: number;
}

export interface ScriptCommand {
  argv: string[];
  /** Who runs it; absent: the daemon's own user. */
  user?: UserId;
  /** `<FILE` commands only test that FILE opens: keepalived hands them to the shell (`system()`). */
  shell?: boolean;
}

/** A user (and group) by name or number, from /etc/passwd and /etc/group as keepalived's getpwnam/getgrnam see them. */
export function resolveUser(user: string, group?: string): UserId | undefined {
  const lookup = (file: string, name: string) => {
    if (/^\d+$/.test(name)) return file === '/etc/passwd' ? [name, 'x', name, name] : [name, 'x', name];
    try {
      return readFileSync(file, 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[0] === name);
    } catch {
      return undefined;
    }
  };
  const pw = lookup('/etc/passwd', user);
  if (!pw) return undefined;
  // A leading ':' asks for the supplementary groups too; the primary group is the same.
  const groupName = group?.replace(/^:/, '');
  const gr = groupName ? lookup('/etc/group', groupName) : undefined;
  if (groupName && !gr) return undefined;
  return { uid: Number(pw[2]), gid: Number(gr ? gr[2] : pw[3]) };
}

/** Who runs scripts that name no user (keepalived's get_default_script_user), and whether scripts are checked strictly. */
export interface ScriptPolicy {
  security: boolean;
  /** undefined: the daemon's own user. */
  defaultUser?: UserId;
  /** The default user could not be set: scripts without a user of their own are removed. */
  defaultUserFailed: boolean;
  /** How user names are looked up (the system's passwd and group files by default). */
  users?: typeof resolveUser;
}

/** global_defs' `script_user` and `enable_script_security`; without script_user, `keepalived_script` when it exists. */
export function scriptPolicy(globals: model.GlobalDefs, log: (line: string) => void, users: typeof resolveUser = resolveUser): ScriptPolicy {
  const security = globals.has('enable_script_security');
  const set = globals.statement('script_user');
  if (set) {
    const name = String(set.params['user']);
    const user = users(name, set.params['group'] as string | undefined);
    if (!user) log(`Script user '${name}' does not exist`);
    return user ? { security, defaultUser: user, defaultUserFailed: false, users } : { security, defaultUserFailed: true, users };
  }
  const fallback = users('keepalived_script');
  if (fallback) return { security, defaultUser: fallback, defaultUserFailed: false, users };
  if (security) {
    log('Unable to set default user keepalived_script for script');
    return { security, defaultUserFailed: true, users };
  }
  return { security, defaultUserFailed: false, users };
}

/** A script keyword's argv: its first word split as keepalived splits a command line. */
export function commandArgv(statement: Statement | undefined): string[] | undefined {
  const text = statement?.words[0]?.text;
  return text === undefined ? undefined : commandArgs(text)?.map((a) => a.text);
}

/**
 * A script keyword's command: word 1 split into argv, then the user of words
 * 2 and 3 (or of vrrp_script's `user` keyword, given as `ownUser`), else the
 * policy's default user. Undefined when there is nothing to run or the user
 * does not exist.
 */
export function commandOf(statement: Statement | undefined, policy: ScriptPolicy, log: (line: string) => void, ownUser?: Statement): ScriptCommand | undefined {
  const argv = commandArgv(statement);
  if (!argv?.length) return undefined;
  const userStatement = ownUser ?? (statement?.params['user'] !== undefined ? statement : undefined);
  if (userStatement) {
    const name = String(userStatement.params['user']);
    const user = (policy.users ?? resolveUser)(name, userStatement.params['group'] as string | undefined);
    if (!user) {
      log(`Script user '${name}' does not exist`);
      return undefined;
    }
    return { argv, user };
  }
  if (policy.defaultUserFailed) return undefined;
  return policy.defaultUser ? { argv, user: policy.defaultUser } : { argv };
}

/** `found`: the script file exists, which is what keepalived's SECURITY VIOLATION counts. */
export type ScriptVerdict =
  | { runs: true; command: ScriptCommand; found: boolean; insecure: boolean }
  | { runs: false; reason: 'insecure' | 'not-found' | 'not-executable'; found: boolean };

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
};

const S_ISUID = 0o4000;
const S_ISGID = 0o2000;
const S_ISVTX = 0o1000;

/** keepalived's is_executable: root may run anything with an x bit; others by owner, group or other bits. */
function isExecutable(st: Stats, user: UserId): boolean {
  if (user.uid === 0) return (st.mode & 0o111) !== 0;
  if (user.uid === st.uid) return (st.mode & 0o100) !== 0;
  return user.gid === st.gid ? (st.mode & 0o010) !== 0 : (st.mode & 0o001) !== 0;
}

/** keepalived's find_path: the first executable regular file of that name along PATH. */
function findInPath(name: string, user: UserId): string | undefined {
  for (const dir of (process.env['PATH'] ?? '/usr/bin:/bin').split(delimiter)) {
    const candidate = resolve(dir || '.', name);
    try {
      const st = statSync(candidate);
      if (st.isFile() && isExecutable(st, user)) return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/**
 * keepalived's check_security: from `/` down, every component must be owned by
 * root, and neither directories without the sticky bit nor the file may be
 * writable by a group other than root's or by others.
 */
function unsafeComponent(path: string): { problem: 'missing' | 'type' | 'unsafe' } | undefined {
  const parts = path.split('/').filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const component = '/' + parts.slice(0, i).join('/');
    const last = i === parts.length;
    let st: Stats;
    try {
      st = lstatSync(component);
    } catch {
      return { problem: 'missing' };
    }
    if (last ? !st.isFile() && !st.isSymbolicLink() : !st.isDirectory()) return { problem: 'type' };
    const writable = (st.gid !== 0 && st.mode & 0o020) || st.mode & 0o002;
    if (st.uid !== 0 || (((st.isDirectory() && !(st.mode & S_ISVTX)) || st.isFile()) && writable)) return { problem: 'unsafe' };
  }
  return undefined;
}

/**
 * keepalived's check_script_secure, for a command about to be installed:
 * found along PATH when it has no `/`, executable by its user, and, when it
 * runs as root, no non-root-writable component in its path. An unsafe path
 * disables the script only with `enable_script_security`; the log lines are
 * keepalived's.
 */
export function checkScript(command: ScriptCommand, security: boolean, log: (line: string) => void): ScriptVerdict {
  const [name, ...rest] = command.argv as [string, ...string[]];
  if (/^<[ \t]*\//.test(name)) return { runs: true, command: { ...command, shell: true }, found: false, insecure: false };
  const user = command.user ?? { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  let path = name;
  if (!name.includes('/')) {
    const found = findInPath(name, user);
    if (!found) {
      log(`Cannot find script ${name} in path - disabling`);
      return { runs: false, reason: 'not-found', found: false };
    }
    log(`WARNING - script \`${name}\` resolved by path search to \`${found}\`. Please specify full path.`);
    path = found;
  }
  let real: string;
  let st: Stats;
  try {
    real = realpathSync(path);
    st = statSync(real);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    log(`Script ${path} cannot be accessed - ${ERRNO_TEXT[code] ?? code}`);
    return { runs: false, reason: 'not-found', found: false };
  }
  if (!isExecutable(st, user)) {
    log(`WARNING - script '${path}' is not executable for uid:gid ${user.uid}:${user.gid} - disabling.`);
    return { runs: false, reason: 'not-executable', found: true };
  }
  const runsAsRoot =
    user.uid === 0 || user.gid === 0 || (st.uid === 0 && (st.mode & 0o100) !== 0 && (st.mode & S_ISUID) !== 0) || (st.gid === 0 && (st.mode & 0o010) !== 0 && (st.mode & S_ISGID) !== 0);
  const resolved = { ...command, argv: [path, ...rest] };
  if (!runsAsRoot) return { runs: true, command: resolved, found: true, insecure: false };
  // keepalived 2.2.7 walks the resolved path (what actually runs), so /bin -> usr/bin symlinks pass.
  const found = unsafeComponent(real);
  if (!found) return { runs: true, command: resolved, found: true, insecure: false };
  if (found.problem === 'missing') {
    log(`check_script_secure could not find script '${real}' - disabling`);
    return { runs: false, reason: 'not-found', found: false };
  }
  if (found.problem === 'type') {
    log(`Wrong file type found in script path '${real}'.`);
    return { runs: false, reason: 'insecure', found: true };
  }
  log(`Unsafe permissions found for script '${real}'${security ? ' - disabling' : ''}.`);
  if (security) return { runs: false, reason: 'insecure', found: true };
  return { runs: true, command: resolved, found: true, insecure: true };
}

/** keepalived's cmd_str for system(): a leading `<`/`>` word as written, the others single-quoted. */
function shellLine(argv: readonly string[]): string {
  return argv.map((a, i) => (i === 0 ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** Starts a command as keepalived does: exec'd directly (the shell only for `<FILE` tests), as its user, in its own process group. */
export function spawnCommand(command: ScriptCommand, extraArgs: readonly string[] = []) {
  const argv = [...command.argv, ...extraArgs];
  const [file, args] = command.shell ? ['/bin/sh', ['-c', shellLine(argv)]] : [argv[0]!, argv.slice(1)];
  return spawn(file, args, { stdio: 'ignore', detached: true, ...(command.user ? { uid: command.user.uid, gid: command.user.gid } : {}) });
}

/**
 * Runs a command: true on exit status 0 within the timeout, after which it is killed. A stand-in may answer at once
 * (the simulator), which keeps virtual time exact.
 */
export type ScriptRunner = (command: ScriptCommand, timeoutMs: number) => Promise<boolean> | boolean;

export const spawnRunner = (command: ScriptCommand, timeoutMs: number): Promise<boolean> =>
  new Promise((done) => {
    const child = spawnCommand(command);
    const timer = setTimeout(() => {
      // The whole process group, so that what the script started dies with it.
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
      done(false);
    }, timeoutMs);
    child.on('error', () => {
      clearTimeout(timer);
      done(false);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      done(code === 0);
    });
  });

/**
 * The checks of one configuration load: each distinct command is checked
 * once, and at the end keepalived's SECURITY VIOLATION is logged when
 * scripts are configured without `enable_script_security` (keepalived 2.2.7
 * says so for any script file it finds, whoever runs it).
 */
export class ScriptChecks {
  private readonly verdicts = new Map<string, ScriptVerdict>();

  constructor(
    private readonly policy: ScriptPolicy,
    private readonly log: (line: string) => void,
    private readonly checker: typeof checkScript = checkScript,
  ) {}

  check(command: ScriptCommand): ScriptVerdict {
    const key = JSON.stringify(command);
    let verdict = this.verdicts.get(key);
    if (!verdict) {
      verdict = this.checker(command, this.policy.security, this.log);
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  /** The command as it will run, or undefined when keepalived would disable it. */
  secure(command: ScriptCommand): ScriptCommand | undefined {
    const verdict = this.check(command);
    return verdict.runs ? verdict.command : undefined;
  }

  reportViolation(): void {
    if (this.policy.security) return;
    const found = [...this.verdicts.values()].filter((v) => v.found);
    if (!found.length) return;
    const insecure = found.some((v) => v.runs && v.insecure);
    this.log(`SECURITY VIOLATION - scripts are being executed but script_security not enabled.${insecure ? ' There are insecure scripts.' : ''}`);
  }
}
