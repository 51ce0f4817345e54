/** The lint engine: which blocks rules see, severities, and reader diagnostics a rule supersedes. */
import { describe, expect, it } from 'vitest';
import { readConfigText } from '../grammar/index.ts';
import { lint, runRules } from '../lint/engine.ts';
import type { LintRule } from '../lint/rule.ts';
import { lintRules } from '../lint/rules/index.ts';

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

describe('statement visitors', () => {
  it('see every statement of their keyword, aliases included, with its block', () => {
    const seen: string[] = [];
    const rule: LintRule = {
      meta: { id: 'sees-methods', description: 'test', defaultSeverity: 'warning' },
      create: () => ({ statements: { lvs_method: (s, parent) => seen.push(`${s.keyword.text} ${s.words[0]?.text} in ${parent?.keyword.text}`) } }),
    };
    const { config } = read('virtual_server 10.0.0.1 80 {\n  lb_kind DR\n  real_server 10.0.0.2 80 {\n    lvs_method NAT\n  }\n}\n');
    runRules(config, [rule]);
    expect(seen).toEqual(['lb_kind DR in virtual_server', 'lvs_method NAT in real_server']);
  });
});

describe('lint', () => {
  const redirect = 'vrrp_script chk {\n  script "/usr/bin/check" > /dev/null\n  interval 2\n}\n';

  it("drops the reader's diagnostic that a rule's at the same place supersedes", () => {
    const ids = lint(read(redirect), { rules: lintRules }).map((d) => d.ruleId);
    expect(ids).toContain('notify-redirect-outside-quotes');
    expect(ids).not.toContain('extra-argument');
  });

  it("keeps the reader's diagnostic when the superseding rule is off or disabled", () => {
    const off = lint(read(redirect), { rules: lintRules, severities: { 'notify-redirect-outside-quotes': 'off' } }).map((d) => d.ruleId);
    expect(off).toContain('extra-argument');
    const disabled = redirect.replace('  script', '  # kalint-disable-next-line notify-redirect-outside-quotes\n  script');
    expect(lint(read(disabled), { rules: lintRules }).map((d) => d.ruleId)).toContain('extra-argument');
  });

  it('applies configured severities to reader and lint rules alike', () => {
    const found = lint(read(redirect), { rules: lintRules, severities: { 'notify-redirect-outside-quotes': 'warning', 'script-security-missing': 'off', 'unused-vrrp-script': 'off' } });
    expect(found.map((d) => `${d.ruleId} ${d.severity}`)).toEqual(['notify-redirect-outside-quotes warning']);
  });
});
