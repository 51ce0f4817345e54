/**
 * Small constructors that keep schema entries to one readable line each.
 * They only build plain data of the types in ./types.ts.
 */
import type {
  BlockDef,
  BlockKeyword,
  ItemKind,
  KeywordDef,
  ListKeyword,
  ObjectKind,
  OptionDef,
  Param,
  StatementKeyword,
  Syntax,
  SyntaxForms,
  ValueType,
  Version,
} from './types.ts';

export const INT32_MAX = 2147483647;
export const UINT32_MAX = 4294967295;

// Value types
export const int = (min: number, max: number): ValueType => ({ kind: 'int', min, max });
export const uint = (min = 0, max = UINT32_MAX, base0 = false): ValueType =>
  base0 ? { kind: 'uint', min, max, base0 } : { kind: 'uint', min, max };
export const decimal = (digits: number, min: number, max: number): ValueType => ({ kind: 'decimal', digits, min, max });
export const timer = (min = 0, max = UINT32_MAX / 1e6): ValueType => ({ kind: 'timer', min, max });
export const bool: ValueType = { kind: 'bool' };
export const oneOf = (values: readonly string[], caseInsensitive = false): ValueType =>
  caseInsensitive ? { kind: 'enum', values, caseInsensitive } : { kind: 'enum', values };
export const text = (maxLength?: number, tooLong: 'error' | 'truncated' | 'dropped' = 'error'): ValueType =>
  maxLength === undefined ? { kind: 'string' } : { kind: 'string', maxLength, tooLong };
export const ifname: ValueType = { kind: 'ifname' };
export const ip = (opts: { family?: 4 | 6; multicast?: boolean; prefix?: 'never' | 'optional' | 'required' } = {}): ValueType => ({
  kind: 'ip',
  ...opts,
});
export const host: ValueType = { kind: 'host' };
export const port = (allowZero = false): ValueType => (allowZero ? { kind: 'port', allowZero } : { kind: 'port' });
export const path = (opts: { absolute?: boolean; directory?: boolean } = {}): ValueType => ({ kind: 'path', ...opts });
export const script: ValueType = { kind: 'script' };
export const user: ValueType = { kind: 'user' };
export const group: ValueType = { kind: 'group' };
export const ref = (to: ObjectKind, resolved: 'when-read' | 'at-end' = 'at-end'): ValueType => ({ kind: 'ref', to, resolved });
export const name = (defines: ObjectKind, maxLength?: number): ValueType =>
  maxLength === undefined ? { kind: 'name', defines } : { kind: 'name', defines, maxLength };
export const email: ValueType = { kind: 'email' };
export const mac = (octets?: 5 | 6): ValueType => (octets ? { kind: 'mac', octets } : { kind: 'mac' });
export const hex = (length?: number): ValueType => (length ? { kind: 'hex', length } : { kind: 'hex' });
export const word: ValueType = { kind: 'word' };
export const either = (...of: ValueType[]): ValueType => ({ kind: 'union', of });

// Parameters
export const p = (paramName: string, type: ValueType): Param => ({ name: paramName, type });
export const opt = (paramName: string, type: ValueType): Param => ({ name: paramName, type, optional: true });
export const rest = (paramName: string, type: ValueType): Param => ({ name: paramName, type, optional: true, variadic: true });

/** The argument, with its own rule ids for some problems: `reportedBy({ range: 'priority-out-of-range' }, p(...))`. */
export const reportedBy = (rules: Param['rules'], param: Param): Param => ({ ...param, rules });

/** A named option: `option('dev', p('interface', ifname))`, or a bare flag: `option('no_track')`. */
export function option(optionName: string, ...params: Param[]): OptionDef {
  return params.length ? { name: optionName, params } : { name: optionName };
}

/** Words after which keepalived rejects anything more. */
export const strict = (...params: Param[]): Syntax => syntax(params, undefined, 'error');

/** `[BOOL]`: the keyword alone means true. */
export const OPTIONAL_BOOL: Param[] = [opt('enabled', bool)];

/** A command and, optionally, the user and group to run it as (keepalived's script keywords). */
const SCRIPT_PARAMS: Param[] = [p('script', script), opt('user', user), opt('group', group)];

export function syntax(params: Param[] = [], options?: OptionDef[], extra?: 'ignored' | 'error'): Syntax {
  const s: Syntax = { params };
  if (options) s.options = options;
  if (extra) s.extra = extra;
  return s;
}

type Extras<T> = Partial<Omit<T, 'name' | 'summary' | 'since' | 'kind'>>;

/** A keyword that takes the given words: `stmt('priority', '...', '1.1.0', [p('priority', uint(1, 255))])`. */
export function stmt(
  keyword: string,
  summary: string,
  since: Version,
  params: Param[] = [],
  extras: Extras<StatementKeyword> = {},
): StatementKeyword {
  return { kind: 'statement', name: keyword, summary, since, syntax: extras.syntax ?? syntax(params), ...extras };
}

/**
 * A script keyword (`notify_master`, `quorum_up` ...): a command, optionally the user and group to run it as,
 * re-tokenized with keepalived's script tokenizer; a second one in a block is an error.
 */
export const scriptStmt = (keyword: string, summary: string, since: Version, extras: Extras<StatementKeyword> = {}): StatementKeyword =>
  stmt(keyword, summary, since, SCRIPT_PARAMS, { quoted: true, repeat: 'error', ...extras });

/** A keyword that takes no words. */
export const flag = (keyword: string, summary: string, since: Version, extras: Extras<StatementKeyword> = {}): StatementKeyword =>
  stmt(keyword, summary, since, [], extras);

/** A keyword that opens a block of keywords. */
export function block(
  keyword: string,
  summary: string,
  since: Version,
  header: Syntax | SyntaxForms,
  blockId: string,
  extras: Extras<BlockKeyword> = {},
): BlockKeyword {
  return { kind: 'block', name: keyword, summary, since, syntax: header, block: blockId, ...extras };
}

/** A keyword that opens a block of free-form items. */
export function list(keyword: string, summary: string, since: Version, item: ItemKind, extras: Extras<ListKeyword> = {}): ListKeyword {
  return { kind: 'list', name: keyword, summary, since, item, ...extras };
}

export function blockDef(id: string, summary: string, keywords: readonly KeywordDef[]): BlockDef {
  return { id, summary, keywords };
}
