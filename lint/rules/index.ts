/** Every lint rule kalint has, one file each. */
import type { LintRule } from '../rule.ts';
import { rule as ahAuthRequiresBackup } from './ah-auth-requires-backup.ts';
import { rule as authWithVrrpv3 } from './auth-with-vrrpv3.ts';
import { rule as duplicateVrid } from './duplicate-vrid.ts';
import { rule as noVirtualIpaddress } from './no-virtual-ipaddress.ts';
import { rule as nopreemptRequiresBackup } from './nopreempt-requires-backup.ts';
import { rule as ownerPriority } from './owner-priority.ts';
import { rule as preemptDelayIgnored } from './preempt-delay-ignored.ts';
import { rule as scriptTimeoutExceedsInterval } from './script-timeout-exceeds-interval.ts';
import { rule as strictModeConflict } from './strict-mode-conflict.ts';
import { rule as syncGroupWeightedTrackers } from './sync-group-weighted-trackers.ts';
import { rule as timerExpiredBackupNeedsNopreempt } from './timer-expired-backup-needs-nopreempt.ts';
import { rule as trackOwnInterface } from './track-own-interface.ts';
import { rule as unicastTtlWithoutPeers } from './unicast-ttl-without-peers.ts';
import { rule as unusedVrrpScript } from './unused-vrrp-script.ts';

export const lintRules: readonly LintRule[] = [
  ahAuthRequiresBackup,
  authWithVrrpv3,
  duplicateVrid,
  noVirtualIpaddress,
  nopreemptRequiresBackup,
  ownerPriority,
  preemptDelayIgnored,
  scriptTimeoutExceedsInterval,
  strictModeConflict,
  syncGroupWeightedTrackers,
  timerExpiredBackupNeedsNopreempt,
  trackOwnInterface,
  unicastTtlWithoutPeers,
  unusedVrrpScript,
];
