/**
 * keepalived's firewall for instances without accept mode (vrrp_strict,
 * no_accept): in its nftables tables (`nftables` TABLE, default keepalived),
 * packets to a VIP are dropped on input and packets from one on output;
 * IPv6 neighbour discovery stays allowed (vrrp/vrrp_nftables.c).
 *
 * keepalived adds a VIP to the set when it adds the address and removes it
 * with the address. The set here holds every such VIP from the start: the
 * input hook only sees packets for addresses that are local, which a VIP is
 * only while its instance is MASTER, so the effect is the same, and the
 * ruleset changes only when the configuration does, never in a failover.
 */
import { execFileSync } from 'node:child_process';
import type { Vip } from './config.ts';

export interface FirewallSettings {
  table: string;
  priority: number;
  counters: boolean;
  /** The VIPs of instances without accept mode. */
  vips: Vip[];
}

const ND = 'icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept';

/** The `nft -f` input that replaces kalint's tables with `settings`, or only deletes them when no VIP needs one. */
export function firewallRules(settings: FirewallSettings, previous?: FirewallSettings): string {
  const lines: string[] = [];
  // Residue of an earlier run goes too, as keepalived makes sure at start. `table X {}` first, so that
  // deleting never fails on a table that is not there.
  for (const table of new Set([previous?.table ?? settings.table, settings.table])) {
    for (const family of ['ip', 'ip6']) lines.push(`table ${family} ${table} {}`, `delete table ${family} ${table}`);
  }
  const counter = settings.counters ? 'counter ' : '';
  for (const [family, type, addresses] of [
    ['ip', 'ipv4_addr', settings.vips.filter((v) => v.family === 4)],
    ['ip6', 'ipv6_addr', settings.vips.filter((v) => v.family === 6)],
  ] as const) {
    if (!addresses.length) continue;
    const elements = [...new Set(addresses.map((v) => v.address))].join(', ');
    const nd = family === 'ip6' ? `        ${ND}\n` : '';
    lines.push(
      `table ${family} ${settings.table} {`,
      `    set vips {\n        type ${type}\n        elements = { ${elements} }\n    }`,
      `    chain in {\n        type filter hook input priority ${settings.priority}; policy accept;\n${nd}        ${family} daddr @vips ${counter}drop\n    }`,
      `    chain out {\n        type filter hook output priority ${settings.priority}; policy accept;\n        ${family} saddr @vips ${counter}drop\n    }`,
      '}',
    );
  }
  return lines.join('\n') + '\n';
}

/** Applies rules with nft, atomically (one transaction); the error message says what nft said. */
export function applyNft(rules: string): void {
  execFileSync('nft', ['-f', '-'], { input: rules, stdio: ['pipe', 'ignore', 'pipe'] });
}
