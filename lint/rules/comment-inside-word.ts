import type { Node, Word } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

const isCommentChar = (c: string | undefined): boolean => c === '#' || c === '!';

/** The words keepalived read from `nodes`, keywords and list items included, skipping discarded blocks. */
function* wordsOf(nodes: readonly Node[]): Generator<Word> {
  for (const n of nodes) {
    if (n.type === 'Block' && n.ignored) continue;
    yield n.keyword;
    yield* n.words;
    if (n.type === 'List') for (const item of n.items) yield* item.words;
    if (n.type === 'Block') yield* wordsOf(n.children);
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
        for (const word of wordsOf(config.children)) {
          if (word.frame) continue;
          const text = word.file.text;
          if (!isCommentChar(text[word.end])) continue;
          let end = text.indexOf('\n', word.end);
          if (end < 0) end = text.length;
          const rest = text.slice(word.end, end).replace(/\r$/, '');
          context.report({
            range: { file: word.file, start: word.end, end: word.end + rest.length },
            message: `keepalived reads '${word.text}' and takes '${rest}' as a comment: '${rest[0]}' starts a comment even inside a word. Put the whole value in double quotes if '${rest[0]}' belongs to it, or a blank before '${rest[0]}' if it is a comment`,
          });
        }
      },
    };
  },
};
