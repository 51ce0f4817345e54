import type { Fix, Range, Word } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { appendsArguments, isShellOperator, type ScriptStatement, scriptVisitors, shellWrapped } from '../helpers/scripts.ts';

/** A word that cannot be a user (or group) name: a state name, an option, a path, a number ... */
function looksLikeArgument(text: string, group: boolean): boolean {
  const name = group && text.startsWith(':') ? text.slice(1) : text;
  if (group && name === '') return false;
  return /^(master|backup|fault|stop|deleted|up|down)$/i.test(name) || !/^[A-Za-z_][A-Za-z0-9._-]*\$?$/.test(name);
}

const span = (first: Word, last: Word): Range => ({ file: first.file, start: first.start, end: last.end });

/** Replaces the words with one double-quoted command, when that can be written safely. */
function rewrite(words: Word[], text: string | undefined, description: string): Fix[] {
  const first = words[0]!;
  const last = words[words.length - 1]!;
  if (text === undefined || words.some((w) => w.frame || w.file !== first.file)) return [];
  return [{ description, edits: [{ range: span(first, last), text }] }];
}

/** keepalived runs script commands without a shell and reads the words after the command as user and group. */
export const rule: LintRule = {
  meta: {
    id: 'notify-redirect-outside-quotes',
    description: 'Shell syntax or arguments written after the quoted command of a script keyword, where keepalived reads a user and group or nothing.',
    defaultSeverity: 'error',
    fixable: true,
    supersedes: ['extra-argument'],
  },
  create(context) {
    const check = ({ statement, command, takesUser }: ScriptStatement): void => {
      const words = statement.words;
      const extra = words.slice(1);
      if (!extra.length) return;
      const keyword = statement.def.name;
      const shown = extra.map((w) => w.text).join(' ');
      const op = extra.find((w) => !w.quoted && isShellOperator(w.text));
      if (op) {
        const owner = `takes '${extra[0]!.text}' as the user${extra[1] ? ` and '${extra[1].text}' as the group` : ''} to run it as`;
        const reading = !takesUser
          ? 'ignores every word after the command'
          : extra.indexOf(op) < 2
            ? `${owner}; without such a user it drops the script ("Invalid user/group")`
            : `${owner}, and ignores the rest`;
        // Words before the operator that could be a user and group make the intent unclear: no fix then.
        const before = extra.slice(0, extra.indexOf(op));
        const plain = !appendsArguments(statement) && !extra.some((w) => w.quoted) && (!takesUser || before.every((w, i) => looksLikeArgument(w.text, i === 1)));
        const wrapped = plain ? shellWrapped([command.text, ...extra.map((w) => w.text)].join(' ')) : undefined;
        context.report({
          range: span(extra[0]!, extra[extra.length - 1]!),
          message:
            `'${shown}' is outside the quoted command: keepalived runs '${command.text}' without a shell and ${reading}, so '${op.text}' never takes effect. ` +
            `Redirections and pipes need a shell: write ${wrapped ?? `"/bin/sh -c '...'"`} or use a wrapper script`,
          fixes: rewrite(words, wrapped, 'Run the whole command line through /bin/sh'),
        });
        return;
      }
      if (!takesUser) return;
      const argLike = extra.slice(0, 2).map((w, i) => looksLikeArgument(w.text, i === 1));
      if (!argLike.some(Boolean)) return;
      // When the "user" is an argument, so are the words after it.
      const quoted = argLike[0] && ![command, ...extra].some((w) => /["\\]/.test(w.text)) ? `"${[command.text, ...extra.map((w) => w.text)].join(' ')}"` : undefined;
      const bad = extra[argLike[0] ? 0 : 1]!;
      context.report({
        range: span(extra[0]!, extra[extra.length - 1]!),
        message:
          `keepalived reads '${bad.text}' as the ${bad === extra[0] ? 'user' : 'group'} to run ${keyword} as, not as an argument of '${command.text}': ` +
          `without such a ${bad === extra[0] ? 'user' : 'group'} it drops the script ("Invalid user/group"). Put the command and its arguments in one pair of quotes` +
          (quoted ? `: ${keyword} ${quoted}` : ''),
        fixes: rewrite(words, quoted, 'Quote the command with its arguments'),
      });
    };
    return {
      statements: scriptVisitors(check),
    };
  },
};
