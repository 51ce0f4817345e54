/**
 * The TextMate grammar and the language configuration, generated from the
 * keyword schema at build time: every keyword the schema knows (deprecated
 * ones marked), every enum value, and keepalived's lexical rules for
 * comments (`#` and `!`, anywhere outside quotes, `\#` escaped), strings,
 * `@id`/`~SEQ` prefixes, `$NAME` definitions and references, and includes.
 */
import { schema } from '../../grammar/schema/index.ts';

export const SCOPE = 'source.keepalived';

/** Longest first, so that the alternation prefers `vrrp_script` to `vrrp`. */
function alternation(words: Iterable<string>): string {
  return [...new Set(words)]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
}

/** A whole word as keepalived splits them: between blanks, braces, quotes and comment characters. */
const word = (alternatives: string) => `(?<=^|[\\s{}])(?:${alternatives})(?=$|[\\s{}#!"])`;

export function textmateGrammar(): object {
  const keywords = new Set<string>();
  const deprecated = new Set<string>();
  const values = new Set<string>();
  for (const block of schema.blocks.values()) {
    for (const k of block.keywords) {
      (k.deprecated ? deprecated : keywords).add(k.name);
      const syntaxes = !k.syntax ? [] : 'forms' in k.syntax ? k.syntax.forms.map((f) => f.syntax) : [k.syntax];
      for (const s of syntaxes) for (const p of [...s.params, ...(s.options ?? []).flatMap((o) => o.params ?? [])]) if (p.type.kind === 'enum') for (const v of p.type.values) values.add(v);
    }
  }
  for (const k of deprecated) if (keywords.has(k)) deprecated.delete(k);
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'keepalived',
    scopeName: SCOPE,
    patterns: [
      { include: '#comment' },
      { include: '#string' },
      { include: '#preprocessor' },
      { include: '#include' },
      { include: '#keyword' },
      { include: '#value' },
      { include: '#brace' },
    ],
    repository: {
      comment: { name: 'comment.line.keepalived', match: '[#!].*$' },
      string: {
        name: 'string.quoted.double.keepalived',
        begin: '"',
        end: '"|$',
        beginCaptures: { 0: { name: 'punctuation.definition.string.begin.keepalived' } },
        endCaptures: { 0: { name: 'punctuation.definition.string.end.keepalived' } },
        patterns: [{ include: '#reference' }],
      },
      preprocessor: {
        patterns: [
          { name: 'keyword.control.conditional.keepalived', match: '^\\s*@\\^?[^\\s{}#!]+' },
          { name: 'keyword.control.generator.keepalived', match: '~(?:SEQx?|LST)\\([^)]*\\)' },
          {
            match: '^\\s*(\\$[A-Za-z_]\\w*)(=)(.*)$',
            captures: { 1: { name: 'variable.other.definition.keepalived' }, 2: { name: 'keyword.operator.assignment.keepalived' }, 3: { name: 'string.unquoted.definition.keepalived' } },
          },
          { include: '#reference' },
        ],
      },
      reference: { name: 'variable.other.reference.keepalived', match: '\\$\\{[A-Za-z_][\\w \\t]*\\}|\\$[A-Za-z_]\\w*' },
      include: {
        match: '^\\s*(include[rmwba]?)\\s+(.*?)\\s*(?=$|[#!])',
        captures: { 1: { name: 'keyword.control.import.keepalived' }, 2: { name: 'string.unquoted.path.keepalived' } },
      },
      keyword: {
        patterns: [
          { name: 'keyword.other.keepalived', match: word(alternation(keywords)) },
          { name: 'invalid.deprecated.keepalived', match: word(alternation(deprecated)) },
        ],
      },
      value: {
        patterns: [
          { name: 'constant.numeric.ip-address.keepalived', match: word('(?:\\d{1,3}\\.){3}\\d{1,3}(?:/\\d{1,2})?') },
          { name: 'constant.numeric.ip-address.keepalived', match: word('[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:/\\d{1,3})?') },
          { name: 'constant.numeric.keepalived', match: word('-?\\d+(?:\\.\\d+)?') },
          { name: 'constant.language.keepalived', match: word(alternation(values)) },
          { name: 'constant.character.escape.keepalived', match: '\\\\[#!]' },
        ],
      },
      brace: {
        patterns: [
          { name: 'punctuation.section.block.begin.keepalived', match: '\\{' },
          { name: 'punctuation.section.block.end.keepalived', match: '\\}' },
        ],
      },
    },
  };
}

/** Comments, brackets, auto-closing and folding for the editor. */
export function languageConfiguration(): object {
  return {
    comments: { lineComment: '#' },
    brackets: [['{', '}']],
    autoClosingPairs: [
      { open: '{', close: '}' },
      { open: '"', close: '"', notIn: ['string', 'comment'] },
    ],
    surroundingPairs: [
      ['{', '}'],
      ['"', '"'],
    ],
    folding: { markers: { start: '\\{\\s*(?:[#!].*)?$', end: '^\\s*\\}' } },
    wordPattern: '[^\\s{}"#!]+',
    indentationRules: { increaseIndentPattern: '\\{\\s*(?:[#!].*)?$', decreaseIndentPattern: '^\\s*\\}' },
  };
}
