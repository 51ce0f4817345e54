/** `kalint translate` and `kalint schema`: keepalived.conf to and from JSON and YAML. Loaded only for these commands. */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { type Config, flatten, LATEST_VERSION, nodeHost, positionAt, readConfig, type Version } from '../grammar/index.ts';
import { diffConfigs, formatChanges, migrate, modelSchema, toConf, toIpvsadm, toModel, toNftables, validateModel } from '../translate/index.ts';

export const TRANSLATE_USAGE = `Usage: kalint translate FILE --to json|yaml|conf|nftables|ipvsadm [options]
       kalint schema
       kalint diff OLD NEW [--format text|json] [--config-id ID] [--target-version V]
       kalint migrate FILE [--to VERSION] [--write | --diff] [--config-id ID]

translate reads FILE as keepalived reads it (includes, definitions and @id conditions applied) and prints
it as data, one entry per keyword in reading order, comments kept; a .json, .yaml or .yml FILE is checked
against the model's JSON Schema and printed as keepalived.conf (or as data again). schema prints that
JSON Schema, generated from kalint's keyword schema. diff compares what two configurations make keepalived
do: instances, scripts, VIPs, priorities, virtual and real servers, checkers, matched by identity, ignoring
layout, comments, order and equivalent spellings; exit 1 when they differ. migrate rewrites deprecated and
removed keywords to what keepalived VERSION (default: the newest) reads and moves what moved, keeping
comments and layout; it prints the main file, or writes every changed file (--write), or prints a diff
(--diff); where no equivalent exists it changes nothing, reports why and exits 1.

Options:
  --to FORMAT            json, yaml or conf; or nftables (an nft -f ruleset doing what the virtual_server
                         blocks ask of IPVS, approximations reported) or ipvsadm (ipvsadm-restore input).
  --positions            Add each keyword's file, line and column.
  --config-id ID         keepalived's -i: which @ID lines apply (default: the host name up to its first dot).
  --target-version V     Read as keepalived release V does.
  -h, --help             Show this help.

Exit status: 0 done, 1 the data does not match the schema, 2 usage or I/O failure.
`;

export class TranslateUsageError extends Error {}

const FORMATS = ['json', 'yaml', 'conf', 'nftables', 'ipvsadm'] as const;

export function runTranslate(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        to: { type: 'string' },
        positions: { type: 'boolean' },
        'config-id': { type: 'string' },
        'target-version': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new TranslateUsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(TRANSLATE_USAGE);
    return 0;
  }
  const to = values.to as (typeof FORMATS)[number];
  if (!FORMATS.includes(to)) throw new TranslateUsageError(`--to must be one of ${FORMATS.join(', ')}`);
  if (positionals.length !== 1) throw new TranslateUsageError('translate needs exactly one file');
  const file = positionals[0]!;
  const data = ['.json', '.yaml', '.yml'].includes(extname(file).toLowerCase());

  let model;
  let config: Config | undefined;
  if (data) {
    let parsedData: unknown;
    try {
      const text = readFileSync(file, 'utf8');
      parsedData = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
    } catch (e) {
      process.stderr.write(`kalint: cannot read ${file}: ${(e as Error).message}\n`);
      return 2;
    }
    const errors = validateModel(parsedData);
    if (errors.length) {
      for (const e of errors) process.stderr.write(`${file}:${e.path}  error  ${e.message}\n`);
      return 1;
    }
    model = parsedData as ReturnType<typeof toModel>;
  } else {
    config = readConf(file, values);
    if (!config) return 2;
    model = toModel(config, { positions: values.positions ?? false });
  }
  if (to === 'nftables' || to === 'ipvsadm') {
    if (data) throw new TranslateUsageError(`--to ${to} reads keepalived.conf, not data`);
    const rules = (to === 'nftables' ? toNftables : toIpvsadm)(config!);
    for (const w of rules.warnings) {
      const at = positionAt(w.node.keyword.file, w.node.keyword.start);
      process.stderr.write(`${w.node.keyword.file.path}:${at.line}:${at.column}  warning  ${w.message}\n`);
    }
    process.stdout.write(rules.text);
    return 0;
  }
  if (to === 'conf') process.stdout.write(toConf(model));
  else if (to === 'json') process.stdout.write(`${JSON.stringify(model, null, 2)}\n`);
  else process.stdout.write(toYaml(model));
  return 0;
}

export function runDiff(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { format: { type: 'string', default: 'text' }, 'config-id': { type: 'string' }, 'target-version': { type: 'string' } },
    });
  } catch (e) {
    throw new TranslateUsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 2) throw new TranslateUsageError('diff needs two files');
  if (values.format !== 'text' && values.format !== 'json') throw new TranslateUsageError('--format must be text or json');
  const configs: Config[] = [];
  for (const file of positionals) {
    const config = readConf(file, values);
    if (!config) return 2;
    configs.push(config);
  }
  const changes = diffConfigs(configs[0]!, configs[1]!);
  process.stdout.write(values.format === 'json' ? `${JSON.stringify(changes, null, 2)}\n` : formatChanges(changes));
  return changes.length ? 1 : 0;
}

export function runMigrate(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { to: { type: 'string' }, write: { type: 'boolean' }, diff: { type: 'boolean' }, 'config-id': { type: 'string' } },
    });
  } catch (e) {
    throw new TranslateUsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new TranslateUsageError('migrate needs exactly one file');
  if (values.write && values.diff) throw new TranslateUsageError('--write and --diff exclude each other');
  if (values.to !== undefined && !/^\d+\.\d+\.\d+$/.test(values.to)) throw new TranslateUsageError('--to needs a release like 2.2.7');
  const file = positionals[0]!;
  const outcome = migrate(basename(file), {
    host: nodeHost(dirname(file)),
    ...(values.to !== undefined ? { targetVersion: values.to as Version } : {}),
    ...(values['config-id'] !== undefined ? { configId: values['config-id'] } : {}),
  });
  if ('error' in outcome) {
    process.stderr.write(`kalint: cannot read ${file}: ${outcome.error}\n`);
    return 2;
  }
  if (outcome.refused.length) {
    for (const d of outcome.refused) {
      const f = flatten(d);
      process.stderr.write(`${f.file}:${f.line}:${f.column}  error  no equivalent in keepalived ${values.to ?? LATEST_VERSION}: ${d.message}  ${d.ruleId}\n`);
    }
    return 1;
  }
  const main = outcome.result.config.file;
  if (values.write) {
    for (const { file: f, text } of outcome.changed.values()) writeFileSync(f.absolutePath, text);
  } else if (values.diff) {
    for (const { file: f, text } of outcome.changed.values()) process.stdout.write(createTwoFilesPatch(f.path, f.path, f.text, text));
  } else {
    process.stdout.write(outcome.changed.get(main.absolutePath)?.text ?? main.text);
  }
  return 0;
}

/** The configuration keepalived reads from `file`, or undefined after saying why there is none. */
function readConf(file: string, values: { 'config-id'?: string | undefined; 'target-version'?: string | undefined }): Config | undefined {
  const result = readConfig(basename(file), {
    host: nodeHost(dirname(file)),
    ...(values['config-id'] !== undefined ? { configId: values['config-id'] } : {}),
    ...(values['target-version'] !== undefined ? { targetVersion: values['target-version'] as Version } : {}),
  });
  if (!('error' in result)) return result.config;
  process.stderr.write(`kalint: cannot read ${file}: ${result.error}\n`);
  return undefined;
}

export function runSchema(): number {
  process.stdout.write(`${JSON.stringify(modelSchema(), null, 2)}\n`);
  return 0;
}
