/**
 * How keepalived reads and runs the commands of its script keywords: which
 * statements hold commands, how a command splits into argv, and which words
 * only a shell would understand.
 */
import { type Block, commandArgs, schema, type Statement, type Word } from '../../grammar/index.ts';

/** A statement of a script keyword (`notify_master`, vrrp_script `script`, `misc_path` ...) with the block it is in. */
export interface ScriptStatement {
  statement: Statement;
  parent: Block | undefined;
  /** The command as keepalived reads it (word 1 of its script tokenizer). */
  command: Word;
  /** Whether keepalived reads the words after the command as the user and group to run it as. */
  takesUser: boolean;
}

/** The keywords whose statement holds a command keepalived runs: those it re-tokenizes with its script tokenizer. */
const SCRIPT_KEYWORDS = [
  ...new Set([...schema.blocks.values()].flatMap((b) => b.keywords.flatMap((k) => (k.kind === 'statement' && k.quoted ? [k.aliasOf ?? k.name] : [])))),
];

/** Statement visitors calling `visit` for every statement of a script keyword that has a command. */
export function scriptVisitors(visit: (script: ScriptStatement) => void): Record<string, (statement: Statement, parent: Block | undefined) => void> {
  const each = (statement: Statement, parent: Block | undefined): void => {
    const command = statement.words[0];
    if (!command) return;
    const takesUser = statement.def.kind === 'statement' && statement.def.syntax.params.some((p) => p.name === 'user');
    visit({ statement, parent, command, takesUser });
  };
  return Object.fromEntries(SCRIPT_KEYWORDS.map((keyword) => [keyword, each]));
}

/** Keywords whose script gets arguments appended at run time (the state, or the FIFO name). */
export function appendsArguments(statement: Statement): boolean {
  const name = statement.def.name;
  return name === 'notify' || name.endsWith('_fifo_script');
}

export const splitArgv = (command: string): string[] => (commandArgs(command) ?? []).map((a) => a.text);

/** `< /path`: keepalived only checks that the file opens, it runs nothing. */
export const isFileCheck = (command: string): boolean => /^<[ \t]*\//.test(command);

/** Words of shell syntax, which only a shell understands. */
export function isShellOperator(word: string): boolean {
  return /^(\|\|?|&&|;;?|&|<<?|>>?|[0-9]?>>?(&[0-9-]?)?|&>>?|[0-9]?<&?[0-9-]?)$/.test(word) || /^([0-9]?>>?|&>)\/\S+$/.test(word);
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'busybox']);

/** Whether argv runs a shell on a command string (`/bin/sh -c '...'`), which then handles shell syntax. */
export function isShellCommand(argv: readonly string[]): boolean {
  const name = argv[0]?.slice(argv[0].lastIndexOf('/') + 1) ?? '';
  return SHELLS.has(name) && argv.slice(1).some((a) => /^-[a-z]*c[a-z]*$/.test(a));
}

/** A double-quoted command running `text` through /bin/sh, or undefined when `text` cannot be put in single quotes as is. */
export function shellWrapped(text: string): string | undefined {
  if (/['"\\]/.test(text)) return undefined;
  return `"/bin/sh -c '${text}'"`;
}
