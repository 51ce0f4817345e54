/**
 * Diagnostics produced while reading a configuration, and the reader-level
 * rules that produce them. Lint rules (lint/) add theirs on top; both share
 * this shape so every consumer (CLI, LSP, SARIF) prints them the same way.
 */
import { positionAt, type Range, type SourceFile } from './source.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface TextEdit {
  range: Range;
  text: string;
}

export interface Fix {
  description: string;
  edits: TextEdit[];
}

export interface RelatedInfo {
  range: Range;
  message: string;
}

export interface Diagnostic {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Where the text came from (include, definition, ~SEQ) and other places that matter. */
  related?: RelatedInfo[];
  /** Edits that resolve the problem; the first is the one `--fix` applies. */
  fixes?: Fix[];
}

export interface RuleMeta {
  id: string;
  description: string;
  defaultSeverity: Severity;
}

/** The rules the reader itself reports: each says where kalint reads a file differently from what its author meant. */
export const readerRules = {
  syntax: {
    id: 'syntax',
    description: 'Braces, quotes, preprocessor lines and bytes that keepalived cannot read as written.',
    defaultSeverity: 'error',
  },
  unknownKeyword: {
    id: 'unknown-keyword',
    description: 'A keyword keepalived does not know in this place; it logs "Unknown keyword" and runs without it.',
    defaultSeverity: 'error',
  },
  wrongBlock: {
    id: 'wrong-block',
    description: 'A keyword that keepalived knows, written in a block where it does not belong.',
    defaultSeverity: 'error',
  },
  invalidValue: {
    id: 'invalid-value',
    description: 'A value keepalived rejects or silently changes: wrong type, out of range, not one of the allowed words.',
    defaultSeverity: 'error',
  },
  missingArgument: {
    id: 'missing-argument',
    description: 'A keyword without a value it needs; for many keywords keepalived stops reading the configuration there.',
    defaultSeverity: 'error',
  },
  extraArgument: {
    id: 'extra-argument',
    description: 'Words after a complete statement that keepalived silently ignores, often keywords squashed onto one line.',
    defaultSeverity: 'warning',
  },
  duplicateKeyword: {
    id: 'duplicate-keyword',
    description: 'A keyword given twice in one block where only one occurrence counts.',
    defaultSeverity: 'warning',
  },
  includeNotFound: {
    id: 'include-not-found',
    description: 'An include whose files do not exist or cannot be read.',
    defaultSeverity: 'error',
  },
  includeCycle: {
    id: 'include-cycle',
    description: 'An include that leads back to a file already being read; keepalived would recurse until it fails.',
    defaultSeverity: 'error',
  },
  deprecatedKeyword: {
    id: 'deprecated-keyword',
    description: 'A keyword or form that current keepalived only accepts for compatibility, with its replacement.',
    defaultSeverity: 'warning',
  },
  undefinedReference: {
    id: 'undefined-reference',
    description: 'A name (vrrp_script, track_file, vrrp_instance ...) that keepalived cannot find where it looks it up.',
    defaultSeverity: 'error',
  },
  vridOutOfRange: {
    id: 'vrid-out-of-range',
    description: 'A virtual_router_id outside 1..255: keepalived rejects it and refuses to start the instance.',
    defaultSeverity: 'error',
  },
  priorityOutOfRange: {
    id: 'priority-out-of-range',
    description: 'A priority outside 1..255: keepalived rejects it and falls back to its default.',
    defaultSeverity: 'error',
  },
  authPassTooLong: {
    id: 'auth-pass-too-long',
    description: 'An auth_pass longer than 8 characters: keepalived silently uses only the first 8.',
    defaultSeverity: 'error',
  },
  lvsSchedulerUnknown: {
    id: 'lvs-scheduler-unknown',
    description: 'An IPVS scheduler keepalived does not know: the virtual server falls back to wlc.',
    defaultSeverity: 'error',
  },
  virtualServerAddressPrefix: {
    id: 'virtual-server-address-prefix',
    description: 'A /prefix on a virtual or real server address: keepalived takes plain addresses only.',
    defaultSeverity: 'error',
  },
  trackScriptUndefined: {
    id: 'track-script-undefined',
    description: 'A track_script entry naming no vrrp_script defined before it: keepalived tracks nothing.',
    defaultSeverity: 'error',
  },
  interfaceNotFound: {
    id: 'interface-not-found',
    description: 'An interface that does not exist on the host given with --interfaces.',
    defaultSeverity: 'error',
  },
} as const satisfies Record<string, RuleMeta>;

export type ReaderRuleId = (typeof readerRules)[keyof typeof readerRules]['id'];

const readerRulesById = new Map<string, RuleMeta>(Object.values(readerRules).map((r) => [r.id, r]));

/** The reader rule with this id; the schema names them in `Param.rules`. */
export function readerRule(id: string): RuleMeta {
  const rule = readerRulesById.get(id);
  if (!rule) throw new Error(`no reader rule '${id}'`);
  return rule;
}

/** A diagnostic with 1-based positions, the shape of `kalint check --format json`. */
export interface FlatDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  ruleId: string;
  message: string;
}

/** 1-based positions; `name` says how to print the file (default: as keepalived names it). */
export function flatten(d: Diagnostic, name: (file: SourceFile) => string = (f) => f.path): FlatDiagnostic {
  const start = positionAt(d.range.file, d.range.start);
  const end = positionAt(d.range.file, d.range.end);
  return {
    file: name(d.range.file),
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    severity: d.severity,
    ruleId: d.ruleId,
    message: d.message,
  };
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const fa = a.range.file.absolutePath;
  const fb = b.range.file.absolutePath;
  if (fa !== fb) return fa < fb ? -1 : 1;
  return a.range.start - b.range.start || a.range.end - b.range.end;
}
