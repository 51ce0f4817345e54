/**
 * `.kalintrc.json`: rule severities, the keepalived release to read as,
 * config ids, interfaces, where absolute include paths live, and the nodes
 * of a cluster. Found upward from the first checked file, or given with
 * `--config`; comments are allowed. Validated against a JSON Schema built
 * from the rule registry, with errors pointing at the offending key.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ParseError } from 'jsonc-parser';
import type { Version } from '../grammar/index.ts';
import type { SeveritySetting } from './engine.ts';

export const CONFIG_FILE = '.kalintrc.json';

export interface KalintConfig {
  rules?: Record<string, SeveritySetting>;
  /** The keepalived release the configurations are for. */
  targetVersion?: Version;
  /** keepalived's `-i` for `@id` lines. */
  configId?: string;
  /** Interfaces of the target host, or `host` for the machine kalint runs on. */
  interfaces?: string[] | 'host';
  /** Directory standing for `/` when includes name absolute paths (a checkout of /etc). */
  includeRoot?: string;
  /** The configuration files of the nodes of one cluster, checked together. */
  cluster?: { nodes: string[] };
}

export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface LoadedConfig {
  path: string;
  config: KalintConfig;
}

/** The JSON Schema of `.kalintrc.json`, naming every rule kalint has. */
export function configSchema(ruleIds: readonly string[]): object {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'kalint configuration (.kalintrc.json)',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      rules: {
        type: 'object',
        description: 'Severity per rule id: off, info, warning or error.',
        propertyNames: { enum: [...ruleIds] },
        additionalProperties: { enum: ['off', 'info', 'warning', 'error'] },
      },
      targetVersion: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$', description: 'keepalived release to read as, e.g. 2.2.7.' },
      configId: { type: 'string', minLength: 1, description: "keepalived's -i: which @id lines apply." },
      interfaces: {
        description: "Interfaces of the target host, or 'host' for the machine kalint runs on.",
        oneOf: [{ const: 'host' }, { type: 'array', items: { type: 'string', minLength: 1 } }],
      },
      includeRoot: { type: 'string', description: 'Directory standing for / when includes name absolute paths.' },
      cluster: {
        type: 'object',
        additionalProperties: false,
        required: ['nodes'],
        properties: { nodes: { type: 'array', minItems: 2, items: { type: 'string' } } },
      },
    },
  };
}

/** The nearest `.kalintrc.json` in `dir` or above it. */
/** The host's network interfaces, for `interfaces: "host"`; undefined when /sys/class/net cannot be listed. */
export function hostInterfaces(): Set<string> | undefined {
  try {
    return new Set(readdirSync('/sys/class/net'));
  } catch {
    return undefined;
  }
}

export function findConfig(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const candidate = join(d, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(d) === d) return undefined;
  }
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Reads and validates a configuration file; relative paths in it are made absolute. */
export async function loadConfig(path: string, ruleIds: readonly string[]): Promise<LoadedConfig | { problems: ConfigProblem[] }> {
  const { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode } = await import('jsonc-parser');
  const { Ajv } = await import('ajv');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { problems: [{ file: path, line: 1, column: 1, message: `cannot read: ${(e as Error).message}` }] };
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true });
  if (errors.length || !tree) {
    return {
      problems: errors.map((e) => ({ file: path, ...position(text, e.offset), message: printParseErrorCode(e.error) })),
    };
  }
  const value = getNodeValue(tree) as KalintConfig;
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile(configSchema(ruleIds));
  if (!validate(value)) {
    // A bad rule name fails both `propertyNames` and the enum inside it: the first says it better.
    const errors = (validate.errors ?? []).filter((err) => !err.schemaPath.includes('/propertyNames/'));
    return {
      problems: errors.map((err) => {
        const segments = err.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
        const where = segments.length ? segments.join('.') : '(top level)';
        const key = err.keyword === 'propertyNames' && typeof err.params['propertyName'] === 'string' ? err.params['propertyName'] : undefined;
        const node = findNodeAtLocation(tree, key === undefined ? segments : [...segments, key]);
        const at = node ? (key !== undefined && node.parent?.children?.[0] ? node.parent.children[0].offset : node.offset) : 0;
        const detail = err.keyword === 'propertyNames' ? `unknown rule '${String(err.params['propertyName'])}'` : `${err.message ?? 'invalid'}`;
        return { file: path, ...position(text, at), message: `${where}: ${detail}` };
      }),
    };
  }
  const dir = dirname(path);
  if (value.includeRoot) value.includeRoot = resolve(dir, value.includeRoot);
  if (value.cluster) value.cluster.nodes = value.cluster.nodes.map((n) => resolve(dir, n));
  return { path, config: value };
}

