/** Script commands, users and keepalived's script security checks, against real files and Debian's keepalived. */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocksOf, lastStatement, model, readConfigText } from '../grammar/index.ts';
import { checkScript, commandOf, resolveUser, ScriptChecks, type ScriptCommand, scriptPolicy, spawnRunner } from '../runtime/scripts.ts';

const asRoot = process.getuid?.() === 0;
const DAEMON = { security: false, defaultUserFailed: false };
const ROOT = { uid: 0, gid: 0 };
const NOBODY = { uid: 65534, gid: 65534 };

describe('users', () => {
  it('resolves users and groups as getpwnam/getgrnam do, numbers and :group too', () => {
    expect(resolveUser('root')).toEqual(ROOT);
    expect(resolveUser('nobody', 'nogroup')).toEqual(NOBODY);
    expect(resolveUser('nobody', ':nogroup')).toEqual(NOBODY);
    expect(resolveUser('1234')).toEqual({ uid: 1234, gid: 1234 });
    expect(resolveUser('no-such-user')).toBeUndefined();
    expect(resolveUser('root', 'no-such-group')).toBeUndefined();
  });

  it('takes script_user, else keepalived_script when it exists, else the daemon; with script security a missing default fails', () => {
    const policyOf = (globals: string) => {
      const lines: string[] = [];
      const { users, ...policy } = scriptPolicy(new model.GlobalDefs(readConfigText(`global_defs {\n${globals}\n}\n`, '/t/k.conf').config), (l) => lines.push(l));
      expect(users).toBe(resolveUser);
      return { policy, lines };
    };
    expect(policyOf('script_user nobody').policy).toEqual({ security: false, defaultUser: NOBODY, defaultUserFailed: false });
    expect(policyOf('script_user no-such-user')).toEqual({ policy: { security: false, defaultUserFailed: true }, lines: ["Script user 'no-such-user' does not exist"] });
    const hasKeepalivedScript = resolveUser('keepalived_script') !== undefined;
    expect(policyOf('').policy.defaultUserFailed).toBe(false);
    expect(policyOf('enable_script_security').policy.defaultUserFailed).toBe(!hasKeepalivedScript);
  });

  it('looks users up through the lookup it is given, for script_user and for scripts\' own users', () => {
    const everyone = (name: string) => ({ uid: name.length, gid: 7 });
    const { config } = readConfigText('global_defs {\n    script_user no-such-user\n}\nvrrp_script chk {\n    script /bin/true\n    user other-missing\n}\n', '/t/k.conf');
    const policy = scriptPolicy(new model.GlobalDefs(config), () => {}, everyone);
    expect(policy.defaultUser).toEqual({ uid: 12, gid: 7 });
    const script = blocksOf(config, 'vrrp_script')[0]!;
    expect(commandOf(lastStatement(script, 'script'), policy, () => {}, lastStatement(script, 'user'))).toEqual({ argv: ['/bin/true'], user: { uid: 13, gid: 7 } });
  });
});

describe('commands', () => {
  const statements = (text: string) => {
    const { config } = readConfigText(text, '/t/k.conf');
    return blocksOf(config, 'vrrp_instance')[0]!;
  };

  it('splits word 1 into argv and runs it as the user of words 2 and 3', () => {
    const vi = statements(`vrrp_instance VI_1 {\n    notify_master "/usr/local/bin/state.sh 'to master' \\x41" nobody nogroup\n    notify_backup /bin/backup.sh\n}\n`);
    const log: string[] = [];
    expect(commandOf(lastStatement(vi, 'notify_master'), DAEMON, (l) => log.push(l))).toEqual({ argv: ['/usr/local/bin/state.sh', 'to master', 'A'], user: NOBODY });
    expect(commandOf(lastStatement(vi, 'notify_backup'), { ...DAEMON, defaultUser: ROOT }, (l) => log.push(l))).toEqual({ argv: ['/bin/backup.sh'], user: ROOT });
    expect(commandOf(lastStatement(vi, 'notify_backup'), { security: true, defaultUserFailed: true }, (l) => log.push(l))).toBeUndefined();
    expect(log).toEqual([]);
  });

  it('drops a command whose user does not exist, saying so', () => {
    const vi = statements(`vrrp_instance VI_1 {\n    notify_master /bin/true ghost\n}\n`);
    const log: string[] = [];
    expect(commandOf(lastStatement(vi, 'notify_master'), DAEMON, (l) => log.push(l))).toBeUndefined();
    expect(log).toEqual(["Script user 'ghost' does not exist"]);
  });
});

describe.skipIf(!asRoot)('check_script_secure', () => {
  let dir: string;
  const script = (name: string, mode: number, owner = 0) => {
    const path = join(dir, name);
    writeFileSync(path, '#!/bin/sh\nexit 0\n');
    chmodSync(path, mode);
    chownSync(path, owner, owner);
    return path;
  };
  const check = (command: ScriptCommand, security: boolean) => {
    const log: string[] = [];
    return { verdict: checkScript(command, security, (l) => log.push(l)), log };
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kalint-scripts-'));
    chmodSync(dir, 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes a root script whose whole path only root can write', () => {
    const path = script('safe.sh', 0o755);
    expect(check({ argv: [path], user: ROOT }, true)).toEqual({ verdict: { runs: true, command: { argv: [path], user: ROOT }, found: true, insecure: false }, log: [] });
  });

  it('reports a world-writable root script, and disables it only with enable_script_security', () => {
    const path = script('open.sh', 0o777);
    expect(check({ argv: [path], user: ROOT }, false)).toMatchObject({ verdict: { runs: true, insecure: true }, log: [`Unsafe permissions found for script '${path}'.`] });
    expect(check({ argv: [path], user: ROOT }, true)).toEqual({ verdict: { runs: false, reason: 'insecure', found: true }, log: [`Unsafe permissions found for script '${path}' - disabling.`] });
  });

  it('checks every directory: a group-writable one without the sticky bit is unsafe, a sticky one is not', () => {
    const sub = join(dir, 'shared');
    mkdirSync(sub);
    chownSync(sub, 0, 65534);
    chmodSync(sub, 0o775);
    const path = join(sub, 'x.sh');
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, 0o755);
    expect(check({ argv: [path], user: ROOT }, true).verdict).toEqual({ runs: false, reason: 'insecure', found: true });
    chmodSync(sub, 0o1775);
    expect(check({ argv: [path], user: ROOT }, true).verdict.runs).toBe(true);
  });

  it('does not check the path of a script run by an unprivileged user', () => {
    const path = script('nobody.sh', 0o777);
    expect(check({ argv: [path], user: NOBODY }, true)).toMatchObject({ verdict: { runs: true, found: true, insecure: false }, log: [] });
  });

  it('disables what its user cannot execute or what does not exist, and searches PATH for bare names', () => {
    const path = script('plain.sh', 0o644);
    expect(check({ argv: [path], user: NOBODY }, false)).toEqual({ verdict: { runs: false, reason: 'not-executable', found: true }, log: [`WARNING - script '${path}' is not executable for uid:gid 65534:65534 - disabling.`] });
    expect(check({ argv: [join(dir, 'none.sh')] }, false)).toEqual({ verdict: { runs: false, reason: 'not-found', found: false }, log: [`Script ${join(dir, 'none.sh')} cannot be accessed - No such file or directory`] });
    expect(check({ argv: ['kalint-no-such-command'] }, false).log).toEqual(['Cannot find script kalint-no-such-command in path - disabling']);
    const found = check({ argv: ['true', 'x'], user: NOBODY }, false);
    expect(found.verdict).toMatchObject({ runs: true, command: { argv: [expect.stringMatching(/\/true$/), 'x'] } });
    expect(found.log[0]).toMatch(/^WARNING - script `true` resolved by path search to `.*\/true`\. Please specify full path\.$/);
  });

  it('logs the SECURITY VIOLATION once when scripts are configured without enable_script_security', () => {
    const log: string[] = [];
    const checks = new ScriptChecks(DAEMON, (l) => log.push(l));
    checks.secure({ argv: [script('a.sh', 0o755)], user: ROOT });
    checks.secure({ argv: [script('b.sh', 0o757)], user: ROOT });
    checks.reportViolation();
    expect(log.at(-1)).toBe('SECURITY VIOLATION - scripts are being executed but script_security not enabled. There are insecure scripts.');
    const quiet: string[] = [];
    const secured = new ScriptChecks({ ...DAEMON, security: true }, (l) => quiet.push(l));
    secured.secure({ argv: [script('c.sh', 0o755)], user: ROOT });
    secured.reportViolation();
    expect(quiet).toEqual([]);
  });

  describe("against keepalived -t's verdicts", () => {
    const keepalivedSays = (conf: string) => {
      const path = join(dir, `k${Math.random().toString(36).slice(2)}.conf`);
      writeFileSync(path, conf);
      const r = spawnSync('keepalived', ['-t', '-f', path], { encoding: 'utf8' });
      return `${r.stdout}${r.stderr}`;
    };
    // keepalived -t prints configuration errors only (the per-script lines go to syslog), and with a
    // non-root script_user it kills itself while checking, so the scripts here run as root.
    const cases = [
      { mode: '755', security: false },
      { mode: '757', security: false },
      { mode: '775', security: false },
      { mode: '757', security: true },
      { mode: '755', security: true },
      { mode: '644', security: false },
      { mode: 'missing', security: true },
      // /bin is a symlink to usr/bin on merged-/usr systems: keepalived checks the resolved path.
      { mode: 'system shell', security: true },
    ];
    it.each(cases)('mode $mode, enable_script_security $security', ({ mode, security }) => {
      const path = mode === 'missing' ? join(dir, 'missing.sh') : mode === 'system shell' ? '/bin/sh' : script(`k-${mode}-${security}.sh`, parseInt(mode, 8), 0);
      if (mode === '775') chownSync(path, 0, 65534);
      const conf = `global_defs {\n    script_user root\n${security ? '    enable_script_security\n' : ''}}\nvrrp_script chk {\n    script "${path}"\n}\nvrrp_instance VI_1 {\n    interface lo\n    virtual_router_id 1\n    track_script {\n        chk\n    }\n}\n`;
      const said = keepalivedSays(conf).split('\n');
      const log: string[] = [];
      const policy = scriptPolicy(new model.GlobalDefs(readConfigText(conf, '/t/k.conf').config), (l) => log.push(l));
      const checks = new ScriptChecks(policy, (l) => log.push(l));
      const verdict = checks.check({ argv: [path], user: policy.defaultUser! });
      checks.reportViolation();
      expect(log.filter((l) => l.startsWith('SECURITY VIOLATION'))).toEqual(said.filter((l) => l.startsWith('SECURITY VIOLATION')));
      expect(verdict.runs).toBe(!said.some((l) => l.startsWith('Disabling track script chk')) && mode !== '644');
      expect(said.filter((l) => l.startsWith('Disabling track script chk'))).toEqual(verdict.runs || verdict.reason === 'not-executable' ? [] : [`Disabling track script chk ${verdict.reason === 'insecure' ? 'due to insecure' : 'since not found/accessible'}`]);
    });
  });
});

describe.skipIf(!asRoot)('running commands', () => {
  it('runs a command as its user, without a shell', async () => {
    expect(await spawnRunner({ argv: ['/bin/sh', '-c', 'test "$(id -u)" = 65534'], user: NOBODY }, 2000)).toBe(true);
    expect(await spawnRunner({ argv: ['/bin/sh', '-c', 'test "$(id -u)" = 65534'] }, 2000)).toBe(false);
    expect(await spawnRunner({ argv: ['/bin/echo', 'a', '&&', 'false'] }, 2000)).toBe(true);
  });

  it('hands `<FILE` tests to the shell, as keepalived does', async () => {
    expect(await spawnRunner({ argv: ['</etc/hostname'], shell: true }, 2000)).toBe(true);
    expect(await spawnRunner({ argv: ['</kalint/none'], shell: true }, 2000)).toBe(false);
  });

  it('kills the whole process group on timeout', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'kalint-timeout-'));
    const marker = join(scratch, 'child.pid');
    expect(await spawnRunner({ argv: ['/bin/sh', '-c', `sleep 30 & echo $! > ${marker}; wait`] }, 300)).toBe(false);
    const pid = Number(readFileSync(marker, 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    // Gone, or a zombie waiting for an init that does not reap.
    const state = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] : 'gone';
    expect(['gone', 'Z']).toContain(state);
    rmSync(scratch, { recursive: true });
  });
});
