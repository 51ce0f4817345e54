import type { Version } from './types.ts';

/** Compares two releases: negative when a is older than b. */
export function compareVersions(a: Version, b: Version): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
