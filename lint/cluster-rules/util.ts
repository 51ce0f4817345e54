/** Where cluster rules point: a member's statement, or its instance header. */
import { childrenNamed, type Range } from '../../grammar/index.ts';
import type { Member } from '../cluster.ts';

export function at(m: Member, keyword?: string): Range {
  const found = keyword ? childrenNamed(m.instance, keyword) : [];
  return found[found.length - 1]?.keyword.range ?? m.instance.keyword.range;
}

/** `VI_1 on lb1`. */
export function named(m: Member): string {
  return `${m.instance.name ?? 'vrrp_instance'} on ${m.node.label}`;
}
