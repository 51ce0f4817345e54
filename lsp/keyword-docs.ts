/** A keyword's documentation from the schema, in Markdown, for hover and completion. */
import { describeType } from '../grammar/values.ts';
import { type ItemDef, type KeywordDef, type OptionDef, type Param, type Syntax } from '../grammar/schema/index.ts';

function paramText(p: Param): string {
  const body = `${p.name}${p.variadic ? '...' : ''}`;
  return p.optional ? `[${body}]` : body;
}

function optionText(o: OptionDef): string {
  return [o.name, ...(o.params ?? []).map(paramText)].join(' ');
}

/** `keyword PARAM [OPTIONAL] [option VALUE]`, one line per form. */
export function usage(name: string, syntax: Syntax | { forms: { syntax: Syntax }[] } | undefined, block: boolean): string[] {
  const tail = block ? ' { ... }' : '';
  if (!syntax) return [`${name}${tail}`];
  const forms = 'forms' in syntax ? syntax.forms.map((f) => f.syntax) : [syntax];
  return forms.map((s) => {
    const options = s.options?.length ? ` [${s.options.map(optionText).join(' | ')}]` : '';
    return [name, ...s.params.map(paramText)].join(' ') + options + tail;
  });
}

function paramLines(syntax: Syntax | { forms: { syntax: Syntax }[] } | undefined): string[] {
  if (!syntax) return [];
  const params = 'forms' in syntax ? syntax.forms.flatMap((f) => f.syntax.params) : syntax.params;
  const options = 'forms' in syntax ? syntax.forms.flatMap((f) => f.syntax.options ?? []) : (syntax.options ?? []);
  return [
    ...params.map((p) => `- \`${p.name}\`: ${describeType(p.type)}${p.optional ? ' (optional)' : ''}`),
    ...options.map((o) => `- \`${optionText(o)}\`${o.summary ? `: ${o.summary}` : ''}${o.params?.length ? ` (${o.params.map((p) => describeType(p.type)).join(', ')})` : ''}`),
  ];
}

export function keywordMarkdown(def: KeywordDef): string {
  const lines = ['```keepalived', ...usage(def.name, def.kind === 'list' ? def.syntax : def.syntax, def.kind !== 'statement'), '```', def.summary];
  const params = paramLines(def.kind === 'list' ? def.syntax : def.syntax);
  if (params.length) lines.push('', ...params);
  const facts: string[] = [];
  if (def.default !== undefined) facts.push(`Default: ${def.default}`);
  facts.push(`Since keepalived ${def.since}`);
  if (def.aliasOf) facts.push(`Same as \`${def.aliasOf}\``);
  if (def.required) facts.push('Required: keepalived drops the block without it');
  lines.push('', facts.join(' · '));
  if (def.deprecated) lines.push('', `**Deprecated**${def.deprecated.since ? ` since ${def.deprecated.since}` : ''}: ${def.deprecated.message}`);
  return lines.join('\n');
}

export function itemMarkdown(item: ItemDef, keyword: string): string {
  return ['```keepalived', ...usage('', item.syntax, false).map((u) => u.trim()), '```', `An item of \`${keyword}\`: ${item.summary}`, '', ...paramLines(item.syntax)].join('\n');
}
