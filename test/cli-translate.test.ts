/** `kalint translate` and `kalint schema` as a user runs them. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { project } from './helpers/project.ts';

const ROOT = join(import.meta.dirname, '..');
const kalint = (args: string[], cwd = ROOT) => spawnSync(process.execPath, [join(ROOT, 'bin/kalint.js'), ...args], { cwd, encoding: 'utf8' });
const CONF = 'vrrp_instance VI_1 { # main\n    state BACKUP\n    interface eth0\n    virtual_router_id 51\n    priority 100\n}\n';

describe('kalint translate', () => {
  it('goes conf -> json -> conf and conf -> yaml -> conf, comments kept', () => {
    const dir = project({ 'keepalived.conf': CONF });
    const json = kalint(['translate', 'keepalived.conf', '--to', 'json'], dir);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout).keepalived[0]).toMatchObject({ vrrp_instance: 'VI_1', comment: '# main' });
    const dir2 = project({ 'k.json': json.stdout, 'k.yaml': kalint(['translate', 'keepalived.conf', '--to', 'yaml'], dir).stdout });
    expect(kalint(['translate', 'k.json', '--to', 'conf'], dir2).stdout).toBe(CONF);
    expect(kalint(['translate', 'k.yaml', '--to', 'conf'], dir2).stdout).toBe(CONF);
  });

  it('adds positions when asked', () => {
    const dir = project({ 'keepalived.conf': CONF });
    const model = JSON.parse(kalint(['translate', 'keepalived.conf', '--to', 'json', '--positions'], dir).stdout);
    expect(model.keepalived[0].body[3].position).toEqual({ file: 'keepalived.conf', line: 5, column: 5 });
  });

  it('rejects data that does not match the schema, with JSON paths, exit 1', () => {
    const dir = project({ 'bad.yaml': 'keepalived:\n  - vrrp_instance: VI_1\n    body:\n      - priority: 900\n' });
    const r = kalint(['translate', 'bad.yaml', '--to', 'conf'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('bad.yaml:/keepalived/0/body/0/priority  error  must be <= 255\n');
  });

  it('prints the schema, which is valid JSON Schema draft-07', () => {
    const r = kalint(['schema']);
    expect(r.status).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(Object.keys(schema.definitions).length).toBeGreaterThan(25);
    expect(readFileSync(join(ROOT, 'package.json'), 'utf8')).toContain('"yaml"');
  });

  it('exits 2 on usage errors', () => {
    expect(kalint(['translate', 'x.conf']).status).toBe(2);
    expect(kalint(['translate', '--to', 'xml', 'x.conf']).status).toBe(2);
  });
});
