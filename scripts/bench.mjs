// `npm run bench`: kalint check against keepalived -t on the same files, measured in the same run.
// A 70k-line configuration (2,000 vrrp_instances, 2,000 virtual_servers) and a 100-line one; the
// figures are medians of cold runs (a new process each time, start-up included).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lspLatencies } from './bench-lsp.mjs';
import { lvsBench } from './bench-lvs.mjs';
import { simulateBench } from './bench-simulate.mjs';
import { vrrpBench } from './bench-vrrp.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const kalint = join(root, 'bin/kalint.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

function instance(i) {
  const a = (i >> 8) & 255;
  const b = i & 255;
  return `vrrp_instance VI_${i} {
    state BACKUP
    interface eth0
    virtual_router_id ${(i % 255) + 1}
    priority ${100 + (i % 50)}
    advert_int 1
    unicast_src_ip 10.255.0.1
    unicast_peer {
        10.${100 + a}.${b}.2
    }
    authentication {
        auth_type PASS
        auth_pass pw${i % 1000}
    }
    virtual_ipaddress {
        10.${a}.${b}.1/24 dev eth0
    }
}
`;
}

function virtualServer(i) {
  const a = (i >> 8) & 255;
  const b = i & 255;
  return `virtual_server 10.200.${a}.${b} 80 {
    delay_loop 6
    lvs_sched wrr
    lvs_method NAT
    protocol TCP
    real_server 192.168.${a}.${b} 8080 {
        weight 1
        TCP_CHECK {
            connect_timeout 3
        }
    }
    real_server 192.169.${a}.${b} 8080 {
        weight 2
        TCP_CHECK {
            connect_timeout 3
        }
    }
}
`;
}

function config(instances, servers) {
  const parts = ['global_defs {\n    router_id bench\n}\n'];
  for (let i = 0; i < instances; i++) parts.push(instance(i));
  for (let i = 0; i < servers; i++) parts.push(virtualServer(i));
  return parts.join('');
}

/** A namespace with eth0, so that keepalived checks interfaces as on a real host; undefined when not root. */
function namespace() {
  if (process.getuid?.() !== 0) return undefined;
  const name = `kalint-bench-${process.pid}`;
  const host = `kb${process.pid}`.slice(0, 15);
  try {
    execFileSync('ip', ['netns', 'add', name], { stdio: 'ignore' });
    execFileSync('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name], { stdio: 'ignore' });
    execFileSync('ip', ['-n', name, 'addr', 'add', '10.255.0.1/16', 'dev', 'eth0'], { stdio: 'ignore' });
    execFileSync('ip', ['-n', name, 'link', 'set', 'eth0', 'up'], { stdio: 'ignore' });
    return {
      wrap: (cmd, args) => ['ip', ['netns', 'exec', name, cmd, ...args]],
      remove: () => {
        spawnSync('ip', ['link', 'del', host]);
        spawnSync('ip', ['netns', 'del', name]);
      },
    };
  } catch {
    spawnSync('ip', ['netns', 'del', name]);
    return undefined;
  }
}

function median(values) {
  const s = [...values].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time in ms of RUNS cold runs, and the exit status of the last. */
function measure(cmd, args) {
  const times = [];
  let status;
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    status = r.status;
  }
  return { ms: median(times), status };
}

/** Median reading and rule times of RUNS runs, from `kalint check --timing`. */
function lintShare([cmd, args]) {
  const reading = [];
  const rules = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
    const m = /^reading ([\d.]+) ms, rules ([\d.]+) ms/m.exec(r.stderr);
    if (!m) return undefined;
    reading.push(Number(m[1]));
    rules.push(Number(m[2]));
  }
  return { reading: median(reading), rules: median(rules) };
}

/** Median time of `kalint fmt --timing` in its formatting, over RUNS runs. */
function formatTime([cmd, args]) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
    const m = /^formatting ([\d.]+) ms/m.exec(r.stderr);
    if (!m) return undefined;
    times.push(Number(m[1]));
  }
  return median(times);
}

/** Peak resident memory in MB, from GNU time when it is installed. */
function peakMemory(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) return undefined;
  const kb = Number(r.stderr.trim().split('\n').pop());
  return Number.isFinite(kb) ? kb / 1024 : undefined;
}

/** The least any Node program pays: start Node, read the file, count its lines. */
const FLOOR_SCRIPT = `const t = require('fs').readFileSync(process.argv[1], 'utf8'); let n = 0;
for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) === 10) n++; console.log(String(n));`;

const keepalivedAvailable = !spawnSync('keepalived', ['--version']).error;
const dir = mkdtempSync(join(tmpdir(), 'kalint-bench-'));
const ns = namespace();
const inNs = (cmd, args) => (ns ? ns.wrap(cmd, args) : [cmd, args]);
try {
  const big = join(dir, 'big.conf');
  const bigText = config(2000, 2000);
  writeFileSync(big, bigText);
  const small = join(dir, 'small.conf');
  writeFileSync(small, config(3, 3).split('\n').slice(0, 100).join('\n') + '\n}\n');
  const lines = (t) => t.split('\n').length - 1;

  const rows = [];
  for (const [label, file, text] of [
    ['70k-line config', big, bigText],
    ['100-line config', small, undefined],
  ]) {
    const k = measure(...inNs(process.execPath, [kalint, 'check', '--interfaces', 'host', file]));
    const ka = keepalivedAvailable ? measure(...inNs('keepalived', ['-t', '-f', file])) : undefined;
    const floor = measure(process.execPath, ['-e', FLOOR_SCRIPT, file]);
    rows.push({ label, lines: lines(text ?? bigText.slice(0, 0)) || undefined, file, kalint: k, keepalived: ka, floor });
  }

  console.log(`kalint check vs keepalived -t, median of ${RUNS} cold runs${ns ? ' (inside a network namespace with eth0)' : ''}`);
  for (const r of rows) {
    const ratio = (ms) => (r.keepalived ? `${(ms / r.keepalived.ms).toFixed(2)}x` : 'n/a');
    console.log(
      `  ${r.label.padEnd(16)} kalint ${r.kalint.ms.toFixed(1).padStart(7)} ms (exit ${r.kalint.status})` +
        (r.keepalived ? `   keepalived ${r.keepalived.ms.toFixed(1).padStart(7)} ms (exit ${r.keepalived.status})   ratio ${ratio(r.kalint.ms)}` : '   keepalived not installed'),
    );
    console.log(`  ${''.padEnd(16)} node start-up + reading the file: ${r.floor.ms.toFixed(1)} ms (${ratio(r.floor.ms)}), the floor for any Node program`);
  }
  const [bigRow, smallRow] = rows;
  const lint = lintShare(inNs(process.execPath, [kalint, 'check', '--timing', '--format', 'json', '--interfaces', 'host', big]));
  if (lint) console.log(`  70k-line config, inside kalint: reading ${lint.reading.toFixed(0)} ms, lint rules ${lint.rules.toFixed(0)} ms (medians of ${RUNS} runs)`);
  // The same configuration with its indentation gone, as pasted from a web page.
  const flat = join(dir, 'flat.conf');
  writeFileSync(flat, bigText.replace(/^[ \t]+/gm, ''));
  const formatting = formatTime([process.execPath, [kalint, 'fmt', '--check', '--timing', flat]]);
  if (formatting !== undefined) console.log(`  70k-line config, inside kalint fmt: formatting ${formatting.toFixed(0)} ms (median of ${RUNS} runs)`);
  const smallLsp = join(dir, 'five-thousand.conf');
  const smallLspText = config(150, 150).split('\n').slice(0, 5000).join('\n');
  writeFileSync(smallLsp, smallLspText);
  const lsp = await lspLatencies(kalint, big, bigText, smallLsp, smallLspText, RUNS);
  console.log(`  language server: diagnostics ${lsp.diagnostics.toFixed(0)} ms after a one-character edit of the 70k-line config, completion ${lsp.completion.toFixed(1)} ms in a 5,000-line file (medians)`);
  const vrrp = await vrrpBench(kalint, RUNS);
  if (vrrp) {
    console.log(`  kalint run: takeover ${vrrp.kalintTakeover.toFixed(0)} ms after a keepalived master stops, keepalived as the backup ${vrrp.keepalivedTakeover.toFixed(0)} ms (medians, VRRPv3 at 0.1 s)`);
    console.log(`  kalint run with 100 instances at advert_int 1 over ${vrrp.seconds} s: ${(100 * vrrp.cpuShare).toFixed(1)}% of one core, peak RSS ${vrrp.peakMb.toFixed(0)} MB, ${vrrp.masters} VIPs held`);
  }
  const lvs = await lvsBench(kalint);
  if (lvs) {
    console.log(`  kalint run -C with ${lvs.realServers} real servers (TCP_CHECK, delay_loop 1) over ${lvs.seconds} s: ${(100 * lvs.cpuShare).toFixed(1)}% of one core, peak RSS ${lvs.peakMb.toFixed(0)} MB, ${lvs.ready} in the table`);
    console.log(
      `  real server down -> nftables updated: median ${lvs.downToUpdate.median.toFixed(0)} ms, p99 ${lvs.downToUpdate.p99.toFixed(0)} ms (${lvs.flips} closures; of which after the check's verdict: median ${lvs.logToUpdate.median.toFixed(0)} ms, p99 ${lvs.logToUpdate.p99.toFixed(0)} ms)`,
    );
  }
  const sim = simulateBench(kalint);
  console.log(
    `  kalint simulate, ${sim.nodes} nodes x ${sim.instances} instances, 1 h of virtual time (crash and return at 30 min): ${sim.seconds.toFixed(1)} s wall, ${sim.adverts} adverts, ${sim.transitions} transitions, ${sim.findings} findings`,
  );
  const memK = peakMemory(...inNs(process.execPath, [kalint, 'check', '--interfaces', 'host', big]));
  const memKa = keepalivedAvailable ? peakMemory(...inNs('keepalived', ['-t', '-f', big])) : undefined;
  if (memK !== undefined) console.log(`  peak memory on the 70k-line config: kalint ${memK.toFixed(0)} MB${memKa !== undefined ? `, keepalived ${memKa.toFixed(0)} MB` : ''}`);
  console.log('targets:');
  if (bigRow.keepalived) {
    const ratio = bigRow.kalint.ms / bigRow.keepalived.ms;
    console.log(`  70k lines at most 1.0x keepalived: ${ratio.toFixed(2)}x ${ratio <= 1 ? 'met' : 'missed'}`);
  }
  console.log(`  100 lines under 150 ms with start-up: ${smallRow.kalint.ms.toFixed(1)} ms ${smallRow.kalint.ms < 150 ? 'met' : 'missed'}`);
  if (lint) {
    const share = lint.rules / lint.reading;
    console.log(`  linting adds at most 50% to reading: ${(100 * share).toFixed(0)}% ${share <= 0.5 ? 'met' : 'missed'}`);
  }
  if (lint && formatting !== undefined) {
    const ratio = formatting / lint.reading;
    console.log(`  formatting under 2x reading: ${ratio.toFixed(2)}x ${ratio < 2 ? 'met' : 'missed'}`);
  }
  console.log(`  diagnostics after an edit within 150 ms: ${lsp.diagnostics.toFixed(0)} ms ${lsp.diagnostics <= 150 ? 'met' : 'missed'}`);
  console.log(`  completion within 20 ms: ${lsp.completion.toFixed(1)} ms ${lsp.completion <= 20 ? 'met' : 'missed'}`);
  if (vrrp) {
    const ratio = vrrp.kalintTakeover / vrrp.keepalivedTakeover;
    console.log(`  takeover at most 1.05x keepalived's: ${ratio.toFixed(2)}x ${ratio <= 1.05 ? 'met' : 'missed'}`);
    console.log(`  100 instances under 3% of a core: ${(100 * vrrp.cpuShare).toFixed(1)}% ${vrrp.cpuShare < 0.03 ? 'met' : 'missed'}`);
    console.log(`  100 instances under 120 MB: ${vrrp.peakMb.toFixed(0)} MB ${vrrp.peakMb < 120 ? 'met' : 'missed'}`);
  }
  console.log(`  simulating 10 nodes x 100 instances for 1 h under 10 s: ${sim.seconds.toFixed(1)} s ${sim.seconds < 10 ? 'met' : 'missed'}`);
  if (lvs) console.log(`  2,000 real servers under 25% of a core: ${(100 * lvs.cpuShare).toFixed(1)}% ${lvs.cpuShare < 0.25 ? 'met' : 'missed'}`);
  if (bigRow.kalint.status !== 0) console.log('  note: kalint reported errors on the generated config; the comparison is not like for like');
} finally {
  ns?.remove();
  rmSync(dir, { recursive: true, force: true });
}
