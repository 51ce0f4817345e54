/**
 * The keyword schema, assembled from its parts, with the look-ups every layer uses.
 */
import { globalPart } from './global.ts';
import { lvsPart } from './lvs.ts';
import type { BlockDef, ItemDef, ItemKind, KeywordDef, RemovedKeyword, SchemaPart, Version } from './types.ts';
import { vrrpPart } from './vrrp.ts';

export type * from './types.ts';
export { compareVersions } from './version.ts';

const parts: readonly SchemaPart[] = [globalPart, vrrpPart, lvsPart];

export const ROOT_BLOCK = 'root';

/** The newest keepalived release the schema describes (`2.4.4` = git HEAD after 2.4.3). */
export const LATEST_VERSION: Version = '2.4.4';

export interface Schema {
  blocks: ReadonlyMap<string, BlockDef>;
  items: ReadonlyMap<ItemKind, ItemDef>;
  removed: readonly RemovedKeyword[];
}

function assemble(): Schema {
  const blocks = new Map<string, BlockDef>();
  const rootKeywords: KeywordDef[] = [];
  const items = new Map<ItemKind, ItemDef>();
  const removed: RemovedKeyword[] = [];
  for (const part of parts) {
    rootKeywords.push(...part.rootKeywords);
    for (const b of part.blocks) {
      if (blocks.has(b.id)) throw new Error(`schema: block ${b.id} defined twice`);
      blocks.set(b.id, b);
    }
    for (const item of part.items) items.set(item.kind, item);
    removed.push(...part.removed);
  }
  blocks.set(ROOT_BLOCK, { id: ROOT_BLOCK, summary: 'Top level of keepalived.conf', keywords: rootKeywords });
  return { blocks, items, removed };
}

export const schema: Schema = assemble();

const keywordIndex = new Map<string, Map<string, KeywordDef>>();
for (const [id, b] of schema.blocks) {
  const byName = new Map<string, KeywordDef>();
  for (const k of b.keywords) byName.set(k.name, k);
  keywordIndex.set(id, byName);
}

export function blockDef(id: string): BlockDef {
  const b = schema.blocks.get(id);
  if (!b) throw new Error(`schema: unknown block ${id}`);
  return b;
}

/** The keyword `name` as registered in block `blockId`, if any. */
export function lookupKeyword(blockId: string, name: string): KeywordDef | undefined {
  return keywordIndex.get(blockId)?.get(name);
}

/** Every block in which `name` is a keyword. */
export function blocksWithKeyword(name: string): string[] {
  const found: string[] = [];
  for (const [id, byName] of keywordIndex) if (byName.has(name)) found.push(id);
  return found;
}

export function itemDef(kind: ItemKind): ItemDef {
  const item = schema.items.get(kind);
  if (!item) throw new Error(`schema: unknown item kind ${kind}`);
  return item;
}

export function removedKeyword(blockId: string, name: string): RemovedKeyword | undefined {
  return schema.removed.find((r) => r.name === name && (r.block === blockId || r.block === '*'));
}
