import { describe, expect, it } from 'vitest';
import { readConfigText } from '../grammar/index.ts';
import type { Dataplane, ServiceState } from '../runtime/dataplane/types.ts';
import { virtualServersOf } from '../runtime/lvs/config.ts';
import { type CheckerHandle, Lvs } from '../runtime/lvs/manager.ts';

const CONFIG = `global_defs {
    router_id director1
}
virtual_server 192.0.2.1 80 {
    lvs_sched wrr
    lvs_method NAT
    protocol TCP
    quorum 2
    quorum_up "/bin/true up"
    sorry_server 10.0.0.9 8080
    smtp_alert
    real_server 10.0.0.1 80 {
        weight 1
        notify_down "/bin/echo down"
        TCP_CHECK {
            connect_timeout 1
        }
    }
    real_server 10.0.0.2 80 {
        weight 3
        inhibit_on_failure
        TCP_CHECK {
            alpha
        }
    }
}
virtual_server fwmark 7 {
    lvs_sched sh
    sh-port
    mh-port
    persistence_timeout 60
    persistence_granularity 255.255.255.0
    lvs_method DR
    real_server 10.0.0.3 0 {
    }
}
`;

class RecordingDataplane implements Dataplane {
  readonly name = 'recording';
  applied: ServiceState[][] = [];
  closed = false;
  async apply(state: ServiceState[]): Promise<void> {
    this.applied.push(structuredClone(state));
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function setup() {
  const { config } = readConfigText(CONFIG, '/t/keepalived.conf');
  const problems: string[] = [];
  const logs: string[] = [];
  const servers = virtualServersOf(config, { security: false, defaultUserFailed: false }, problems, (l) => logs.push(l));
  const reports = new Map<string, (up: boolean) => void>();
  const effects = { scripts: [] as string[], fifo: [] as string[], mail: [] as string[] };
  const dataplane = new RecordingDataplane();
  const lvs = new Lvs(
    dataplane,
    {
      log: (l) => logs.push(l),
      script: (c) => effects.scripts.push(c.argv.join(' ')),
      fifo: (l) => effects.fifo.push(l),
      mail: (subject, body) => effects.mail.push(`${subject} | ${body}`),
    },
    (vs, server) =>
      vs.realServers[server]!.block.children
        .filter((n) => n.type === 'Block')
        .map((n, i): CheckerHandle => ({
          alpha: n.type === 'Block' && n.children.some((c) => c.def.name === 'alpha'),
          name: 'TCP CHECK',
          start: (report) => reports.set(`${vs.pool.label} ${server}.${i}`, report),
          stop: () => reports.delete(`${vs.pool.label} ${server}.${i}`),
        })),
  );
  return { servers, problems, logs, reports, effects, dataplane, lvs };
}

const weights = (s: ServiceState) => Object.fromEntries(s.destinations.map((d) => [`${d.address}:${d.port}`, d.weight]));

describe('kalint run: the virtual servers', () => {
  it('reads services as keepalived programs them', () => {
    const { servers, problems } = setup();
    expect(problems).toEqual([]);
    const [web, marked] = servers.map((s) => s.pool.service);
    expect(web).toMatchObject({ id: 'tcp|192.0.2.1|80', protocol: 'tcp', address: '192.0.2.1', port: 80, scheduler: 'wrr', flags: [] });
    expect(marked).toMatchObject({ id: 'fwmark|4|7', fwmark: 7, scheduler: 'sh', flags: ['sh-port'], persistence: { timeout: 60, netmask: '255.255.255.0' } });
    expect(servers[0]!.pool).toMatchObject({ label: '[192.0.2.1]:tcp:80', quorum: 2, sorry: { address: '10.0.0.9', port: 8080 } });
    expect(servers[0]!.pool.servers.map((s) => [s.weight, s.inhibit])).toEqual([
      [1, false],
      [3, true],
    ]);
    expect(servers[1]!.pool).toMatchObject({ label: 'FWM 7' });
    expect(servers[1]!.pool.servers[0]).toMatchObject({ forwarding: 'DR', port: 0 });
  });

  it('drives pools from checker verdicts and gives the dataplane one update per change', async () => {
    const { servers, reports, effects, dataplane, lvs } = setup();
    lvs.configure(servers);
    await lvs.settled();
    // The alpha server starts inhibited at weight 0; the quorum of 2 is not met by weight 1, so the sorry server serves.
    expect(weights(dataplane.applied.at(-1)![0]!)).toEqual({ '10.0.0.2:80': 0, '10.0.0.9:8080': 1 });
    expect(lvs.status()[0]!.sorry).toEqual({ server: '[10.0.0.9]:tcp:8080', alive: true, inTable: true, weight: 1 });
    expect(lvs.dataplaneStatus()).toEqual({ name: 'recording' });
    reports.get('[192.0.2.1]:tcp:80 1.0')!(true);
    await lvs.settled();
    expect(weights(dataplane.applied.at(-1)![0]!)).toEqual({ '10.0.0.1:80': 1, '10.0.0.2:80': 3 });
    expect(effects.scripts).toContain('/bin/true up');
    expect(effects.fifo).toContain('VS [192.0.2.1]:tcp:80 UP\n');
    expect(effects.mail).toContain('Virtualserver [192.0.2.1]:tcp:80 - UP | => Gained quorum 2+0=2 <= 4 <=');
    reports.get('[192.0.2.1]:tcp:80 0.0')!(false);
    await lvs.settled();
    expect(effects.scripts).toContain('/bin/echo down');
    expect(effects.fifo).toContain('RS [10.0.0.1]:tcp:80 [192.0.2.1]:tcp:80 DOWN\n');
    expect(effects.mail).toContain('Realserver [10.0.0.1]:tcp:80 of virtual server [192.0.2.1]:tcp:80 - DOWN | => TCP CHECK failed on service <=');
    const updates = dataplane.applied.length;
    reports.get('[192.0.2.1]:tcp:80 0.0')!(false);
    await lvs.settled();
    expect(dataplane.applied.length).toBe(updates);
    expect(lvs.status()[0]).toMatchObject({ service: '[192.0.2.1]:tcp:80', quorum: true, sorry: { alive: false, inTable: false } });
  });

  it('keeps unchanged virtual servers running on reload and stops the rest', async () => {
    const { servers, reports, dataplane, lvs } = setup();
    lvs.configure(servers);
    reports.get('[192.0.2.1]:tcp:80 1.0')!(true);
    await lvs.settled();
    const before = reports.get('[192.0.2.1]:tcp:80 1.0');
    lvs.configure(setup().servers.slice(0, 1));
    await lvs.settled();
    expect(reports.get('[192.0.2.1]:tcp:80 1.0')).toBe(before);
    expect(reports.has('FWM 7 0.0')).toBe(false);
    expect(dataplane.applied.at(-1)!.map((s) => s.service.id)).toEqual(['tcp|192.0.2.1|80']);
    await lvs.stop();
    expect(dataplane.applied.at(-1)).toEqual([]);
    expect(dataplane.closed).toBe(true);
  });
});
