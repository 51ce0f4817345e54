/**
 * `kalint fmt`: the formatter on files, like `prettier --write` with the
 * kalint plugin (same output), plus --check, --diff and range formatting.
 * Loaded only for this command: it brings Chevrotain and Prettier's printer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { applyEdits, format, type FormatOptions, formatRangeEdits } from '../format/index.ts';
import { expandPaths } from './paths.ts';

export const FMT_USAGE = `Usage: kalint fmt [options] [PATH...]

Formats keepalived configurations in place: one statement per line, blocks indented,
comments and quoted strings kept, never changing what keepalived reads.
PATH may be a file or a directory (searched for *.conf); '-' or no PATH reads stdin
and writes stdout.

Options:
  --check                Write nothing; list the files that are not formatted and exit 1 if any.
  --diff                 Write nothing; print a unified diff of the changes.
  --tab-width N          Spaces per level (default 4, or Prettier's configuration for the file).
  --use-tabs             Indent with tabs.
  --end-of-line EOL      lf (default), crlf, cr or auto (keep the file's).
  --no-config            Ignore .prettierrc and .editorconfig.
  --range-start N        Format only the lines that overlap [N, M) (character offsets),
  --range-end M          for one file or stdin.
  --stdin-filepath PATH  The name of stdin, for configuration lookup and messages.
  --timing               Print to stderr the time spent formatting (reading and writing files aside).
  -h, --help             Show this help.

Exit status: 0 done (or all formatted), 1 files need formatting (--check), 2 usage or I/O failure.
`;

export class FmtUsageError extends Error {}

const END_OF_LINES = ['lf', 'crlf', 'cr', 'auto'] as const;

export async function runFmt(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        check: { type: 'boolean' },
        diff: { type: 'boolean' },
        'tab-width': { type: 'string' },
        'use-tabs': { type: 'boolean' },
        'end-of-line': { type: 'string' },
        'no-config': { type: 'boolean' },
        'range-start': { type: 'string' },
        'range-end': { type: 'string' },
        'stdin-filepath': { type: 'string' },
        timing: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new FmtUsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(FMT_USAGE);
    return 0;
  }
  if (values.check && values.diff) throw new FmtUsageError('--check and --diff exclude each other');
  const flags: FormatOptions = {};
  if (values['tab-width'] !== undefined) {
    const n = Number(values['tab-width']);
    if (!Number.isInteger(n) || n < 0 || n > 16) throw new FmtUsageError('--tab-width needs a whole number from 0 to 16');
    flags.tabWidth = n;
  }
  if (values['use-tabs']) flags.useTabs = true;
  if (values['end-of-line'] !== undefined) {
    const eol = values['end-of-line'] as FormatOptions['endOfLine'];
    if (!END_OF_LINES.includes(eol!)) throw new FmtUsageError(`--end-of-line must be one of ${END_OF_LINES.join(', ')}`);
    flags.endOfLine = eol!;
  }
  const range = rangeOf(values['range-start'], values['range-end']);
  const useStdin = positionals.length === 0 || (positionals.length === 1 && positionals[0] === '-');
  if (positionals.includes('-') && !useStdin) throw new FmtUsageError("'-' (stdin) cannot be mixed with files");
  const optionsFor = async (path: string | undefined) => ({
    ...(values['no-config'] || path === undefined ? {} : await prettierOptions(path)),
    ...flags,
  });

  if (useStdin) {
    if (process.stdin.isTTY) throw new FmtUsageError('fmt needs a file, a directory or input on stdin');
    const name = values['stdin-filepath'];
    const text = readFileSync(0, 'utf8');
    const formatted = formatText(text, await optionsFor(name), range);
    if (values.check) {
      if (formatted === text) return 0;
      process.stdout.write(`${name ?? '(stdin)'}\n`);
      return 1;
    }
    process.stdout.write(values.diff ? patch(name ?? '(stdin)', text, formatted) : formatted);
    return 0;
  }

  const failures: { path: string; error: string }[] = [];
  const files = positionals.flatMap((p) => expandPaths(p, failures));
  if (range && files.length !== 1) throw new FmtUsageError('--range-start/--range-end need exactly one file');
  let unformatted = 0;
  let formatting = 0;
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      failures.push({ path: file, error: (e as NodeJS.ErrnoException).code ?? String(e) });
      continue;
    }
    const options = await optionsFor(file);
    const started = performance.now();
    const formatted = formatText(text, options, range);
    formatting += performance.now() - started;
    if (formatted === text) continue;
    unformatted++;
    if (values.check) process.stdout.write(`${file}\n`);
    else if (values.diff) process.stdout.write(patch(file, text, formatted));
    else writeFileSync(file, formatted);
  }
  for (const f of failures) process.stderr.write(`kalint: cannot read ${f.path}: ${f.error}\n`);
  if (values.timing) process.stderr.write(`formatting ${formatting.toFixed(1)} ms\n`);
  const count = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  if (values.check) process.stderr.write(unformatted ? `${count(unformatted)} not formatted\n` : `all ${count(files.length)} formatted\n`);
  else if (!values.diff) process.stderr.write(`formatted ${count(files.length)}, ${unformatted} changed\n`);
  if (failures.length) return 2;
  return values.check && unformatted ? 1 : 0;
}

function formatText(text: string, options: FormatOptions, range: { start: number; end: number } | undefined): string {
  return range ? applyEdits(text, formatRangeEdits(text, range, options)) : format(text, options);
}

function rangeOf(start: string | undefined, end: string | undefined): { start: number; end: number } | undefined {
  if (start === undefined && end === undefined) return undefined;
  const from = start === undefined ? 0 : Number(start);
  const to = end === undefined ? Number.POSITIVE_INFINITY : Number(end);
  if (!Number.isInteger(from) || from < 0 || (to !== Number.POSITIVE_INFINITY && !Number.isInteger(to)) || to < from) {
    throw new FmtUsageError('--range-start and --range-end need offsets with start <= end');
  }
  return { start: from, end: to };
}

function patch(name: string, before: string, after: string): string {
  return createTwoFilesPatch(name, name, before, after, undefined, undefined, { context: 3 });
}

/** The options Prettier's configuration (.prettierrc, .editorconfig) gives this file, as `prettier --write` would use them. */
async function prettierOptions(path: string): Promise<FormatOptions> {
  const { resolveConfig } = await import('prettier');
  const config = await resolveConfig(path, { editorconfig: true });
  const out: FormatOptions = {};
  if (typeof config?.tabWidth === 'number') out.tabWidth = config.tabWidth;
  if (typeof config?.useTabs === 'boolean') out.useTabs = config.useTabs;
  if (config?.endOfLine) out.endOfLine = config.endOfLine;
  return out;
}
