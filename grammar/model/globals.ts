import { type Block, blocksOf, type Config, lastStatement, type Statement, valueOf } from '../ast.ts';
import type { Value } from '../values.ts';

/** The `global_defs` settings: keepalived merges every global_defs block, later lines winning. */
export class GlobalDefs {
  readonly blocks: Block[];

  constructor(config: Config) {
    this.blocks = blocksOf(config, 'global_defs');
  }

  statement(keyword: string): Statement | undefined {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const s = lastStatement(this.blocks[i]!, keyword);
      if (s) return s;
    }
    return undefined;
  }

  value(keyword: string): Value | undefined {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const v = valueOf(this.blocks[i]!, keyword);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  has(keyword: string): boolean {
    return this.statement(keyword) !== undefined;
  }
}
