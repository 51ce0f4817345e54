import type { LintRule } from '../rule.ts';
import { isFileCheck, scriptVisitors, splitArgv } from '../helpers/scripts.ts';

/** Shell builtins and keywords with no program of that name: keepalived, which runs no shell, cannot find them. */
const BUILTINS = new Set(['.', 'source', 'exit', 'cd', 'export', 'set', 'unset', 'alias', 'eval', 'exec', 'return', 'shift', 'ulimit', 'umask', 'if', 'for', 'while', 'until', 'case', '[[', '((', 'function', 'declare', 'local', 'readonly', 'trap', 'wait', 'let']);

/** keepalived runs script commands with execve: a bare name is looked up in its own PATH, a relative path from / . */
export const rule: LintRule = {
  meta: {
    id: 'script-not-absolute',
    description: 'A script command that is not an absolute path: keepalived searches its own PATH for it, without a shell.',
    defaultSeverity: 'warning',
  },
  create(context) {
    return {
      statements: scriptVisitors(({ statement, command }) => {
        if (isFileCheck(command.text)) return;
        const argv0 = splitArgv(command.text)[0];
        if (argv0 === undefined || argv0.startsWith('/')) return;
        const keyword = statement.def.name;
        if (BUILTINS.has(argv0)) {
          context.report({
            range: command.range,
            severity: 'error',
            message: `'${argv0}' is a shell builtin, not a program: keepalived runs ${keyword} without a shell, cannot find it ("Cannot find script ${argv0} in path - disabling") and never runs the command; put it in a script file, or run it with "/bin/sh -c '...'"`,
          });
        } else if (argv0 === 'sudo') {
          context.report({
            range: command.range,
            message: `keepalived already runs ${keyword} as root (or as script_user / the script's user): sudo is not needed, and without a terminal it may fail or wait for a password; drop it and write the command's absolute path`,
          });
        } else if (argv0.includes('/')) {
          context.report({
            range: command.range,
            message: `'${argv0}' is a relative path: keepalived resolves it from its working directory (/ once it runs as a daemon), not from the configuration's directory; write the absolute path`,
          });
        } else {
          context.report({
            range: command.range,
            message: `keepalived looks '${argv0}' up in its own PATH (the service's, not your shell's) and disables the script if it is not there; write its absolute path (see 'command -v ${argv0}')`,
          });
        }
      }),
    };
  },
};
