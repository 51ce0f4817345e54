/** Hover: what the schema says about the keyword, option or item under the cursor, and where a name is defined. */
import { type Config, positionAt, type SourceFile } from '../grammar/index.ts';
import { itemDef, lookupKeyword } from '../grammar/schema/index.ts';
import { describeType } from '../grammar/values.ts';
import { cursorContext, wordAt } from './context.ts';
import { itemMarkdown, keywordMarkdown } from './keyword-docs.ts';
import { sameObject, siteAt } from './names.ts';

/** Markdown about the word at `offset`, and the word's span. */
export function hover(text: string, offset: number, config: Config | undefined, file: SourceFile | undefined): { markdown: string; start: number; end: number } | undefined {
  const { word, start, end } = wordAt(text, offset);
  if (!word) return undefined;
  const markdown = describe(text, start, word, config, file);
  return markdown ? { markdown, start, end } : undefined;
}

function describe(text: string, start: number, word: string, config: Config | undefined, file: SourceFile | undefined): string | undefined {
  const ctx = cursorContext(text, start);
  if (ctx.inComment || ctx.inString) return undefined;
  const site = config && file ? siteAt(config, file, start) : undefined;
  if (site) {
    const defs = sameObject(config!, site).filter((s) => s.definition);
    const where = defs.map((d) => `${d.word.file.path}:${positionAt(d.word.file, d.word.start).line}`);
    return `\`${site.kind}\` **${site.name}**\n\n${where.length ? `Defined at ${where.join(', ')}` : 'Not defined anywhere keepalived reads'}`;
  }
  const scope = ctx.scope;
  if ('blockId' in scope) {
    const keyword = ctx.words[0] ?? word;
    const def = lookupKeyword(scope.blockId, keyword);
    if (!def) return undefined;
    if (!ctx.words.length) return keywordMarkdown(def);
    const syntax = def.syntax && ('forms' in def.syntax ? def.syntax.forms.map((f) => f.syntax) : [def.syntax]);
    const option = syntax?.flatMap((s) => s.options ?? []).find((o) => o.name === word || o.aliases?.includes(word));
    if (option) return `\`${word}\`: option of \`${def.name}\`${option.summary ? `: ${option.summary}` : ''}${option.params?.length ? `\n\nTakes ${option.params.map((p) => describeType(p.type)).join(', ')}` : ''}`;
    return undefined;
  }
  if ('list' in scope && !ctx.words.length) return itemMarkdown(itemDef(scope.list), scope.keyword);
  return undefined;
}
