// Part of `npm run bench`: kalint run's checker side in a network namespace (root, nftables installed).
// 2,000 real servers (20 virtual servers of 100, TCP_CHECK at delay_loop 1) served by one process, kalint run -C
// on the nftables dataplane. Load: CPU and RSS of kalint run over BENCH_LVS_SECONDS (60). Reaction: a real
// server's port closes; the time until the kernel's ruleset changes (seen by `nft monitor`), and the part of it
// after kalint logged the removal, over BENCH_LVS_FLIPS (30) closures.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const quantile = (v, q) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(q * v.length))];
const SERVICES = 20;
const PER_SERVICE = 100;
const FIRST_PORT = 20000;
const RS = '10.98.1.1';

function config() {
  let out = '';
  for (let s = 0; s < SERVICES; s++) {
    out += `virtual_server 10.98.0.100 ${8001 + s} {\n    delay_loop 1\n    lvs_sched wrr\n    lvs_method NAT\n    protocol TCP\n`;
    for (let i = 0; i < PER_SERVICE; i++) {
      out += `    real_server ${RS} ${FIRST_PORT + s * PER_SERVICE + i} {\n        TCP_CHECK {\n            connect_timeout 1\n            retry 0\n        }\n    }\n`;
    }
    out += '}\n';
  }
  return out;
}

// The real servers: one listener per port; "close P" / "open P" on stdin, answered "ok P".
const SERVERS = `
const net = require('net');
const servers = new Map();
const open = (p) => new Promise((r) => { const s = net.createServer((c) => c.destroy()).listen(p, '${RS}', () => { servers.set(p, s); r(); }); });
(async () => {
  for (let p = ${FIRST_PORT}; p < ${FIRST_PORT + SERVICES * PER_SERVICE}; p++) await open(p);
  console.log('ready');
})();
require('readline').createInterface({ input: process.stdin }).on('line', async (line) => {
  const [verb, port] = line.split(' ');
  if (verb === 'close') await new Promise((r) => servers.get(Number(port)).close(r));
  else await open(Number(port));
  console.log('ok ' + port);
});`;

/** Lines of a child's stdout, each with the time it arrived. */
function lines(child) {
  const seen = [];
  let rest = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    const at = performance.now();
    const parts = (rest + d).split('\n');
    rest = parts.pop();
    for (const text of parts) seen.push({ at, text });
  });
  return seen;
}

async function waitFor(seen, from, test, limit = 30_000) {
  const start = performance.now();
  while (performance.now() - start < limit) {
    const hit = seen.find((l) => l.at >= from && test(l.text));
    if (hit) return hit;
    await sleep(1);
  }
  return undefined;
}

export async function lvsBench(kalint) {
  if (process.getuid?.() !== 0 || spawnSync('nft', ['--version']).status !== 0) return undefined;
  const name = `lb${process.pid.toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'kalint-bench-lvs-'));
  const children = [];
  try {
    execFileSync('ip', ['netns', 'add', name]);
    execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    // No dummy interfaces on every kernel: the addresses go on the namespace's loopback.
    execFileSync('ip', ['-n', name, 'addr', 'add', `${RS}/32`, 'dev', 'lo']);
    execFileSync('ip', ['-n', name, 'addr', 'add', '10.98.0.100/32', 'dev', 'lo']);
    const servers = spawn('ip', ['netns', 'exec', name, process.execPath, '-e', SERVERS], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(servers);
    const serverLines = lines(servers);
    if (!(await waitFor(serverLines, 0, (t) => t === 'ready', 60_000))) throw new Error('the real servers did not start');

    const file = join(dir, 'keepalived.conf');
    writeFileSync(file, config());
    const monitor = spawn('ip', ['netns', 'exec', name, 'stdbuf', '-oL', 'nft', 'monitor', 'ruleset'], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(monitor);
    const changes = lines(monitor);
    const run = spawn('ip', ['netns', 'exec', name, process.execPath, kalint, 'run', '-C', '-l', '--dataplane', 'nftables', '-f', file, '--control', join(dir, 'sock')], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(run);
    const logs = lines(run);
    const status = () => {
      try {
        return JSON.parse(execFileSync(process.execPath, [kalint, 'status', '--json', '--control', join(dir, 'sock')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      } catch {
        return undefined;
      }
    };
    const inTable = () => (status()?.virtualServers ?? []).reduce((n, vs) => n + vs.realServers.filter((r) => r.inTable && r.alive).length, 0);
    const start = performance.now();
    while (inTable() < SERVICES * PER_SERVICE && performance.now() - start < 60_000) await sleep(500);
    const ready = inTable();
    await sleep(3000);

    const pid = Number(execFileSync('pgrep', ['-f', `${dir}/keepalived.conf`], { encoding: 'utf8' }).trim().split('\n')[0]);
    const cpu = () => {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12])) / 100;
    };
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
    const seconds = Number(process.env.BENCH_LVS_SECONDS ?? 60);
    const before = cpu();
    const loadStart = performance.now();
    let peak = rss();
    while (performance.now() - loadStart < seconds * 1000) {
      await sleep(1000);
      peak = Math.max(peak, rss());
    }
    const cpuShare = (cpu() - before) / ((performance.now() - loadStart) / 1000);

    const flips = Number(process.env.BENCH_LVS_FLIPS ?? 30);
    const total = [];
    const afterLog = [];
    for (let i = 0; i < flips; i++) {
      const port = FIRST_PORT + ((i * 67) % (SERVICES * PER_SERVICE));
      const closedAt = performance.now();
      servers.stdin.write(`close ${port}\n`);
      const removed = await waitFor(logs, closedAt, (t) => t.includes(`Removing service [${RS}]:tcp:${port} `));
      const changed = removed && (await waitFor(changes, removed.at, () => true));
      if (!removed || !changed) throw new Error(`no dataplane update after closing port ${port}`);
      total.push(changed.at - closedAt);
      afterLog.push(changed.at - removed.at);
      const openedAt = performance.now();
      servers.stdin.write(`open ${port}\n`);
      await waitFor(logs, openedAt, (t) => t.includes(`Adding service [${RS}]:tcp:${port} `));
      await sleep(300);
    }
    run.kill('SIGTERM');
    await sleep(500);
    return {
      realServers: SERVICES * PER_SERVICE,
      ready,
      seconds,
      cpuShare,
      peakMb: peak,
      downToUpdate: { median: quantile(total, 0.5), p99: quantile(total, 0.99) },
      logToUpdate: { median: quantile(afterLog, 0.5), p99: quantile(afterLog, 0.99) },
      flips,
    };
  } finally {
    for (const c of children) c.kill('SIGKILL');
    spawnSync('ip', ['netns', 'del', name]);
    rmSync(dir, { recursive: true, force: true });
  }
}
