import type { LintRule } from '../rule.ts';
import { commandArgs } from '../../grammar/index.ts';
import { appendsArguments, isFileCheck, isShellCommand, isShellOperator, scriptVisitors, shellWrapped } from '../helpers/scripts.ts';

/** keepalived execs the command's words directly: `|`, `&&`, `>` reach the program as arguments. */
export const rule: LintRule = {
  meta: {
    id: 'script-shell-syntax',
    description: 'A script command containing shell syntax (pipes, redirections, && ...), which keepalived passes to the program as arguments since it runs no shell.',
    defaultSeverity: 'error',
    fixable: true,
  },
  create(context) {
    return {
      statements: scriptVisitors(({ statement, command }) => {
        if (isFileCheck(command.text)) return;
        const args = commandArgs(command.text) ?? [];
        const argv = args.map((a) => a.text);
        if (isShellCommand(argv)) return;
        // Only words written bare: a quoted or escaped '|' or ';' is an argument on purpose (find ... \;).
        const ops = args
          .filter((a) => a.plain)
          .map((a) => (a !== args[0] && isShellOperator(a.text) ? a.text : a.text.length > 1 && a.text.endsWith(';') ? ';' : undefined))
          .filter((o): o is string => o !== undefined);
        if (!ops.length) return;
        const wrapped = command.frame || appendsArguments(statement) ? undefined : shellWrapped(command.text);
        context.report({
          range: command.range,
          message:
            `keepalived runs '${argv[0]}' directly, without a shell: ${ops.map((o) => `'${o}'`).join(', ')} reach it as plain arguments, so the command does not do what it says ` +
            `(and its exit status is not the one intended). Run it through a shell, ${wrapped ?? `"/bin/sh -c '...'"`}, or put it in a script file`,
          fixes: wrapped ? [{ description: 'Run the command through /bin/sh', edits: [{ range: command.range, text: wrapped }] }] : [],
        });
      }),
    };
  },
};
