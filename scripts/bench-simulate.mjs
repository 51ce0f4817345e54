// `npm run bench`, the simulator: 10 nodes with 100 VRRP instances each (each instance has its master on a
// different node), one hour of virtual time with a crash and a return in the middle, through `kalint simulate`
// as a user runs it (reading and linting the ten files included). There is no keepalived counterpart.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NODES = 10;
const INSTANCES = 100;

function config(node) {
  const instances = [];
  for (let i = 1; i <= INSTANCES; i++) {
    instances.push(`vrrp_instance VI_${i} {
    state BACKUP
    interface eth0
    virtual_router_id ${i}
    priority ${100 + ((i + node) % NODES) * 10}
    advert_int 1
    virtual_ipaddress {
        10.1.${i}.1/24
    }
}
`);
  }
  return `global_defs {\n    router_id n${node}\n}\n${instances.join('')}`;
}

export function simulateBench(kalint) {
  const dir = mkdtempSync(join(tmpdir(), 'kalint-bench-sim-'));
  try {
    const files = [];
    for (let n = 0; n < NODES; n++) {
      files.push(join(dir, `n${n}.conf`));
      writeFileSync(files.at(-1), config(n));
    }
    writeFileSync(join(dir, 'scenario.yaml'), 'duration: 1h\nevents:\n  - 30m crash n0\n  - 31m start n0\n');
    const start = performance.now();
    const r = spawnSync(process.execPath, [kalint, 'simulate', ...files, '--scenario', join(dir, 'scenario.yaml')], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const seconds = (performance.now() - start) / 1000;
    if (r.status !== 0 && r.status !== 1) throw new Error(`kalint simulate failed: ${r.stderr}`);
    // The text timeline: one line per transition, and the adverts each node sent.
    const adverts = [...(/^adverts sent: (.*)$/m.exec(r.stdout)?.[1] ?? '').matchAll(/ (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    const transitions = r.stdout.split('\n').filter((l) => / -> /.test(l)).length;
    const findings = r.status === 1 ? Number(/^(\d+) findings? in/m.exec(r.stdout)?.[1] ?? 0) : 0;
    return { seconds, nodes: NODES, instances: INSTANCES, adverts, transitions, findings };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
