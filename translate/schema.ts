/**
 * The JSON Schema of the data model (model.ts), generated from the keyword
 * schema: per block, the keywords it takes; per keyword, what its words may
 * be (enum values, number ranges, true for a flag); which blocks and value
 * blocks nest where. `validateModel` checks a document against it and that
 * every entry names exactly one keyword, with errors at JSON paths.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { type KeywordDef, type Param, ROOT_BLOCK, schema, type Syntax, type SyntaxForms, type ValueType } from '../grammar/schema/index.ts';
import { ENTRY_FIELDS, type ModelDocument } from './model.ts';

type JsonSchema = Record<string, unknown>;

/** A JSON number where the model writes one (canonical decimals); other spellings are strings. */
const NOT_A_CANONICAL_NUMBER = '^(?!-?(0|[1-9]\\d*)(\\.\\d*[1-9])?$)';
const anyWord: JsonSchema = { anyOf: [{ type: 'number' }, { type: 'string' }] };

function valueSchema(type: ValueType): JsonSchema {
  switch (type.kind) {
    case 'int':
    case 'uint':
    case 'decimal':
    case 'timer':
      // keepalived also reads `0x10` and `010` for some; those stay strings.
      return { anyOf: [{ type: 'number', minimum: type.min, maximum: type.max }, { type: 'string', pattern: NOT_A_CANONICAL_NUMBER }] };
    case 'port':
      return { anyOf: [{ type: 'integer', minimum: type.allowZero ? 0 : 1, maximum: 65535 }, { type: 'string', pattern: NOT_A_CANONICAL_NUMBER }] };
    case 'enum':
      return { enum: [...type.values] };
    case 'bool':
      return { enum: ['on', 'off', 'true', 'false', 'yes', 'no'] };
    case 'union':
      return { anyOf: type.of.map(valueSchema) };
    default:
      return anyWord;
  }
}

function syntaxesOf(s: Syntax | SyntaxForms | undefined): Syntax[] {
  return !s ? [] : 'forms' in s ? s.forms.map((f) => f.syntax) : [s];
}

/** What the keyword key of an entry may hold. */
function argsSchema(def: KeywordDef): JsonSchema {
  const syntaxes = syntaxesOf(def.syntax);
  const noWords = !syntaxes.length || syntaxes.some((s) => s.params.every((p) => p.optional));
  const single = syntaxes.length === 1 && !syntaxes[0]!.options?.length && syntaxes[0]!.params.length === 1 && !syntaxes[0]!.params[0]!.variadic;
  const one: JsonSchema = single ? valueSchema((syntaxes[0]!.params[0] as Param).type) : anyWord;
  // Several words, or extra ones after a single parameter (keepalived reads and reports them; the model keeps them).
  const alternatives: JsonSchema[] = [one, { type: 'array', items: anyWord, minItems: 2 }];
  if (noWords) alternatives.push({ const: true });
  return { description: def.summary, anyOf: alternatives };
}

const comments: JsonSchema = { type: 'array', items: { type: 'string', pattern: '^[#!]' } };
const comment: JsonSchema = { type: 'string', pattern: '^[#!]' };
const itemWords: JsonSchema = { anyOf: [anyWord, { type: 'array', items: anyWord, minItems: 1 }, { const: true }] };

export function modelSchema(): JsonSchema {
  const definitions: Record<string, JsonSchema> = {
    comments,
    item: {
      anyOf: [
        itemWords,
        { type: 'object', required: ['item'], properties: { item: itemWords, comments, comment }, additionalProperties: false },
      ],
    },
    position: {
      type: 'object',
      properties: { file: { type: 'string' }, line: { type: 'integer' }, column: { type: 'integer' } },
      additionalProperties: false,
    },
  };
  for (const [id, block] of schema.blocks) {
    const properties: Record<string, JsonSchema> = {
      body: { type: 'array' },
      items: { type: 'array', items: { $ref: '#/definitions/item' } },
      comments: { $ref: '#/definitions/comments' },
      comment,
      closingComments: { $ref: '#/definitions/comments' },
      position: { $ref: '#/definitions/position' },
    };
    const dependencies: Record<string, JsonSchema> = {};
    for (const def of block.keywords) {
      properties[def.name] = argsSchema(def);
      if (def.kind === 'block') dependencies[def.name] = { properties: { body: { $ref: `#/definitions/${blockRef(def.block)}` } } };
      else if (def.kind === 'statement') dependencies[def.name] = { not: { anyOf: [{ required: ['body'] }, { required: ['items'] }] } };
      else dependencies[def.name] = { not: { required: ['body'] } };
    }
    definitions[blockRef(id)] = { type: 'array', items: { type: 'object', minProperties: 1, properties, additionalProperties: false, dependencies } };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'keepalived configuration (kalint model)',
    description: 'keepalived.conf as kalint translates it: one entry per keyword, in reading order. Generated from kalint\'s keyword schema.',
    type: 'object',
    required: ['keepalived'],
    properties: { $schema: { type: 'string' }, keepalived: { $ref: `#/definitions/${blockRef(ROOT_BLOCK)}` }, closingComments: { $ref: '#/definitions/comments' } },
    additionalProperties: false,
    definitions,
  };
}

const blockRef = (id: string) => `block:${id}`;

export interface ModelError {
  /** JSON Pointer into the document, e.g. `/keepalived/3/body/0`. */
  path: string;
  message: string;
}

let validator: ReturnType<Ajv['compile']> | undefined;

export function validateModel(data: unknown): ModelError[] {
  validator ??= new Ajv({ allErrors: false, strict: false }).compile(modelSchema());
  if (!validator(data)) {
    // anyOf reports every alternative; the first, the typed one, says what is wrong.
    const seen = new Set<string>();
    return (validator.errors ?? []).filter((e) => !seen.has(e.instancePath) && seen.add(e.instancePath)).map(describe);
  }
  const errors: ModelError[] = [];
  const walk = (entries: unknown, path: string) => {
    if (!Array.isArray(entries)) return;
    entries.forEach((e, i) => {
      const here = `${path}/${i}`;
      const keys = Object.keys(e as object).filter((k) => !(ENTRY_FIELDS as readonly string[]).includes(k));
      if (keys.length !== 1) errors.push({ path: here, message: keys.length ? `names ${keys.length} keywords (${keys.join(', ')}); an entry names one` : 'names no keyword' });
      walk((e as { body?: unknown }).body, `${here}/body`);
    });
  };
  walk((data as ModelDocument).keepalived, '/keepalived');
  return errors;
}

function describe(e: ErrorObject): ModelError {
  const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : e.keyword === 'enum' ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
  return { path: e.instancePath || '/', message: `${e.message ?? 'is invalid'}${extra}` };
}

