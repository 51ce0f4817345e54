/**
 * Completion: the keywords of the block at the cursor (with snippets for the
 * blocks people write most), and for the words after a keyword the values its
 * parameter takes: enum values, names defined in the configuration, the
 * interfaces it mentions, option names.
 */
import { type CompletionItem, CompletionItemKind, CompletionItemTag, InsertTextFormat, MarkupKind } from 'vscode-languageserver';
import type { Config } from '../grammar/index.ts';
import { blockDef, itemDef, type KeywordDef, lookupKeyword, type Param, type Syntax, type ValueType } from '../grammar/schema/index.ts';
import { cursorContext } from './context.ts';
import { keywordMarkdown } from './keyword-docs.ts';
import { interfaceNames, namesOf } from './names.ts';

/** Bodies for the blocks users write most; `$1`... are the tab stops. */
const SNIPPETS: Record<string, string> = {
  vrrp_instance: 'vrrp_instance ${1:VI_1} {\n\tstate ${2|BACKUP,MASTER|}\n\tinterface ${3:eth0}\n\tvirtual_router_id ${4:51}\n\tpriority ${5:100}\n\tadvert_int 1\n\tvirtual_ipaddress {\n\t\t${6:192.168.1.100/24}\n\t}\n}',
  vrrp_script: 'vrrp_script ${1:chk_service} {\n\tscript "${2:/usr/local/bin/check.sh}"\n\tinterval ${3:2}\n\tweight ${4:-20}\n\tfall 2\n\trise 2\n}',
  virtual_server: 'virtual_server ${1:192.168.1.100} ${2:80} {\n\tdelay_loop 6\n\tlb_algo ${3|rr,wrr,lc,wlc,sh,dh|}\n\tlb_kind ${4|NAT,DR,TUN|}\n\tprotocol TCP\n\treal_server ${5:192.168.1.10} ${2} {\n\t\tweight 1\n\t\tTCP_CHECK {\n\t\t\tconnect_timeout 3\n\t\t}\n\t}\n}',
  real_server: 'real_server ${1:192.168.1.10} ${2:80} {\n\tweight 1\n\tTCP_CHECK {\n\t\tconnect_timeout 3\n\t}\n}',
  global_defs: 'global_defs {\n\trouter_id ${1:LVS_1}\n\tenable_script_security\n\tscript_user ${2:root}\n}',
  vrrp_sync_group: 'vrrp_sync_group ${1:VG_1} {\n\tgroup {\n\t\t${2:VI_1}\n\t}\n}',
};

export function complete(text: string, offset: number, config: Config | undefined): CompletionItem[] {
  const ctx = cursorContext(text, offset);
  if (ctx.inComment || ctx.inString) return [];
  const scope = ctx.scope;
  if ('unknown' in scope) return [];
  if ('list' in scope) {
    const item = itemDef(scope.list);
    const syntax = 'forms' in item.syntax ? item.syntax.forms[0]!.syntax : item.syntax;
    return valuesFor(syntax, ctx.words, config);
  }
  if (!ctx.words.length) return keywordItems(blockDef(scope.blockId).keywords);
  const def = lookupKeyword(scope.blockId, ctx.words[0]!);
  if (!def?.syntax) return [];
  const syntax = 'forms' in def.syntax ? def.syntax.forms[0]!.syntax : def.syntax;
  return valuesFor(syntax, ctx.words.slice(1), config);
}

function keywordItems(keywords: readonly KeywordDef[]): CompletionItem[] {
  const out: CompletionItem[] = [];
  for (const def of keywords) {
    const item: CompletionItem = {
      label: def.name,
      kind: def.kind === 'statement' ? CompletionItemKind.Keyword : CompletionItemKind.Module,
      detail: def.summary,
      documentation: { kind: MarkupKind.Markdown, value: keywordMarkdown(def) },
    };
    if (def.deprecated) item.tags = [CompletionItemTag.Deprecated];
    out.push(item);
    const snippet = SNIPPETS[def.name];
    if (snippet) {
      out.push({
        label: def.name,
        kind: CompletionItemKind.Snippet,
        detail: `${def.name} block`,
        insertText: snippet,
        insertTextFormat: InsertTextFormat.Snippet,
        documentation: { kind: MarkupKind.Markdown, value: `\`\`\`keepalived\n${snippet.replace(/\$\{\d+\|([^,|]*)[^}]*\}|\$\{\d+:?([^}]*)\}/g, '$1$2')}\n\`\`\`` },
      });
    } else if (def.kind !== 'statement') {
      out.push({ label: `${def.name} {}`, kind: CompletionItemKind.Snippet, detail: def.summary, insertText: `${def.name} $1{\n\t$0\n}`, insertTextFormat: InsertTextFormat.Snippet, filterText: def.name });
    }
  }
  return out;
}

/** What may come after `words` (the words already written after the keyword, or of the item). */
function valuesFor(syntax: Syntax, words: readonly string[], config: Config | undefined): CompletionItem[] {
  const options = syntax.options ?? [];
  // After an option's name come its parameters.
  for (let back = 1; back <= words.length; back++) {
    const option = options.find((o) => o.name === words[words.length - back] || o.aliases?.includes(words[words.length - back]!));
    if (!option) continue;
    const param = option.params?.[back - 1];
    if (param) return valuesOfType(param.type, config);
    break;
  }
  const positional = positionalParam(syntax.params, words.length);
  const out = positional ? valuesOfType(positional.type, config) : [];
  if (!positional || positional.optional || positional.variadic) {
    for (const o of options) out.push({ label: o.name, kind: CompletionItemKind.Property, detail: o.summary ?? `option of ${syntax.params.map((p) => p.name).join(' ')}` });
  }
  return out;
}

function positionalParam(params: readonly Param[], index: number): Param | undefined {
  if (index < params.length) return params[index];
  const last = params[params.length - 1];
  return last?.variadic ? last : undefined;
}

function valuesOfType(type: ValueType, config: Config | undefined): CompletionItem[] {
  const values = (labels: readonly string[], kind: CompletionItemKind) => labels.map((label) => ({ label, kind }));
  switch (type.kind) {
    case 'enum':
      return values(type.values, CompletionItemKind.EnumMember);
    case 'bool':
      return values(['on', 'off'], CompletionItemKind.EnumMember);
    case 'ref':
      return config ? values(namesOf(config, type.to), CompletionItemKind.Reference) : [];
    case 'ifname':
      return config ? values(interfaceNames(config), CompletionItemKind.Value) : [];
    case 'union':
      return type.of.flatMap((t) => valuesOfType(t, config));
    default:
      return [];
  }
}
