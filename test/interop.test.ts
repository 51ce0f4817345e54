/**
 * kalint run next to Debian's keepalived on a bridge of network namespaces
 * (nodes a, b = observer, c; private addresses; a prefix unique to the run;
 * removed afterwards), as in reference/vrrp-lab.md: failover both ways,
 * graceful hand-over, VRRPv2 with PASS authentication, unicast, a partition
 * and its healing; and keepalived never complains about kalint's packets.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { namespaceUnavailable } from './helpers/netns.ts';

const ROOT = join(import.meta.dirname, '..');
const unavailable = namespaceUnavailable();
if (unavailable && !process.env['KALINT_SKIP_NETNS']) throw new Error(`interop test ${unavailable}; set KALINT_SKIP_NETNS=1 to skip it`);

const P = `vi${process.pid.toString(36)}`;
const ns = (n: string) => `${P}-${n}`;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe', encoding: 'utf8' });
const VIP = '10.99.0.100';

function config(name: string, priority: number, extra: { version?: 2 | 3; auth?: boolean; unicast?: { src: string; peer: string } } = {}): string {
  const version = extra.version ?? 3;
  const interval = version === 3 ? '0.1' : '1';
  return `global_defs {
    router_id ${name}
    vrrp_version ${version}
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority ${priority}
    advert_int ${interval}
${extra.auth ? '    authentication {\n        auth_type PASS\n        auth_pass secret1\n    }\n' : ''}${extra.unicast ? `    unicast_src_ip ${extra.unicast.src}\n    unicast_peer {\n        ${extra.unicast.peer}\n    }\n` : ''}    virtual_ipaddress {
        ${VIP}/24 dev eth0
    }
}
`;
}

const readFileSafe = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

const holds = (node: string) => ip('-n', ns(node), 'addr', 'show', 'dev', 'eth0').includes(`${VIP}/`);

/** Milliseconds until `check` holds (polling every 2 ms), or Infinity after `limit`. */
async function until(check: () => boolean, limit = 5000): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < limit) {
    if (check()) return performance.now() - start;
    await new Promise((r) => setTimeout(r, 2));
  }
  return Number.POSITIVE_INFINITY;
}

describe.skipIf(!!unavailable)('kalint run next to keepalived', () => {
  let dir: string;
  const started: ChildProcess[] = [];
  let keepalivedLog = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kalint-interop-'));
    ip('netns', 'add', ns('br'));
    ip('-n', ns('br'), 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', ns('br'), 'link', 'set', 'dev', 'br0', 'up');
    ['a', 'b', 'c'].forEach((n, i) => {
      ip('netns', 'add', ns(n));
      ip('link', 'add', `${P}${n}0`, 'netns', ns(n), 'type', 'veth', 'peer', 'name', `port-${n}`, 'netns', ns('br'));
      ip('-n', ns(n), 'link', 'set', 'dev', `${P}${n}0`, 'name', 'eth0');
      ip('-n', ns(n), 'addr', 'add', `10.99.0.${i + 1}/24`, 'dev', 'eth0');
      ip('-n', ns(n), 'link', 'set', 'dev', 'lo', 'up');
      ip('-n', ns(n), 'link', 'set', 'dev', 'eth0', 'up');
      ip('-n', ns('br'), 'link', 'set', 'dev', `port-${n}`, 'master', 'br0');
      ip('-n', ns('br'), 'link', 'set', 'dev', `port-${n}`, 'up');
    });
    execFileSync('ip', ['netns', 'exec', ns('b'), 'sysctl', '-qw', 'net.ipv4.conf.eth0.arp_accept=1']);
  });

  afterEach(async () => {
    for (const p of started.splice(0)) p.kill('SIGKILL');
    // keepalived's VRRP child is not ours to wait for: its pid file says who it is.
    spawnSync('pkill', ['-KILL', '-f', dir]);
    await new Promise((r) => setTimeout(r, 300));
    for (const n of ['a', 'c']) for (const vip of [VIP, '10.99.0.101']) spawnSync('ip', ['-n', ns(n), 'addr', 'del', `${vip}/24`, 'dev', 'eth0']);
    spawnSync('ip', ['netns', 'exec', ns('c'), 'nft', 'delete', 'table', 'inet', 'cut']);
  });

  afterAll(() => {
    for (const n of ['a', 'b', 'c', 'br']) spawnSync('ip', ['netns', 'del', ns(n)]);
  });

  let runs = 0;
  function keepalived(node: string, text: string): { vrrpPid: () => number } {
    const file = join(dir, `ka-${node}.conf`);
    writeFileSync(file, text);
    // Fresh pid files each time: a killed keepalived's child can linger as a zombie and block its old ones.
    const run = `${node}-${runs++}`;
    const pids = ['-p', join(dir, `${run}.pid`), '-r', join(dir, `${run}-vrrp.pid`), '-c', join(dir, `${run}-chk.pid`)];
    const p = spawn('ip', ['netns', 'exec', ns(node), 'keepalived', '-n', '-l', '-D', '-P', '-f', file, ...pids], { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout!.on('data', (d) => (keepalivedLog += d));
    p.stderr!.on('data', (d) => (keepalivedLog += d));
    started.push(p);
    return { vrrpPid: () => Number(readFileSync(join(dir, `${run}-vrrp.pid`), 'utf8')) };
  }

  function kalint(node: string, text: string, extra: string[] = []): ChildProcess {
    const file = join(dir, `kalint-${node}.conf`);
    writeFileSync(file, text);
    const control = join(dir, `kalint-${node}.sock`);
    const p = spawn('ip', ['netns', 'exec', ns(node), process.execPath, join(ROOT, 'bin/kalint.js'), 'run', '-f', file, '-l', '--control', control, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(p);
    return p;
  }

  it('keepalived stops -> kalint holds the VIP within a master-down interval + 50 ms, the observer sees its MAC; keepalived returns -> it preempts', async () => {
    const ka = keepalived('a', config('a', 150));
    kalint('c', config('c', 100));
    expect(await until(() => holds('a'))).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 500));
    expect(holds('c')).toBe(false);
    process.kill(ka.vrrpPid(), 'SIGSTOP');
    // Master_Down_Interval for priority 100 at 0.1 s: 3 × 100 ms + 156/256 × 100 ms.
    expect(await until(() => holds('c'))).toBeLessThan(361 + 50);
    // The observer reaches the VIP at kalint's MAC.
    spawnSync('ip', ['netns', 'exec', ns('b'), process.execPath, '-e', `require('dgram').createSocket('udp4').send('x', 9, '${VIP}', () => process.exit(0))`]);
    await new Promise((r) => setTimeout(r, 100));
    const mac = /link\/ether (\S+)/.exec(ip('-n', ns('c'), 'link', 'show', 'dev', 'eth0'))![1];
    expect(ip('-n', ns('b'), 'neigh', 'show', VIP)).toContain(mac);
    process.kill(ka.vrrpPid(), 'SIGCONT');
    expect(await until(() => !holds('c') && holds('a'))).toBeLessThan(1000);
  }, 30_000);

  it('kalint stops (SIGTERM) -> keepalived takes over within skew time + 50 ms', async () => {
    keepalived('a', config('a', 100));
    const k = kalint('c', config('c', 150));
    expect(await until(() => holds('c'))).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 300));
    k.kill('SIGTERM');
    // keepalived's Skew_Time at priority 100, 0.1 s: 156/256 × 100 ms.
    expect(await until(() => holds('a'))).toBeLessThan(61 + 50);
  }, 30_000);

  it('VRRPv2 with PASS authentication: keepalived hands over to kalint and back', async () => {
    const ka = keepalived('a', config('a', 150, { version: 2, auth: true }));
    kalint('c', config('c', 100, { version: 2, auth: true }));
    expect(await until(() => holds('a'))).toBeLessThan(6000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(holds('c')).toBe(false);
    process.kill(ka.vrrpPid(), 'SIGSTOP');
    // VRRPv2 at 1 s: 3 s + 156/256 s.
    expect(await until(() => holds('c'), 6000)).toBeLessThan(3609 + 50);
    process.kill(ka.vrrpPid(), 'SIGCONT');
    expect(await until(() => !holds('c'), 3000)).toBeLessThan(3000);
  }, 30_000);

  it('unicast: kalint takes over when keepalived stops', async () => {
    const ka = keepalived('a', config('a', 150, { unicast: { src: '10.99.0.1', peer: '10.99.0.3' } }));
    kalint('c', config('c', 100, { unicast: { src: '10.99.0.3', peer: '10.99.0.1' } }));
    expect(await until(() => holds('a'))).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 500));
    expect(holds('c')).toBe(false);
    process.kill(ka.vrrpPid(), 'SIGSTOP');
    expect(await until(() => holds('c'))).toBeLessThan(361 + 50);
    process.kill(ka.vrrpPid(), 'SIGCONT');
  }, 30_000);

  it('IPv6 (VRRPv3 between link-local addresses): kalint takes over when keepalived stops, the observer learns its MAC from the NA, keepalived preempts back', async () => {
    const VIP6 = 'fd99::100';
    const v6 = (name: string, priority: number) =>
      config(name, priority).replace(`${VIP}/24 dev eth0`, `${VIP6}/64 dev eth0`).replace('    vrrp_version 3\n', '');
    const holds6 = (node: string) => ip('-n', ns(node), '-6', 'addr', 'show', 'dev', 'eth0').includes(`${VIP6}/`);
    ip('-n', ns('b'), 'addr', 'add', 'fd99::2/64', 'dev', 'eth0', 'nodad');
    // keepalived cannot send from a link-local address still in duplicate address detection.
    const settled = () => ['a', 'c'].every((n) => !ip('-n', ns(n), '-6', 'addr', 'show', 'dev', 'eth0', 'tentative').trim());
    expect(await until(settled, 5000)).toBeLessThan(5000);
    const ka = keepalived('a', v6('a', 150));
    kalint('c', v6('c', 100));
    expect(await until(() => holds6('a'), 8000)).toBeLessThan(8000);
    // The observer talks to the VIP, so it has a neighbour entry for it (keepalived's MAC), which an unsolicited NA updates.
    spawnSync('ip', ['netns', 'exec', ns('b'), process.execPath, '-e', `require('dgram').createSocket('udp6').send('x', 9, '${VIP6}', () => process.exit(0))`]);
    await new Promise((r) => setTimeout(r, 500));
    expect(holds6('c')).toBe(false);
    process.kill(ka.vrrpPid(), 'SIGSTOP');
    expect(await until(() => holds6('c'))).toBeLessThan(361 + 50);
    await new Promise((r) => setTimeout(r, 100));
    const mac = /link\/ether (\S+)/.exec(ip('-n', ns('c'), 'link', 'show', 'dev', 'eth0'))![1]!;
    expect(ip('-n', ns('b'), '-6', 'neigh', 'show', VIP6)).toContain(mac);
    process.kill(ka.vrrpPid(), 'SIGCONT');
    expect(await until(() => !holds6('c') && holds6('a'))).toBeLessThan(1000);
    for (const n of ['a', 'c']) spawnSync('ip', ['-n', ns(n), 'addr', 'del', `${VIP6}/64`, 'dev', 'eth0']);
    ip('-n', ns('b'), 'addr', 'del', 'fd99::2/64', 'dev', 'eth0');
  }, 30_000);

  it('a partition (VRRP dropped) makes two masters; healing leaves one within 100 ms', async () => {
    keepalived('a', config('a', 150));
    kalint('c', config('c', 100));
    expect(await until(() => holds('a'))).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 300));
    const nft = (...args: string[]) => execFileSync('ip', ['netns', 'exec', ns('c'), 'nft', ...args], { stdio: 'pipe' });
    nft('add', 'table', 'inet', 'cut');
    nft('add', 'chain', 'inet', 'cut', 'vin', '{ type filter hook input priority 0; }');
    nft('add', 'rule', 'inet', 'cut', 'vin', 'ip', 'protocol', 'vrrp', 'drop');
    expect(await until(() => holds('c'))).toBeLessThan(1000);
    expect(holds('a')).toBe(true);
    nft('delete', 'table', 'inet', 'cut');
    expect(await until(() => holds('a') && !holds('c'))).toBeLessThan(100 + 50);
  }, 30_000);

  it('link down -> kalint goes FAULT and releases the VIP; link up -> it is master again', async () => {
    const k = kalint('c', config('c', 150));
    let log = '';
    k.stdout!.on('data', (d) => (log += d));
    expect(await until(() => holds('c'))).toBeLessThan(5000);
    ip('-n', ns('c'), 'link', 'set', 'dev', 'eth0', 'down');
    expect(await until(() => !holds('c') && log.includes('(VI_1) Entering FAULT STATE'), 2000)).toBeLessThan(2000);
    ip('-n', ns('c'), 'link', 'set', 'dev', 'eth0', 'up');
    expect(await until(() => holds('c'), 3000)).toBeLessThan(3000);
  }, 30_000);

  it('a vrrp_script with weight -30 moves the VIP when its trigger file appears, and back when it goes (seed article 003)', async () => {
    keepalived('a', config('a', 100));
    const trigger = join(dir, 'down');
    const withScript = config('c', 120)
      .replace('vrrp_instance VI_1 {', `vrrp_script check_test {\n    script "/bin/sh -c '! test -f ${trigger}'"\n    interval 0.1\n    weight -30\n    fall 2\n    rise 2\n}\nvrrp_instance VI_1 {`)
      .replace('    virtual_ipaddress {', '    track_script {\n        check_test\n    }\n    virtual_ipaddress {');
    kalint('c', withScript);
    expect(await until(() => holds('c'))).toBeLessThan(5000);
    writeFileSync(trigger, '');
    // Two failures at 0.1 s, then keepalived (preempting, 100 > 90) times out the lower adverts.
    expect(await until(() => holds('a') && !holds('c'), 3000)).toBeLessThan(3000);
    rmSync(trigger);
    expect(await until(() => holds('c') && !holds('a'), 3000)).toBeLessThan(3000);
  }, 30_000);

  it('a track_file with weight -30 moves the VIP when a number is written into it, and back', async () => {
    keepalived('a', config('a', 100));
    const file = join(dir, 'track-weight');
    const text = config('c', 120)
      .replace('vrrp_instance VI_1 {', `vrrp_track_file tf {\n    file ${file}\n    weight -30\n    init_file 0 overwrite\n}\nvrrp_instance VI_1 {`)
      .replace('    virtual_ipaddress {', '    track_file {\n        tf\n    }\n    virtual_ipaddress {');
    kalint('c', text);
    expect(await until(() => holds('c'))).toBeLessThan(5000);
    writeFileSync(file, '1\n');
    expect(await until(() => holds('a') && !holds('c'), 3000)).toBeLessThan(3000);
    writeFileSync(file, '0\n');
    expect(await until(() => holds('c') && !holds('a'), 3000)).toBeLessThan(3000);
  }, 30_000);

  it('runs notify_master and notify with keepalived\'s arguments (seed article 000)', async () => {
    const out = join(dir, 'notified');
    const text = config('c', 120).replace('    virtual_ipaddress {', `    notify_master "/bin/sh -c 'echo master >> ${out}'"\n    notify "/bin/sh -c 'echo $* >> ${out}' notify"\n    virtual_ipaddress {`);
    kalint('c', text);
    expect(await until(() => holds('c'))).toBeLessThan(5000);
    expect(await until(() => (readFileSafe(out).match(/\n/g) ?? []).length >= 3, 2000)).toBeLessThan(2000);
    expect(readFileSafe(out).split('\n').filter(Boolean).sort()).toEqual(['INSTANCE VI_1 BACKUP 120', 'INSTANCE VI_1 MASTER 120', 'master']);
  }, 30_000);

  it('survives 100,000 malformed packets (fuzzed fields, truncations, wrong checksums) and stays master', async () => {
    const k = kalint('c', config('c', 120));
    let log = '';
    k.stdout!.on('data', (d) => (log += d));
    expect(await until(() => holds('c'))).toBeLessThan(5000);
    const flood = `
      const io = require(${JSON.stringify(join(ROOT, 'build/Release/vrrp_io.node'))});
      const ch = io.open('eth0', '10.99.0.2', '', () => {});
      let seed = 1;
      const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
      for (let i = 0; i < 100000; i++) {
        const len = Math.floor(rand() * 64);
        const b = Buffer.alloc(len);
        for (let j = 0; j < len; j++) b[j] = Math.floor(rand() * 256);
        // Most look like VRRP for our VRID, so the checks past the first are exercised too.
        if (len > 1 && rand() < 0.8) { b[0] = rand() < 0.5 ? 0x31 : 0x21; b[1] = 51; }
        io.send(ch, b, rand() < 0.5 ? '224.0.0.18' : '10.99.0.3');
      }
      io.close(ch);`;
    execFileSync('ip', ['netns', 'exec', ns('b'), process.execPath, '-e', flood], { stdio: 'pipe' });
    await new Promise((r) => setTimeout(r, 500));
    expect(k.exitCode).toBeNull();
    expect(holds('c')).toBe(true);
    expect(log).toContain('(VI_1) Entering MASTER STATE');
    // The flood arrived (drops logged, then counted) without flooding the log.
    expect(log).toMatch(/\(VI_1\) (Invalid VRRP checksum|ip payload too short|wrong version) \(\d+000 so far\)/);
    expect(log.split('\n').length).toBeLessThan(500);
  }, 60_000);

  it('SIGHUP: an unchanged instance keeps its state and VIP, a new one starts; a bad configuration is rejected', async () => {
    const file = join(dir, 'kalint-c.conf');
    const k = kalint('c', config('c', 120));
    let log = '';
    k.stdout!.on('data', (d) => (log += d));
    expect(await until(() => holds('c'))).toBeLessThan(5000);
    const second = config('c', 120).replace('vrrp_instance VI_1', 'vrrp_instance VI_2').replace('virtual_router_id 51', 'virtual_router_id 52').replace(`${VIP}/24`, '10.99.0.101/24');
    writeFileSync(file, `${config('c', 120)}${second.slice(second.indexOf('vrrp_instance'))}`);
    let lost = false;
    const watch = setInterval(() => (lost ||= !holds('c')), 5);
    k.kill('SIGHUP');
    expect(await until(() => ip('-n', ns('c'), 'addr', 'show', 'dev', 'eth0').includes('10.99.0.101/'), 3000)).toBeLessThan(3000);
    clearInterval(watch);
    expect(lost).toBe(false);
    writeFileSync(file, config('c', 300));
    k.kill('SIGHUP');
    expect(await until(() => log.includes('New configuration rejected; keeping the running one'), 3000)).toBeLessThan(3000);
    expect(holds('c')).toBe(true);
    expect(k.exitCode).toBeNull();
  }, 30_000);

  it('kalint status reports the instances from the control socket; --pid-file holds the pid until exit', async () => {
    const pidFile = join(dir, 'kalint.pid');
    const k = kalint('c', config('c', 120), ['--pid-file', pidFile]);
    expect(await until(() => holds('c'))).toBeLessThan(5000);
    const status = (...args: string[]) => execFileSync(process.execPath, [join(ROOT, 'bin/kalint.js'), 'status', '--control', join(dir, 'kalint-c.sock'), ...args], { encoding: 'utf8' });
    expect(JSON.parse(status('--json'))).toMatchObject({ instances: [{ name: 'VI_1', state: 'MASTER', priority: 120, vips: [`${VIP}/24`], drops: {} }], virtualServers: [] });
    expect(status()).toBe(`INSTANCE  STATE   PRIORITY  VIPS            DROPS\nVI_1      MASTER  120       ${VIP}/24  -\n`);
    expect(Number(readFileSafe(pidFile))).toBe(k.pid);
    k.kill('SIGTERM');
    expect(await until(() => readFileSafe(pidFile) === '', 3000)).toBeLessThan(3000);
  }, 30_000);

  it('master/master with two VIPs (seed article 000): each holds one, and kalint both when keepalived stops', async () => {
    const second = (priority: number) => config('x', priority).replace('vrrp_instance VI_1', 'vrrp_instance VI_2').replace('virtual_router_id 51', 'virtual_router_id 52').replace(`${VIP}/24`, '10.99.0.101/24');
    const both = (p1: number, p2: number, name: string) => {
      const two = second(p2);
      return `${config(name, p1)}${two.slice(two.indexOf('vrrp_instance'))}`;
    };
    const ka = keepalived('a', both(100, 150, 'a'));
    kalint('c', both(150, 100, 'c'));
    const has = (node: string, address: string) => ip('-n', ns(node), 'addr', 'show', 'dev', 'eth0').includes(`${address}/`);
    expect(await until(() => has('c', VIP) && has('a', '10.99.0.101'))).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 500));
    expect(has('c', '10.99.0.101') || has('a', VIP)).toBe(false);
    process.kill(ka.vrrpPid(), 'SIGSTOP');
    expect(await until(() => has('c', VIP) && has('c', '10.99.0.101'))).toBeLessThan(361 + 50);
    process.kill(ka.vrrpPid(), 'SIGCONT');
    expect(await until(() => has('a', '10.99.0.101') && !has('c', '10.99.0.101'))).toBeLessThan(1000);
  }, 30_000);

  it('vrrp_strict without accept: the master drops traffic to its VIP with keepalived\'s nftables rules; accept lets it through; the tables go at exit', async () => {
    const server = spawn('ip', ['netns', 'exec', ns('c'), process.execPath, '-e', "require('net').createServer((s) => s.on('error', () => {}).end('hi')).listen(8080)"], { stdio: 'ignore' });
    started.push(server);
    const connects = () => {
      const r = spawnSync('ip', ['netns', 'exec', ns('b'), process.execPath, '-e', `const s = require('net').connect(8080, '${VIP}', () => process.exit(0)); s.on('error', () => process.exit(1)); setTimeout(() => process.exit(2), 700);`]);
      return r.status;
    };
    const tables = () => execFileSync('ip', ['netns', 'exec', ns('c'), 'nft', 'list', 'tables'], { encoding: 'utf8' });
    for (const accept of [false, true]) {
      const text = config('c', 150).replace('    vrrp_version 3\n', '    vrrp_version 3\n    vrrp_strict\n').replace('    priority 150\n', `    priority 150\n${accept ? '    accept\n' : ''}`);
      const k = kalint('c', text);
      expect(await until(() => holds('c'))).toBeLessThan(5000);
      expect(connects()).toBe(accept ? 0 : 2);
      expect(tables().includes('table ip keepalived')).toBe(!accept);
      k.kill('SIGTERM');
      expect(await until(() => k.exitCode !== null, 3000)).toBeLessThan(3000);
      expect(tables()).not.toContain('keepalived');
    }
  }, 30_000);

  it('nopreempt (seed articles): a higher-priority kalint joining a running master stays BACKUP, and takes over only when the master goes', async () => {
    const ka = keepalived('a', config('a', 100));
    expect(await until(() => holds('a'))).toBeLessThan(5000);
    kalint('c', config('c', 150).replace('    priority 150\n', '    priority 150\n    nopreempt\n'));
    await new Promise((r) => setTimeout(r, 1500));
    expect(holds('c')).toBe(false);
    expect(holds('a')).toBe(true);
    process.kill(ka.vrrpPid(), 'SIGSTOP');
    // Master_Down_Interval for priority 150 at 0.1 s: 3 × 100 ms + 106/256 × 100 ms.
    expect(await until(() => holds('c'))).toBeLessThan(342 + 50);
    process.kill(ka.vrrpPid(), 'SIGCONT');
    // keepalived's lower priority does not take the VIP back.
    await new Promise((r) => setTimeout(r, 1000));
    expect(holds('c')).toBe(true);
    expect(holds('a')).toBe(false);
  }, 30_000);

  it('preempt_delay (seed article 000): the higher priority takes over only after the delay', async () => {
    keepalived('a', config('a', 100));
    expect(await until(() => holds('a'))).toBeLessThan(5000);
    kalint('c', config('c', 150).replace('    priority 150\n', '    priority 150\n    preempt_delay 2\n'));
    const started = performance.now();
    expect(await until(() => holds('c'), 8000)).toBeLessThan(8000);
    // 2 s of accepting the lower adverts, then a master-down interval (0.36 s).
    expect(performance.now() - started).toBeGreaterThanOrEqual(2000);
    // keepalived gives way on kalint's first advert.
    expect(await until(() => !holds('a'), 1000)).toBeLessThan(1000);
  }, 30_000);

  it('e-mails the state change through the SMTP server (seed article 000)', async () => {
    const mailbox = join(dir, 'mailbox');
    // An SMTP server in the observer's namespace that appends each message to a file.
    const server = `
      const fs = require('fs');
      require('net').createServer((s) => {
        let buf = '', data = false, text = '';
        s.write('220 observer\\r\\n');
        s.on('data', (d) => {
          buf += d;
          let nl;
          while ((nl = buf.indexOf('\\r\\n')) >= 0) {
            const line = buf.slice(0, nl); buf = buf.slice(nl + 2);
            if (data) { if (line === '.') { data = false; fs.appendFileSync(${JSON.stringify(mailbox)}, text + '\\n---\\n'); text = ''; s.write('250 ok\\r\\n'); } else text += line + '\\n'; continue; }
            if (line === 'DATA') { data = true; s.write('354 go\\r\\n'); } else if (line === 'QUIT') s.end('221 bye\\r\\n'); else s.write('250 ok\\r\\n');
          }
        });
      }).listen(2525, () => console.log('listening'));`;
    const smtp = spawn('ip', ['netns', 'exec', ns('b'), process.execPath, '-e', server], { stdio: ['ignore', 'pipe', 'inherit'] });
    started.push(smtp);
    await new Promise((r) => smtp.stdout!.once('data', r));
    const text = config('c', 120)
      .replace('    router_id c\n', '    router_id c\n    notification_email {\n        ops@example.org\n    }\n    notification_email_from kalint@c.example.org\n    smtp_server 10.99.0.2 2525\n')
      .replace('    virtual_ipaddress {', '    smtp_alert\n    virtual_ipaddress {');
    kalint('c', text);
    expect(await until(() => holds('c'))).toBeLessThan(5000);
    expect(await until(() => readFileSafe(mailbox).includes('Entering MASTER state'), 3000)).toBeLessThan(3000);
    expect(readFileSafe(mailbox)).toContain('Subject: [c] VRRP Instance VI_1 - Entering MASTER state');
  }, 30_000);

  it('writes keepalived\'s lines to notify_fifo', async () => {
    const fifo = join(dir, 'notify.fifo');
    kalint('c', config('c', 120).replace('    router_id c\n', `    router_id c\n    notify_fifo ${fifo}\n`));
    expect(await until(() => holds('c'))).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 100));
    const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf);
    closeSync(fd);
    expect(buf.subarray(0, n).toString()).toBe('INSTANCE "VI_1" BACKUP 120\nINSTANCE "VI_1" MASTER 120\n');
  }, 30_000);

  it('serves Prometheus metrics: state, effective priority, transitions', async () => {
    kalint('c', config('c', 120), ['--metrics', '127.0.0.1:9700']);
    expect(await until(() => holds('c'))).toBeLessThan(5000);
    const text = execFileSync('ip', ['netns', 'exec', ns('c'), process.execPath, '-e', "fetch('http://127.0.0.1:9700/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))"], { encoding: 'utf8' });
    expect(text).toContain('kalint_vrrp_state{instance="VI_1",state="MASTER"} 1');
    expect(text).toContain('kalint_vrrp_state{instance="VI_1",state="BACKUP"} 0');
    expect(text).toContain('kalint_vrrp_effective_priority{instance="VI_1"} 120');
    expect(text).toContain('kalint_vrrp_transitions_total{instance="VI_1",to="MASTER"} 1');
  }, 30_000);

  it('keepalived never complained about kalint\'s packets', () => {
    expect(keepalivedLog).not.toMatch(/invalid TTL|Invalid VRRPv3 checksum|Invalid VRRP checksum|not present in MASTER advert|unexpected ip number count/);
    expect(keepalivedLog).toMatch(/Entering MASTER STATE/);
  });
});
