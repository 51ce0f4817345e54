/** keepalived.conf to data and back: round trips on the corpus, the generated schema, comments. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { type Node, nodeHost, readConfig, readConfigText, type ReadResult } from '../grammar/index.ts';
import { modelSchema, toConf, toModel, validateModel } from '../translate/index.ts';
import { CORPUS, ROOT } from './helpers/corpus.ts';

/** What keepalived does with the configuration: keywords, typed arguments and nesting, without spellings or positions. */
function typed(r: ReadResult): unknown {
  const node = (n: Node): unknown => ({
    keyword: n.def.aliasOf ?? n.def.name,
    params: n.params,
    options: n.options,
    ...(n.type === 'Block' ? { ignored: n.ignored ?? false, children: n.children.map(node) } : {}),
    ...(n.type === 'List' ? { items: n.items.map((i) => ({ kind: i.kind, params: i.params, options: i.options })) } : {}),
  });
  return r.config.children.map(node);
}

function read(file: string): ReadResult {
  const r = readConfig(basename(file), { host: nodeHost(dirname(file)), configId: 'node1' });
  if ('error' in r) throw new Error(r.error);
  return r;
}

const mains = CORPUS.filter((f) => !f.includes('/inc/') && !f.includes('/common/'));
const validated = { skipped: 0 };

describe('conf -> json -> conf -> json', () => {
  it.each(mains.map((f) => [relative(ROOT, f), f]))('%s: stable, same typed model, valid against the schema', (_, file) => {
    const original = read(file);
    const json = toModel(original.config);
    // A file with errors keeps its wrong values in the model, and the schema rejects them (test/fixtures has a few on purpose).
    const errors = validateModel(JSON.parse(JSON.stringify(json)));
    if (original.diagnostics.some((d) => d.severity === 'error')) validated.skipped++;
    else expect(errors).toEqual([]);
    const conf = toConf(json);
    const again = readConfigText(conf, join(dirname(file), 'translated.conf'), { configId: 'node1' });
    expect(typed(again)).toEqual(typed(original));
    expect(toModel(again.config)).toEqual(json);
  });

  it('validated all but the files with errors', () => {
    expect(mains.length - validated.skipped).toBeGreaterThanOrEqual(35);
  });

  it.each(mains.map((f) => [relative(ROOT, f), f]))('%s: yaml likewise', (_, file) => {
    const json = toModel(read(file).config);
    const yaml = toYaml(json);
    expect(parseYaml(yaml)).toEqual(JSON.parse(JSON.stringify(json)));
    expect(toModel(readConfigText(toConf(parseYaml(yaml)), join(dirname(file), 'y.conf'), { configId: 'node1' }).config)).toEqual(json);
  });
});

describe('the model', () => {
  const text = `! lb1
global_defs {
    router_id lb1 # this node
}
vrrp_instance VI_1 {
    state BACKUP
    priority 100
    nopreempt
    virtual_ipaddress {
        # the VIP
        10.0.0.1/24 dev eth0
    }
    # end of VI_1
}
# end
`;

  it('is one entry per keyword with typed words, comments kept', () => {
    const model = toModel(readConfigText(text, '/t/keepalived.conf').config);
    expect(model).toEqual({
      keepalived: [
        { comments: ['! lb1'], global_defs: true, body: [{ router_id: 'lb1', comment: '# this node' }] },
        {
          vrrp_instance: 'VI_1',
          body: [{ state: 'BACKUP' }, { priority: 100 }, { nopreempt: true }, { virtual_ipaddress: true, items: [{ comments: ['# the VIP'], item: ['10.0.0.1/24', 'dev', 'eth0'] }] }],
          closingComments: ['# end of VI_1'],
        },
      ],
      closingComments: ['# end'],
    });
    expect(toConf(model)).toBe(text);
  });

  it('gives positions when asked', () => {
    const model = toModel(readConfigText('global_defs {\n  router_id x\n}\n', '/t/k.conf').config, { positions: true });
    expect(model.keepalived[0]!.body![0]!.position).toEqual({ file: '/t/k.conf', line: 2, column: 3 });
  });

  it('rejects invalid documents with JSON paths', () => {
    expect(validateModel({ keepalived: [{ vrrp_instance: 'VI_1', body: [{ priority: 300 }] }] })[0]).toMatchObject({ path: '/keepalived/0/body/0/priority' });
    expect(validateModel({ keepalived: [{ vrrp_instance: 'VI_1', body: [{ state: 'MASTR' }] }] })[0]).toMatchObject({ path: '/keepalived/0/body/0/state', message: expect.stringContaining('MASTER') });
    expect(validateModel({ keepalived: [{ vrrp_instanc: 'VI_1' }] })[0]).toMatchObject({ path: '/keepalived/0', message: expect.stringContaining("'vrrp_instanc'") });
    expect(validateModel({ keepalived: [{ router_id: 'x' }] })).not.toEqual([]);
    expect(validateModel({ keepalived: [{ global_defs: true, body: [{ router_id: 'a', notification_email_from: 'b' }] }] })).toEqual([
      { path: '/keepalived/0/body/0', message: 'names 2 keywords (router_id, notification_email_from); an entry names one' },
    ]);
  });

  it('has a schema that names no keyword like a reserved field', () => {
    const s = JSON.stringify(modelSchema());
    for (const field of ['"body":{"type":"array"}']) expect(s).toContain(field);
    const dir = mkdtempSync(join(tmpdir(), 'kalint-schema-'));
    writeFileSync(join(dir, 'schema.json'), s);
    expect(readFileSync(join(dir, 'schema.json'), 'utf8').length).toBeGreaterThan(10_000);
  });
});
