import type { Node, Word } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

const HASH = 35;
const BANG = 33;

/**
 * Calls `visit` with the last word keepalived read of each line: a comment
 * ends the line, so a word a comment is glued to is always the last one of
 * its statement, block or list header, or item. Discarded blocks are skipped.
 */
function eachLastWord(nodes: readonly Node[], visit: (word: Word) => void): void {
  for (const n of nodes) {
    if (n.type === 'Block' && n.ignored) continue;
    visit(n.words[n.words.length - 1] ?? n.keyword);
    if (n.type === 'List') for (const item of n.items) if (item.words.length) visit(item.words[item.words.length - 1]!);
    if (n.type === 'Block') eachLastWord(n.children, visit);
  }
}

/** keepalived ends a line at `#` or `!` even inside a word: `auth_pass pa#ss` is `auth_pass pa`. */
export const rule: LintRule = {
  meta: {
    id: 'comment-inside-word',
    description: "A '#' or '!' written straight after a word starts a comment: keepalived cuts the word there and ignores the rest of the line.",
    defaultSeverity: 'warning',
  },
  create(context) {
    return {
      config(config) {
        eachLastWord(config.children, (word) => {
          const text = word.file.text;
          const next = text.charCodeAt(word.end);
          if ((next !== HASH && next !== BANG) || word.frame) return;
          let end = text.indexOf('\n', word.end);
          if (end < 0) end = text.length;
          const rest = text.slice(word.end, end).replace(/\r$/, '');
          context.report({
            range: { file: word.file, start: word.end, end: word.end + rest.length },
            message: `keepalived reads '${word.text}' and takes '${rest}' as a comment: '${rest[0]}' starts a comment even inside a word. Put the whole value in double quotes if '${rest[0]}' belongs to it, or a blank before '${rest[0]}' if it is a comment`,
          });
        });
      },
    };
  },
};
