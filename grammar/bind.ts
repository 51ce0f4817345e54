/**
 * Matches the words after a keyword (or of a value-block item) against the
 * schema's Syntax: positional parameters in order, named options anywhere,
 * and reports what keepalived would reject, change or silently ignore.
 */
import type { Arguments, Word } from './ast.ts';
import { type Fix, readerRule, readerRules } from './diagnostics.ts';
import type { Reporter } from './report.ts';
import type { OptionDef, Param, Syntax, SyntaxForms } from './schema/types.ts';
import type { Range } from './source.ts';
import { checkValue, describeType, type Value } from './values.ts';

/** Shared by every node whose syntax has no options. */
const NO_OPTIONS: Arguments['options'] = Object.freeze({});

/** What the reader lends the binder. */
export interface BindContext {
  reporter: Reporter;
  /** Called for every word read as a value, with its parameter (names of interfaces and references are checked later). */
  visit(word: Word, param: Param): void;
  /** Whether `word` is a keyword of block `blockId` (to explain squashed lines). */
  isKeyword(blockId: string, word: string): boolean;
}

/** Whose words are being bound. */
export interface BindSite {
  keyword: Word;
  /** An item line of the keyword's value block rather than the keyword's own words. */
  item?: boolean;
  /** The block the statement stands in. */
  blockId?: string;
}

function what(site: BindSite): string {
  return site.item ? `${site.keyword.text} item` : `'${site.keyword.text}'`;
}

/** The point just after the last word (or the keyword): where a missing argument is reported. */
function endOf(site: BindSite, words: readonly Word[]): Range {
  const last = words.length ? words[words.length - 1]!.range : site.keyword.range;
  return { file: last.file, start: last.end, end: last.end };
}

function optionIndex(options: readonly OptionDef[]): Map<string, OptionDef> {
  const byWord = new Map<string, OptionDef>();
  for (const o of options) {
    byWord.set(o.name, o);
    for (const a of o.aliases ?? []) byWord.set(a, o);
  }
  return byWord;
}

const indexCache = new WeakMap<readonly OptionDef[], Map<string, OptionDef>>();

function optionsOf(syntax: Syntax): Map<string, OptionDef> | undefined {
  if (!syntax.options?.length) return undefined;
  let idx = indexCache.get(syntax.options);
  if (!idx) {
    idx = optionIndex(syntax.options);
    indexCache.set(syntax.options, idx);
  }
  return idx;
}

function span(words: Word[]): Range {
  const first = words[0]!.range;
  const last = words[words.length - 1]!.range;
  return first.file === last.file ? { file: first.file, start: first.start, end: Math.max(first.end, last.end) } : first;
}

/** Picks the form whose first word is `words[0]` (or the form without one); returns it and how many words it consumed. */
export function selectForm(s: Syntax | SyntaxForms, words: readonly Word[]): { syntax: Syntax; consumed: number } {
  if (!('forms' in s)) return { syntax: s, consumed: 0 };
  const first = words[0]?.text;
  const chosen = s.forms.find((f) => f.when !== undefined && f.when === first);
  if (chosen) return { syntax: chosen.syntax, consumed: 1 };
  return { syntax: s.forms.find((f) => f.when === undefined)!.syntax, consumed: 0 };
}

/** Index of the parameter that should take `word`: an optional one the word does not fit is passed over for a later one it fits. */
function paramFor(params: readonly Param[], from: number, word: string): number {
  const p = params[from];
  if (!p?.optional || p.variadic || !checkValue(p.type, word).problem) return from;
  for (let k = from + 1; k < params.length; k++) {
    if (!checkValue(params[k]!.type, word).problem) return k;
    if (!params[k]!.optional) break;
  }
  return from;
}

/** Checks one word; `option` names the option it belongs to, for the message. */
function check(ctx: BindContext, word: Word, param: Param, site: BindSite, allWords: readonly Word[], option?: string): Value | undefined {
  ctx.visit(word, param);
  const checked = checkValue(param.type, word.text);
  if (checked.problem) {
    const label = option ? `${what(site)} ${option}` : what(site);
    const suggestion = checked.problem.suggestion;
    const ruleId = param.rules?.[checked.problem.code];
    // An optional value that is a keyword of the block: a statement squashed onto this line.
    const squashed = !option && param.optional && suggestion === undefined && site.blockId !== undefined && ctx.isKeyword(site.blockId, word.text);
    const fixes = squashed
      ? splitLineFix(site, allWords[allWords.indexOf(word) - 1] ?? site.keyword, word)
      : suggestion !== undefined && !word.frame && !word.quoted
        ? [{ description: `Replace with '${suggestion}'`, edits: [{ range: word.range, text: suggestion }] }]
        : [];
    const hint = squashed ? `; '${word.text}' is a keyword here: it looks like two statements squashed onto one line` : '';
    ctx.reporter.report(ruleId ? readerRule(ruleId) : readerRules.invalidValue, word.range, `${label}: ${checked.problem.message}${hint}`, {
      severity: checked.problem.severity,
      frame: word.frame,
      fixes,
    });
  }
  return checked.value;
}

export function bindArguments(syntaxOrForms: Syntax | SyntaxForms, allWords: Word[], ctx: BindContext, site: BindSite): Arguments {
  const { syntax, consumed } = selectForm(syntaxOrForms, allWords);
  const words = consumed ? allWords.slice(consumed) : allWords;
  const options = optionsOf(syntax);
  const args: Arguments = { params: {}, options: options ? {} : NO_OPTIONS };
  const reporter = ctx.reporter;
  let extra: Word[] | undefined;
  let pi = 0;

  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const opt = options?.get(w.text);
    if (opt) {
      if (opt.deprecated) {
        const replacement = opt.deprecated.replacement && options?.get(opt.deprecated.replacement);
        reporter.report(readerRules.deprecatedKeyword, w.range, `'${w.text}' in ${what(site)} is deprecated: ${opt.deprecated.message}`, {
          severity: opt.deprecated.keepalived === 'error' ? 'error' : 'warning',
          frame: w.frame,
          fixes: replacement && !w.frame ? [{ description: `Replace with '${replacement.name}'`, edits: [{ range: w.range, text: replacement.name }] }] : [],
        });
      }
      const values: Record<string, Value> = {};
      const optParams = opt.params ?? [];
      for (let k = 0; k < optParams.length; k++) {
        const next = words[i + 1];
        if (next) k = paramFor(optParams, k, next.text);
        const p = optParams[k]!;
        if (!next || options?.has(next.text)) {
          if (!p.optional) {
            reporter.report(readerRules.missingArgument, w.range, `'${w.text}' in ${what(site)} needs a value (${describeType(p.type)})`, {
              frame: w.frame,
            });
          }
          break;
        }
        i++;
        const v = check(ctx, next, p, site, allWords, w.text);
        if (v !== undefined) values[p.name] = v;
      }
      args.options[opt.name] = opt.params?.length ? values : true;
      continue;
    }
    if (pi < syntax.params.length) pi = paramFor(syntax.params, pi, w.text);
    const param = syntax.params[pi];
    if (!param) {
      (extra ??= []).push(w);
      continue;
    }
    const v = check(ctx, w, param, site, allWords);
    if (param.variadic) {
      const list = (args.params[param.name] as Value[] | undefined) ?? [];
      if (v !== undefined) list.push(v);
      args.params[param.name] = list;
    } else {
      if (v !== undefined) args.params[param.name] = v;
      pi++;
    }
  }

  for (; pi < syntax.params.length; pi++) {
    const p = syntax.params[pi]!;
    if (p.optional || (p.variadic && args.params[p.name] !== undefined)) continue;
    reporter.report(readerRules.missingArgument, endOf(site, allWords), `${what(site)} needs ${p.name.replace(/_/g, ' ')} (${describeType(p.type)})`);
    break;
  }

  if (extra) reportExtra(extra, allWords, syntax, ctx, site);
  return args;
}

/** Puts `keyword` on a line of its own, indented like the statement (one level deeper when it follows a `{`). */
function splitLineFix(site: BindSite, before: Word, keyword: Word): Fix[] {
  const file = keyword.file;
  if (keyword.frame || before.frame || site.keyword.frame || before.file !== file || site.keyword.file !== file) return [];
  const text = file.text;
  if (!/^[ \t]+$/.test(text.slice(before.end, keyword.start))) return [];
  const lineStart = text.lastIndexOf('\n', site.keyword.start - 1) + 1;
  const lead = /^[ \t]*/.exec(text.slice(lineStart, site.keyword.start))![0];
  const indent = lineStart + lead.length === site.keyword.start ? lead : lead + (lead.includes('\t') ? '\t' : '    ');
  return [{ description: `Put '${keyword.text}' on a line of its own`, edits: [{ range: { file, start: before.end, end: keyword.start }, text: `\n${indent}` }] }];
}

function reportExtra(extra: Word[], allWords: readonly Word[], syntax: Syntax, ctx: BindContext, site: BindSite): void {
  const reporter = ctx.reporter;
  const text = extra.map((w) => w.text).join(' ');
  const blockId = site.blockId;
  const squashed = blockId === undefined ? undefined : extra.find((w) => ctx.isKeyword(blockId, w.text));
  if (syntax.extra === 'error') {
    reporter.report(readerRules.invalidValue, span(extra), `${what(site)} takes no more words; keepalived rejects '${text}'`, {
      frame: extra[0]!.frame,
    });
    return;
  }
  const hint = squashed
    ? ` '${squashed.text}' is a keyword here: it looks like two statements squashed onto one line`
    : '';
  const fixes = squashed ? splitLineFix(site, allWords[allWords.indexOf(squashed) - 1] ?? site.keyword, squashed) : [];
  reporter.report(readerRules.extraArgument, span(extra), `keepalived ignores '${text}' after ${what(site)}.${hint}`, {
    frame: extra[0]!.frame,
    fixes,
  });
}
