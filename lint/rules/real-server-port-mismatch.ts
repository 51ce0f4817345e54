import { model } from '../../grammar/index.ts';
import type { LintRule, Report } from '../rule.ts';
import { familyName } from '../helpers/ip.ts';
import { portWord } from '../helpers/lvs.ts';
import { deleteWordFix, describe, headerRange } from '../helpers/source.ts';

/**
 * DR and TUN forward packets unchanged, so a real server cannot listen on
 * another port than the service: keepalived resets (or, for fwmark
 * services, clears) such ports. Real and sorry servers of another address
 * family than the service are dropped unless tunnelled.
 */
export const rule: LintRule = {
  meta: {
    id: 'real-server-port-mismatch',
    description: 'A DR/TUN real or sorry server port keepalived resets or clears, or a server of another address family it drops.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  create(context) {
    return {
      blocks: {
        virtual_server(vs) {
          const service = model.serviceOf(vs, context.config);
          if (!service) return;
          const report = (r: Report) => context.report(r);
          const servers = [...service.realServers, ...(service.sorry ? [service.sorry] : [])];
          for (const server of servers) {
            const word = portWord(server.node);
            if (!word || server.method === 'NAT') continue;
            const what = `${describe(server.node)} forwards by ${server.method} and`;
            if (service.kind === 'fwmark') {
              report({
                range: word.range,
                message: `${what} has port ${server.port} on a firewall-mark service: keepalived clears it ("has port specified - clearing"), packets keep the port they came with; delete the port`,
                fixes: deleteWordFix(server.node, word, 'Delete the port'),
              });
            } else if (service.kind === 'address' && server.port !== service.port) {
              report({
                range: word.range,
                message: `${what} has port ${server.port} but the virtual server ${service.port ? `has port ${service.port}` : 'has none'}: ${server.method} cannot translate ports, so keepalived resets it ("ports don't match - resetting"); ${service.port ? `use port ${service.port}` : 'delete the port'}, or NAT to translate`,
                fixes: service.port && !word.frame ? [{ description: `Use port ${service.port}`, edits: [{ range: word.range, text: String(service.port) }] }] : deleteWordFix(server.node, word, 'Delete the port'),
              });
            } else if (service.kind === 'group') {
              groupPort(service.group!.params['name'] as string, server, service.hasFwmarks, service.entries, report);
            }
          }
          for (const dropped of [...service.familyDropped, ...(service.sorryDropped ? [service.sorryDropped] : [])]) {
            report({
              range: headerRange(dropped.node),
              severity: 'error',
              message: `${describe(dropped.node)} is ${familyName(dropped.ip.family)} but the virtual server is ${familyName(service.family!)}: keepalived drops it ("address family ... don't match - skipping"); only a TUN server may differ`,
              ...(service.familyFrom ? { related: [{ range: headerRange(service.familyFrom), message: `${familyName(service.family!)} from ${describe(service.familyFrom)}` }] } : {}),
            });
          }
          if (service.kind === 'group' && service.realServers.length && service.family) {
            const families = model.groupFamilies(service);
            if (families.size === 2 || (families.size === 1 && !families.has(service.family))) {
              report({
                range: headerRange(vs),
                severity: 'error',
                message: `virtual_server_group ${service.group!.params['name']} has ${[...families].map(familyName).join(' and ')} entries but the servers make this service ${familyName(service.family)}: keepalived ignores the whole virtual server ("address family doesn't match virtual server - ignoring")`,
                related: [
                  { range: headerRange(service.group!), message: 'the group' },
                  ...(service.familyFrom ? [{ range: headerRange(service.familyFrom), message: `${familyName(service.family)} from ${describe(service.familyFrom)}` }] : []),
                ],
              });
            }
          }
        },
      },
    };
  },
};

/** A group service: keepalived only warns; the first mismatching entry is reported. */
function groupPort(name: string, server: model.Server, hasFwmarks: boolean, entries: model.Service['entries'], report: (r: Report) => void): void {
  const word = portWord(server.node)!;
  if (hasFwmarks) {
    report({
      range: word.range,
      message: `${describe(server.node)} forwards by ${server.method} and has port ${server.port}, but virtual_server_group ${name} has fwmark entries: keepalived ignores the port for them ("has port specified - port will be ignored"); delete the port`,
    });
    return;
  }
  const entry = entries.find((e) => typeof e.params['address'] === 'string' && (e.params['port'] ?? 0) !== server.port);
  if (!entry) return;
  report({
    range: word.range,
    message: `${describe(server.node)} forwards by ${server.method} and has port ${server.port} but '${entry.words.map((w) => w.text).join(' ')}' in virtual_server_group ${name} has ${entry.params['port'] ? `port ${entry.params['port']}` : 'none'}: ${server.method} cannot translate ports ("ports don't match"); use the group's port, or NAT`,
    related: [{ range: entry.range, message: 'group entry' }],
  });
}
