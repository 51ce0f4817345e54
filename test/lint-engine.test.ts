/** The lint engine: which blocks rules see. */
import { describe, expect, it } from 'vitest';
import { readConfigText } from '../grammar/index.ts';
import { runRules } from '../lint/engine.ts';
import type { LintRule } from '../lint/rule.ts';

const read = (text: string) => readConfigText(text, '/etc/keepalived/keepalived.conf');

/** A rule reporting the header of every vrrp_instance it is shown. */
const seesInstances: LintRule = {
  meta: { id: 'sees-instances', description: 'test', defaultSeverity: 'warning' },
  create(context) {
    return { blocks: { vrrp_instance: (b) => context.report({ range: b.keyword.range, message: `saw ${b.name}` }) } };
  },
};

describe('runRules', () => {
  it('does not show rules the blocks keepalived discards', () => {
    const { config } = read('vrrp_instance A {\n  priority 100\n}\nvrrp_instance A {\n  priority 90\n}\nvrrp_instance B {\n}\n');
    expect(runRules(config, [seesInstances]).map((d) => d.message)).toEqual(['saw A', 'saw B']);
  });
});
