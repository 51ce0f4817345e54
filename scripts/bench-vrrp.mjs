// Part of `npm run bench`: kalint run against keepalived in network namespaces (root, keepalived installed).
// Takeover: the time from SIGSTOP of a keepalived master until the backup holds the VIP, with kalint as the
// backup and with keepalived as the backup, in the same run (VRRPv3, advert_int 0.1). Load: CPU and RSS of
// `kalint run` with 100 instances at advert_int 1 over BENCH_VRRP_SECONDS (60).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const VIP = '10.97.0.100';

function config(name, priority, interval = '0.1', instances = 1) {
  let out = `global_defs {\n    router_id ${name}\n    vrrp_version 3\n}\n`;
  for (let i = 1; i <= instances; i++) {
    out += `vrrp_instance VI_${i} {\n    state BACKUP\n    interface eth0\n    virtual_router_id ${i}\n    priority ${priority}\n    advert_int ${interval}\n`;
    out += `    virtual_ipaddress {\n        ${instances === 1 ? VIP : `10.97.${1 + (i >> 8)}.${i & 255}`}/24 dev eth0\n    }\n}\n`;
  }
  return out;
}

export async function vrrpBench(kalint, runs) {
  if (process.getuid?.() !== 0 || spawnSync('keepalived', ['--version']).error) return undefined;
  const P = `vb${process.pid.toString(36)}`;
  const ns = (n) => `${P}-${n}`;
  const ip = (...a) => execFileSync('ip', a, { stdio: 'pipe', encoding: 'utf8' });
  const dir = mkdtempSync(join(tmpdir(), 'kalint-bench-vrrp-'));
  const children = [];
  try {
    ip('netns', 'add', ns('br'));
    ip('-n', ns('br'), 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', ns('br'), 'link', 'set', 'dev', 'br0', 'up');
    ['a', 'c'].forEach((n, i) => {
      ip('netns', 'add', ns(n));
      ip('link', 'add', `${P}${n}0`, 'netns', ns(n), 'type', 'veth', 'peer', 'name', `port-${n}`, 'netns', ns('br'));
      ip('-n', ns(n), 'link', 'set', 'dev', `${P}${n}0`, 'name', 'eth0');
      ip('-n', ns(n), 'addr', 'add', `10.97.0.${i + 1}/16`, 'dev', 'eth0');
      ip('-n', ns(n), 'link', 'set', 'dev', 'lo', 'up');
      ip('-n', ns(n), 'link', 'set', 'dev', 'eth0', 'up');
      ip('-n', ns('br'), 'link', 'set', 'dev', `port-${n}`, 'master', 'br0');
      ip('-n', ns('br'), 'link', 'set', 'dev', `port-${n}`, 'up');
    });
    const holds = (n) => ip('-n', ns(n), 'addr', 'show', 'dev', 'eth0').includes(`${VIP}/`);
    const until = async (check, limit = 10_000) => {
      const start = performance.now();
      while (performance.now() - start < limit) {
        if (check()) return performance.now() - start;
        await sleep(1);
      }
      return Number.POSITIVE_INFINITY;
    };
    let serial = 0;
    const keepalived = (n, text) => {
      const file = join(dir, `ka-${n}-${serial}.conf`);
      writeFileSync(file, text);
      const pid = join(dir, `ka-${n}-${serial++}`);
      const p = spawn('ip', ['netns', 'exec', ns(n), 'keepalived', '-n', '-l', '-D', '-P', '-f', file, '-p', `${pid}.pid`, '-r', `${pid}-vrrp.pid`, '-c', `${pid}-chk.pid`], { stdio: 'ignore' });
      children.push(p);
      return { process: p, vrrp: () => Number(readFileSync(`${pid}-vrrp.pid`, 'utf8')) };
    };
    const kalintRun = (n, text) => {
      const file = join(dir, `kalint-${n}-${serial++}.conf`);
      writeFileSync(file, text);
      const p = spawn('ip', ['netns', 'exec', ns(n), process.execPath, kalint, 'run', '-f', file, '--control', `${file}.sock`], { stdio: 'ignore' });
      children.push(p);
      return { process: p };
    };
    const stopAll = async () => {
      for (const c of children.splice(0)) c.kill('SIGKILL');
      spawnSync('pkill', ['-KILL', '-f', dir]);
      await sleep(300);
      for (const n of ['a', 'c']) spawnSync('ip', ['-n', ns(n), 'addr', 'flush', 'dev', 'eth0', 'to', `${VIP}/32`]);
    };
    const takeover = async (backup) => {
      const times = [];
      const master = keepalived('a', config('a', 150));
      backup === 'kalint' ? kalintRun('c', config('c', 100)) : keepalived('c', config('c', 100));
      await until(() => holds('a'));
      for (let i = 0; i < runs; i++) {
        await sleep(400);
        process.kill(master.vrrp(), 'SIGSTOP');
        times.push(await until(() => holds('c')));
        process.kill(master.vrrp(), 'SIGCONT');
        await until(() => holds('a') && !holds('c'));
      }
      await stopAll();
      return median(times);
    };
    const kalintTakeover = await takeover('kalint');
    const keepalivedTakeover = await takeover('keepalived');

    const seconds = Number(process.env.BENCH_VRRP_SECONDS ?? 60);
    const many = kalintRun('c', config('c', 150, '1', 100));
    await sleep(6000);
    const pid = Number(execFileSync('pgrep', ['-f', `${dir}/kalint-c`], { encoding: 'utf8' }).trim().split('\n')[0]);
    const cpu = () => {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12])) / 100;
    };
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
    const before = cpu();
    const start = performance.now();
    let peak = rss();
    while (performance.now() - start < seconds * 1000) {
      await sleep(1000);
      peak = Math.max(peak, rss());
    }
    const cpuShare = (cpu() - before) / ((performance.now() - start) / 1000);
    const masters = ip('-n', ns('c'), 'addr', 'show', 'dev', 'eth0').split('\n').filter((l) => l.includes('10.97.1.')).length;
    many.process.kill('SIGTERM');
    await stopAll();
    return { kalintTakeover, keepalivedTakeover, cpuShare, peakMb: peak, seconds, masters };
  } finally {
    for (const c of children) c.kill('SIGKILL');
    for (const n of ['a', 'c', 'br']) spawnSync('ip', ['netns', 'del', ns(n)]);
    rmSync(dir, { recursive: true, force: true });
  }
}
