/** Every lint rule kalint has, one file each. */
import type { LintRule } from '../rule.ts';
import { rule as advertIntNotIntegerV2 } from './advert-int-not-integer-v2.ts';
import { rule as ahAuthRequiresBackup } from './ah-auth-requires-backup.ts';
import { rule as authWithVrrpv3 } from './auth-with-vrrpv3.ts';
import { rule as checkScriptDependsOnVip } from './check-script-depends-on-vip.ts';
import { rule as checkerIpv6LinkLocalWithoutBindIf } from './checker-ipv6-link-local-without-bind-if.ts';
import { rule as commentInsideWord } from './comment-inside-word.ts';
import { rule as duplicateVrid } from './duplicate-vrid.ts';
import { rule as lvsDefaultsImplicit } from './lvs-defaults-implicit.ts';
import { rule as lvsOptionIgnored } from './lvs-option-ignored.ts';
import { rule as lvsTunnelOptions } from './lvs-tunnel-options.ts';
import { rule as noVirtualIpaddress } from './no-virtual-ipaddress.ts';
import { rule as nopreemptRequiresBackup } from './nopreempt-requires-backup.ts';
import { rule as notifyRedirectOutsideQuotes } from './notify-redirect-outside-quotes.ts';
import { rule as ownerPriority } from './owner-priority.ts';
import { rule as persistenceWithoutPort } from './persistence-without-port.ts';
import { rule as preemptDelayIgnored } from './preempt-delay-ignored.ts';
import { rule as quorumExceedsWeight } from './quorum-exceeds-weight.ts';
import { rule as realServerDuplicate } from './real-server-duplicate.ts';
import { rule as realServerPortMismatch } from './real-server-port-mismatch.ts';
import { rule as schedFlagBeforeSched } from './sched-flag-before-sched.ts';
import { rule as scriptNotAbsolute } from './script-not-absolute.ts';
import { rule as scriptSecurityMissing } from './script-security-missing.ts';
import { rule as scriptShellSyntax } from './script-shell-syntax.ts';
import { rule as scriptTimeoutExceedsInterval } from './script-timeout-exceeds-interval.ts';
import { rule as sorryServerInPool } from './sorry-server-in-pool.ts';
import { rule as strictModeConflict } from './strict-mode-conflict.ts';
import { rule as strictWithoutAccept } from './strict-without-accept.ts';
import { rule as syncGroupWeightedTrackers } from './sync-group-weighted-trackers.ts';
import { rule as timerExpiredBackupNeedsNopreempt } from './timer-expired-backup-needs-nopreempt.ts';
import { rule as trackOwnInterface } from './track-own-interface.ts';
import { rule as udpCheckReplyLengths } from './udp-check-reply-lengths.ts';
import { rule as unicastFamilyMismatch } from './unicast-family-mismatch.ts';
import { rule as unicastPeerContainsSelf } from './unicast-peer-contains-self.ts';
import { rule as unicastPeerEmpty } from './unicast-peer-empty.ts';
import { rule as unicastTtlWithoutPeers } from './unicast-ttl-without-peers.ts';
import { rule as unusedVrrpScript } from './unused-vrrp-script.ts';
import { rule as vipFamilyMismatch } from './vip-family-mismatch.ts';
import { rule as vipLabelMismatch } from './vip-label-mismatch.ts';
import { rule as virtualServerNoRealServers } from './virtual-server-no-real-servers.ts';
import { rule as virtualServerProtocolMissing } from './virtual-server-protocol-missing.ts';

export const lintRules: readonly LintRule[] = [
  advertIntNotIntegerV2,
  ahAuthRequiresBackup,
  authWithVrrpv3,
  checkScriptDependsOnVip,
  checkerIpv6LinkLocalWithoutBindIf,
  commentInsideWord,
  duplicateVrid,
  lvsDefaultsImplicit,
  lvsOptionIgnored,
  lvsTunnelOptions,
  noVirtualIpaddress,
  nopreemptRequiresBackup,
  notifyRedirectOutsideQuotes,
  ownerPriority,
  persistenceWithoutPort,
  preemptDelayIgnored,
  quorumExceedsWeight,
  realServerDuplicate,
  realServerPortMismatch,
  schedFlagBeforeSched,
  scriptNotAbsolute,
  scriptSecurityMissing,
  scriptShellSyntax,
  scriptTimeoutExceedsInterval,
  sorryServerInPool,
  strictModeConflict,
  strictWithoutAccept,
  syncGroupWeightedTrackers,
  timerExpiredBackupNeedsNopreempt,
  trackOwnInterface,
  udpCheckReplyLengths,
  unicastFamilyMismatch,
  unicastPeerContainsSelf,
  unicastPeerEmpty,
  unicastTtlWithoutPeers,
  unusedVrrpScript,
  vipFamilyMismatch,
  vipLabelMismatch,
  virtualServerNoRealServers,
  virtualServerProtocolMissing,
];
