/**
 * The shape of the keyword schema: the one table every layer of kalint reads
 * (reader, value checks, did-you-mean, completion, hover, JSON Schema,
 * TextMate grammar, migration table).
 */

/** A keepalived release, `major.minor.patch`. `2.4.4` stands for keepalived's git HEAD after 2.4.3. */
export type Version = `${number}.${number}.${number}`;

/**
 * How keepalived reads one word. Each kind mirrors one family of keepalived's
 * own readers (`read_int`, `read_unsigned`, `read_decimal_unsigned`,
 * `read_timer`, `check_true_false`, `inet_stosockaddr` ...), so a value kalint
 * accepts is a value keepalived accepts.
 */
export type ValueType =
  /** `strtol` base 10 within [min, max]. */
  | { kind: 'int'; min: number; max: number }
  /** `strtoul` (base 10, or `0x`/`0` prefixes when base0) within [min, max]; a leading `-` is an error. */
  | { kind: 'uint'; min: number; max: number; base0?: boolean }
  /** Unsigned decimal with at most `digits` fractional digits, within [min, max] (in whole units). */
  | { kind: 'decimal'; digits: number; min: number; max: number }
  /** Seconds with microsecond resolution (`read_timer`), within [min, max] seconds. */
  | { kind: 'timer'; min: number; max: number }
  /** `on|off|true|false|yes|no`, lower case only. */
  | { kind: 'bool' }
  /** One of `values`; compared case-sensitively unless `caseInsensitive`. */
  | { kind: 'enum'; values: readonly string[]; caseInsensitive?: boolean }
  /** Free text; `maxLength` in bytes, with keepalived's reaction when longer. */
  | { kind: 'string'; maxLength?: number; tooLong?: 'error' | 'truncated' | 'dropped' }
  /** A network interface name (shorter than IFNAMSIZ, 16). */
  | { kind: 'ifname' }
  /** An IP address; `prefix` says whether `/len` may or must follow. */
  | { kind: 'ip'; family?: 4 | 6; multicast?: boolean; prefix?: 'never' | 'optional' | 'required' }
  /** An IP address or a DNS name. */
  | { kind: 'host' }
  /** A TCP/UDP port; keepalived reads 0 as "no port" where `allowZero`. */
  | { kind: 'port'; allowZero?: boolean }
  /** A file system path. */
  | { kind: 'path'; absolute?: boolean; directory?: boolean }
  /** A command line, read by keepalived's script tokenizer (the keyword is "quoted"). */
  | { kind: 'script' }
  /** A user name or numeric uid. */
  | { kind: 'user' }
  /** A group name, optionally prefixed with `:` (supplementary groups). */
  | { kind: 'group' }
  /**
   * The name of an object defined elsewhere in the configuration. keepalived
   * looks some names up as it reads the line (`when-read`: the object must be
   * defined earlier in the file) and others once everything is read.
   */
  | { kind: 'ref'; to: ObjectKind; resolved?: 'when-read' | 'at-end' }
  /** The name this block defines. */
  | { kind: 'name'; defines: ObjectKind; maxLength?: number }
  /** An e-mail address. */
  | { kind: 'email' }
  /** A MAC address. */
  | { kind: 'mac'; octets?: 5 | 6 }
  /** A run of hexadecimal digits. */
  | { kind: 'hex'; length?: number }
  /** Anything: keepalived does not check the word. */
  | { kind: 'word' }
  /** Any one of several types (`brd ADDR|+|-`, `preferred_lft N|forever`). */
  | { kind: 'union'; of: readonly ValueType[] };

/** Kinds of named objects that other statements refer to. */
export type ObjectKind =
  | 'vrrp_instance'
  | 'vrrp_script'
  | 'vrrp_sync_group'
  | 'track_file'
  | 'vrrp_track_process'
  | 'bfd_instance'
  | 'virtual_server_group'
  | 'track_group'
  | 'garp_group';

/** What is wrong with a value, so that a rule can be chosen per kind of problem. */
export type ProblemCode = 'type' | 'range' | 'enum' | 'length' | 'prefix' | 'family' | 'undefined';

/** One positional argument. */
export interface Param {
  name: string;
  type: ValueType;
  optional?: boolean;
  /** Consumes every remaining word (each checked against `type`). */
  variadic?: boolean;
  /**
   * Rule ids that report given problems with this argument instead of the
   * generic `invalid-value` / `undefined-reference` (`{ range: 'priority-out-of-range' }`).
   */
  rules?: Partial<Record<ProblemCode, string>>;
}

/** A named option that may follow the positional arguments, in any order: `weight -20`, `dev eth0`, `reverse`. */
export interface OptionDef {
  name: string;
  /** Words the option takes after its name; none means a bare flag. */
  params?: Param[];
  /** Other spellings keepalived accepts for the same option. */
  aliases?: readonly string[];
  /** Options that may not be combined with this one. */
  excludes?: readonly string[];
  /** Only meaningful right after this other option (`reverse` after `weight`). */
  after?: string;
  since?: Version;
  deprecated?: Deprecation;
  summary?: string;
}

/** The words of a statement or block header after the keyword. */
export interface Syntax {
  params: Param[];
  options?: OptionDef[];
  /** What keepalived does with words it does not read: ignores them silently (the default) or reports an error. */
  extra?: 'ignored' | 'error';
}

/** Alternative header forms chosen by the first word (`virtual_server IP PORT` / `fwmark N` / `group NAME`). */
export interface SyntaxForms {
  forms: { when?: string; syntax: Syntax; summary: string }[];
}

export interface Deprecation {
  /** First release that reports or documents it as deprecated. */
  since?: Version;
  /** The current spelling or construct, when there is one. */
  replacement?: string;
  /** What keepalived itself does on meeting it. */
  keepalived: 'silent' | 'log' | 'error';
  /** Our explanation, shown to users. */
  message: string;
}

/** Items of a value block (`virtual_ipaddress { ... }`): one line each, not keywords. */
export type ItemKind =
  | 'address'
  | 'static-address'
  | 'route'
  | 'static-route'
  | 'rule'
  | 'static-rule'
  | 'unicast-peer'
  | 'track-interface'
  | 'track-script'
  | 'track-file'
  | 'track-process'
  | 'track-bfd'
  | 'email'
  | 'instance-name'
  | 'interface-name'
  | 'linkbeat-interface'
  | 'interface-delay'
  | 'vsg-entry';

interface KeywordBase {
  name: string;
  /** One line, our own words. */
  summary: string;
  /** First keepalived release that registers the keyword. */
  since: Version;
  deprecated?: Deprecation;
  /**
   * Keepalived build options the keyword depends on (`_WITH_BFD_` ...).
   * Debian's build has them all, so they only explain an "Unknown keyword".
   */
  build?: readonly string[];
  /** What happens when the keyword appears twice in one block. */
  repeat?: 'replace' | 'append' | 'error' | 'ignored';
  /** Default value in keepalived's words, for hover and docs. */
  default?: string;
  /** Another spelling of this keyword: both map to the same meaning. */
  aliasOf?: string;
  /** keepalived drops (or refuses) the enclosing block when this keyword is missing. */
  required?: boolean;
}

/** `priority 100`, `nopreempt`: a keyword with its words on one line. */
export interface StatementKeyword extends KeywordBase {
  kind: 'statement';
  syntax: Syntax;
  /** keepalived re-tokenizes the raw line with its script tokenizer (single quotes quote). */
  quoted?: boolean;
}

/** `vrrp_instance NAME { ... }`: a keyword whose block holds keywords. */
export interface BlockKeyword extends KeywordBase {
  kind: 'block';
  syntax: Syntax | SyntaxForms;
  /** The block holding this keyword's sub-keywords. */
  block: string;
}

/** `virtual_ipaddress { ... }`: a keyword whose block holds free-form items. */
export interface ListKeyword extends KeywordBase {
  kind: 'list';
  item: ItemKind;
  /** Words allowed between the keyword and `{`; keepalived otherwise reports extra parameters. */
  syntax?: Syntax;
}

export type KeywordDef = StatementKeyword | BlockKeyword | ListKeyword;

export interface BlockDef {
  /** Identifier: the keyword that opens it, or a qualified name where one keyword opens different blocks (`root`). */
  id: string;
  summary: string;
  keywords: readonly KeywordDef[];
}

/** The syntax of one item line in a value block. */
export interface ItemDef {
  kind: ItemKind;
  summary: string;
  syntax: Syntax | SyntaxForms;
}

/**
 * A keyword keepalived no longer registers (or never did, though its man page
 * or old tutorials use it). keepalived reports it as an unknown keyword; kalint
 * says what became of it.
 */
export interface RemovedKeyword {
  name: string;
  /** The block it was written in. */
  block: string;
  /** Last release that still accepted it, if it ever did. */
  lastAccepted?: Version;
  replacement?: string;
  message: string;
}

/** What one schema module contributes. */
export interface SchemaPart {
  /** Keywords valid at the top level of the file. */
  rootKeywords: readonly KeywordDef[];
  blocks: readonly BlockDef[];
  items: readonly ItemDef[];
  removed: readonly RemovedKeyword[];
}
