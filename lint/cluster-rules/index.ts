/** Every cluster rule kalint has. */
import type { ClusterRule } from '../cluster.ts';
import { rule as advertIntMismatch } from './cluster-advert-int-mismatch.ts';
import { rule as authMismatch } from './cluster-auth-mismatch.ts';
import { noMaster, twoMasters } from './cluster-initial-state.ts';
import { rule as instanceMissing } from './cluster-instance-missing.ts';
import { rule as masterMasterNotMirrored } from './cluster-master-master-not-mirrored.ts';
import { rule as priorityTie } from './cluster-priority-tie.ts';
import { rule as unicastAsymmetric } from './cluster-unicast-asymmetric.ts';
import { rule as versionMismatch } from './cluster-version-mismatch.ts';
import { rule as vipMismatch } from './cluster-vip-mismatch.ts';
import { rule as vridMismatch } from './cluster-vrid-mismatch.ts';
import { rule as scriptWeightCannotFailover } from './script-weight-cannot-failover.ts';

export const clusterRules: readonly ClusterRule[] = [
  vridMismatch,
  vipMismatch,
  advertIntMismatch,
  versionMismatch,
  authMismatch,
  unicastAsymmetric,
  priorityTie,
  twoMasters,
  noMaster,
  masterMasterNotMirrored,
  instanceMissing,
  scriptWeightCannotFailover,
];
