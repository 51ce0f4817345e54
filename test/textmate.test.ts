/**
 * The TextMate grammar generated from the schema, run by the engine VS Code
 * uses (vscode-textmate with the Oniguruma WebAssembly build).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INITIAL, type IGrammar, parseRawGrammar, Registry } from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { beforeAll, describe, expect, it } from 'vitest';
import { languageConfiguration, SCOPE, textmateGrammar } from '../vscode-extension/src/grammar.ts';

let grammar: IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(join(import.meta.dirname, '../node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => (scope === SCOPE ? parseRawGrammar(JSON.stringify(textmateGrammar()), 'keepalived.tmLanguage.json') : null),
  });
  grammar = (await registry.loadGrammar(SCOPE))!;
});

/** `text → innermost scope` for every token of the lines. */
function scopes(text: string): string[] {
  let state = INITIAL;
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      const piece = line.slice(t.startIndex, t.endIndex);
      if (piece.trim()) out.push(`${piece.trim()} → ${t.scopes[t.scopes.length - 1]}`);
    }
    state = r.ruleStack;
  }
  return out;
}

describe('TextMate grammar', () => {
  it('scopes keywords, values, addresses and numbers', () => {
    expect(scopes('vrrp_instance VI_1 {\n    state MASTER\n    priority 100\n    virtual_ipaddress {\n        192.168.1.100/24 dev eth0\n        fd00::1/64\n    }\n}')).toEqual([
      'vrrp_instance → keyword.other.keepalived',
      'VI_1 → source.keepalived',
      '{ → punctuation.section.block.begin.keepalived',
      'state → keyword.other.keepalived',
      'MASTER → constant.language.keepalived',
      'priority → keyword.other.keepalived',
      '100 → constant.numeric.keepalived',
      'virtual_ipaddress → keyword.other.keepalived',
      '{ → punctuation.section.block.begin.keepalived',
      '192.168.1.100/24 → constant.numeric.ip-address.keepalived',
      'dev eth0 → source.keepalived',
      'fd00::1/64 → constant.numeric.ip-address.keepalived',
      '} → punctuation.section.block.end.keepalived',
      '} → punctuation.section.block.end.keepalived',
    ]);
  });

  it('scopes comments as keepalived starts them: # and !, mid-word too, not in strings or after a backslash', () => {
    expect(scopes('! Configuration File\npriority 100#comment\nscript "/bin/check # not a comment"\nauth_pass a\\#b # real')).toEqual([
      '! Configuration File → comment.line.keepalived',
      'priority → keyword.other.keepalived',
      '100 → constant.numeric.keepalived',
      '#comment → comment.line.keepalived',
      'script → keyword.other.keepalived',
      '" → punctuation.definition.string.begin.keepalived',
      '/bin/check # not a comment → string.quoted.double.keepalived',
      '" → punctuation.definition.string.end.keepalived',
      'auth_pass → keyword.other.keepalived',
      'a → source.keepalived',
      '\\# → constant.character.escape.keepalived',
      'b → source.keepalived',
      '# real → comment.line.keepalived',
    ]);
  });

  it('marks deprecated keywords and scopes the preprocessor', () => {
    expect(scopes('lb_kind DR\n@node1 priority 150\n$IF=eth0\ninterface $IF\ninclude /etc/keepalived/conf.d/*.conf')).toEqual([
      'lb_kind → invalid.deprecated.keepalived',
      'DR → constant.language.keepalived',
      '@node1 → keyword.control.conditional.keepalived',
      'priority → keyword.other.keepalived',
      '150 → constant.numeric.keepalived',
      '$IF → variable.other.definition.keepalived',
      '= → keyword.operator.assignment.keepalived',
      'eth0 → string.unquoted.definition.keepalived',
      'interface → keyword.other.keepalived',
      '$IF → variable.other.reference.keepalived',
      'include → keyword.control.import.keepalived',
      '/etc/keepalived/conf.d/*.conf → string.unquoted.path.keepalived',
    ]);
  });

  it('knows every keyword of the fixtures that the reader knows', () => {
    const text = readFileSync(join(import.meta.dirname, 'fixtures/keepalived/lvs.conf'), 'utf8');
    const firstWords = text.split('\n').map((l) => l.trim().split(/\s+/)[0]!).filter((w) => /^[a-z_]+$/i.test(w));
    const unscoped = scopes(firstWords.join('\n')).filter((s) => s.endsWith('source.keepalived'));
    expect(unscoped).toEqual([]);
  });

  it('has a language configuration with # comments and brace folding', () => {
    expect(languageConfiguration()).toMatchObject({ comments: { lineComment: '#' }, brackets: [['{', '}']] });
  });
});
