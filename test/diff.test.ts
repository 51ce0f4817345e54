/** kalint diff on crafted pairs: exactly the changed objects and settings, nothing for layout or spelling. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigText } from '../grammar/index.ts';
import { diffConfigs, formatChanges } from '../translate/index.ts';
import { project } from './helpers/project.ts';

const BASE = `global_defs {
    router_id lb1
}
vrrp_script chk {
    script "/bin/check"
    interval 2
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    track_script {
        chk
    }
    virtual_ipaddress {
        10.0.0.100/24
    }
}
virtual_server 10.0.0.100 80 {
    delay_loop 6
    lvs_sched wrr
    lvs_method DR
    protocol TCP
    real_server 10.0.1.1 80 {
        weight 1
        TCP_CHECK {
            connect_timeout 3
        }
    }
    real_server 10.0.1.2 80 {
        weight 2
    }
}
`;

const diff = (a: string, b: string) => formatChanges(diffConfigs(readConfigText(a, '/t/a.conf').config, readConfigText(b, '/t/b.conf').config));

describe('kalint diff', () => {
  it('reports nothing for layout, comments, quoting and equivalent spellings', () => {
    const same = `# reformatted\n${BASE.replace('lvs_sched wrr', 'lb_algo wrr').replace('lvs_method DR', 'lb_kind DR').replace('script "/bin/check"', 'script /bin/check').replace(/\n {4}/g, '\n  ')}`;
    expect(diff(BASE, same)).toBe('');
  });

  it('reports a changed priority, an added VIP, a removed real server, a changed checker setting', () => {
    const changed = BASE.replace('priority 100', 'priority 150')
      .replace('10.0.0.100/24\n', '10.0.0.100/24\n        10.0.0.101/24\n')
      .replace(/ {4}real_server 10\.0\.1\.2 80 \{\n {8}weight 2\n {4}\}\n/, '')
      .replace('connect_timeout 3', 'connect_timeout 5');
    expect(diff(BASE, changed)).toBe(
      [
        '~ vrrp_instance VI_1: priority 100 -> 150',
        '+ vrrp_instance VI_1: virtual_ipaddress 10.0.0.101/24',
        '~ virtual_server 10.0.0.100 80 / real_server 10.0.1.1 80 / TCP_CHECK: connect_timeout 3 -> 5',
        '- virtual_server 10.0.0.100 80 / real_server 10.0.1.2 80',
        '',
      ].join('\n'),
    );
  });

  it('reports added and removed objects and settings', () => {
    const changed = BASE.replace('vrrp_instance VI_1', 'vrrp_instance VI_2').replace('    interval 2\n', '    interval 2\n    fall 3\n').replace('    delay_loop 6\n', '');
    expect(diff(BASE, changed)).toBe(
      ['+ vrrp_script chk: fall 3', '- vrrp_instance VI_1', '- virtual_server 10.0.0.100 80: delay_loop 6', '+ vrrp_instance VI_2', ''].join('\n'),
    );
  });

  it('prints JSON and exits 1 on differences, 0 without', () => {
    const dir = project({ 'a.conf': BASE, 'b.conf': BASE.replace('priority 100', 'priority 99'), 'c.conf': BASE });
    const run = (args: string[]) => spawnSync(process.execPath, [join(import.meta.dirname, '../bin/kalint.js'), 'diff', ...args], { cwd: dir, encoding: 'utf8' });
    const r = run(['a.conf', 'b.conf', '--format', 'json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([{ kind: 'changed', path: ['vrrp_instance VI_1'], setting: 'priority', old: '100', new: '99' }]);
    expect(run(['a.conf', 'c.conf'])).toMatchObject({ status: 0, stdout: '' });
  });
});
