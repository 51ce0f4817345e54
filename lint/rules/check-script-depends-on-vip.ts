import { type Block, blocksOf, canonicalIp, itemsOf, lastStatement, model, type RelatedInfo, type Statement } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { addressesIn } from '../helpers/ip.ts';

interface Finding {
  vips: string[];
  holders: string[];
  related: RelatedInfo[];
}

/** A tracked check that tests the VIP measures who holds it, not the node's health: the MASTER role flaps. */
export const rule: LintRule = {
  meta: {
    id: 'check-script-depends-on-vip',
    description: "A tracked vrrp_script whose command tests one of the instance's VIPs, so its result depends on which node holds the VIP.",
    defaultSeverity: 'warning',
  },
  create(context) {
    return {
      config(config) {
        const instances = new Map(model.instancesOf(config).map((b) => [b.name, b]));
        const findings = new Map<Statement, Finding>();
        const check = (holder: Block, members: Block[]) => {
          const scripts = model.trackersOf(holder, config).filter((t) => t.kind === 'script' && t.object);
          if (!scripts.length) return;
          const vips = members.flatMap((m) => [...model.addressesOf(m, 'virtual_ipaddress'), ...model.addressesOf(m, 'virtual_ipaddress_excluded')]);
          for (const tracked of scripts) {
            const statement = lastStatement(tracked.object!, 'script');
            const command = statement?.params['script'];
            if (!statement || typeof command !== 'string') continue;
            const mentioned = addressesIn(command);
            const hits = vips.filter((v) => mentioned.has(canonicalIp(v.ip.address)));
            if (!hits.length) continue;
            const f = findings.get(statement) ?? { vips: [], holders: [], related: [] };
            findings.set(statement, f);
            f.holders.push(`${holder.def.name} ${holder.name ?? ''}`.trim());
            f.related.push({ range: tracked.item.range, message: `tracked by ${holder.name ?? holder.def.name}` });
            for (const hit of hits) {
              if (!f.vips.includes(hit.ip.address)) f.vips.push(hit.ip.address);
              f.related.push({ range: hit.item.range, message: `VIP of ${holder.name ?? holder.def.name}` });
            }
          }
        };
        for (const instance of instances.values()) check(instance, [instance]);
        for (const group of blocksOf(config, 'vrrp_sync_group')) {
          const names = itemsOf(group, 'group').flatMap((i) => i.words.map((w) => w.text));
          const members = names.map((n) => instances.get(n)).filter((b): b is Block => b !== undefined);
          check(group, members);
        }
        for (const [statement, f] of findings) {
          context.report({
            range: statement.words[0]!.range,
            message:
              `This check tests ${f.vips.join(', ')}, a VIP of ${f.holders.join(', ')}: its result depends on which node holds the VIP, not on this node's health. ` +
              'A BACKUP lacks the address (or reaches the MASTER through it), so a failure moves the VIP, the check then passes again and the VIP moves back: the MASTER role flaps. ' +
              "Check the local service instead (127.0.0.1 or the node's own address)",
            related: f.related,
          });
        }
      },
    };
  },
};
