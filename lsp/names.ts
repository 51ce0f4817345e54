/**
 * Named objects across a configuration and its includes: where a name is
 * defined, where it is used, and the edits that rename it. Words produced by
 * `$NAME`, `~SEQ` or a multi-line definition are not where they are written,
 * so they are not offered for renaming.
 */
import type { Config, SourceFile, Word } from '../grammar/index.ts';
import type { ObjectKind } from '../grammar/schema/index.ts';

export interface NameSite {
  kind: ObjectKind;
  name: string;
  word: Word;
  definition: boolean;
}

/** Every definition and reference of a named object, in reading order. */
function nameSites(config: Config): NameSite[] {
  return [
    ...config.symbols.definitions.map((d) => ({ kind: d.kind, name: d.word.text, word: d.word, definition: true })),
    ...config.symbols.references.map((r) => ({ kind: r.kind, name: r.word.text, word: r.word, definition: false })),
  ];
}

/** The site whose word covers `offset` in `file`. */
export function siteAt(config: Config, file: SourceFile, offset: number): NameSite | undefined {
  return nameSites(config).find((s) => s.word.file === file && !s.word.frame && s.word.start <= offset && offset <= s.word.end);
}

/** The sites of the same object: same kind and name. */
export function sameObject(config: Config, site: NameSite): NameSite[] {
  return nameSites(config).filter((s) => s.kind === site.kind && s.name === site.name);
}

/** The names defined for `kind`, first definitions first, without repeats. */
export function namesOf(config: Config, kind: ObjectKind): string[] {
  return [...new Set(config.symbols.definitions.filter((d) => d.kind === kind).map((d) => d.word.text))];
}

/** The interface names the configuration uses. */
export function interfaceNames(config: Config): string[] {
  return [...new Set(config.symbols.interfaces.map((w) => w.text))].sort();
}

/** A new name keepalived reads as one word: no blanks, quotes, braces or comment characters. */
export function validName(name: string): boolean {
  return /^[^\s"'{}#!]+$/.test(name);
}
