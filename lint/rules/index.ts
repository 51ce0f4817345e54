/** Every lint rule kalint has. */
import type { LintRule } from '../rule.ts';
import { rule as nopreemptRequiresBackup } from './nopreempt-requires-backup.ts';

export const lintRules: readonly LintRule[] = [nopreemptRequiresBackup];
