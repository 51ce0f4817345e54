import { model, statementsNamed } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { deleteFix } from '../helpers/source.ts';

/**
 * Virtual server options keepalived accepts and then drops: ha_suspend on a
 * fwmark service, ops on a TCP or SCTP service, sorry_server_inhibit and
 * sorry_server_lvs_method before any sorry_server, an ip_family that
 * contradicts the addresses.
 */
export const rule: LintRule = {
  meta: {
    id: 'lvs-option-ignored',
    description: 'A virtual server option keepalived drops: ha_suspend with fwmarks, ops without UDP, sorry_server options before sorry_server, a conflicting ip_family.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  create(context) {
    return {
      blocks: {
        virtual_server(vs) {
          const service = model.serviceOf(vs, context.config);
          if (!service) return;
          if (service.hasFwmarks) {
            for (const s of statementsNamed(vs, 'ha_suspend')) {
              context.report({
                range: s.range,
                message: `ha_suspend does not work with firewall marks (there is no address to watch): keepalived clears it ("cannot use ha_suspend with fwmarks") and the checkers always run; delete it`,
                fixes: deleteFix(s, 'Delete ha_suspend'),
              });
            }
          }
          const protocol = model.lastAccepted(vs, 'protocol', 'protocol');
          if (service.hasAddresses && protocol && protocol.value !== 'UDP') {
            for (const s of statementsNamed(vs, 'ops')) {
              context.report({
                range: s.range,
                message: `ops (one-packet scheduling) only applies to UDP, and this service is ${protocol.value}: keepalived turns it off ("one packet scheduling requires UDP - resetting"); delete it`,
                related: [{ range: protocol.statement.range, message: `protocol ${protocol.value}` }],
                fixes: deleteFix(s, 'Delete ops'),
              });
            }
          }
          const firstSorry = statementsNamed(vs, 'sorry_server')[0];
          for (const name of ['sorry_server_inhibit', 'sorry_server_lvs_method']) {
            for (const s of statementsNamed(vs, name)) {
              if (firstSorry && firstSorry.range.start < s.range.start) continue;
              context.report({
                range: s.range,
                message: `${name} applies to the sorry_server read before it, and there is none ${firstSorry ? 'yet' : 'in this virtual server'}: keepalived ignores it; ${firstSorry ? 'move it below sorry_server' : 'add a sorry_server before it, or delete it'}`,
                ...(firstSorry ? { related: [{ range: firstSorry.range, message: 'sorry_server is set here, later' }] } : {}),
              });
            }
          }
          for (const s of service.familyConflicts) {
            context.report({
              range: s.range,
              message: `ip_family ${s.words[0]!.text} contradicts the ${service.family === 4 ? 'IPv4' : 'IPv6'} family already set: keepalived ignores it ("conflicts with server family"); delete it`,
              ...(service.familyFrom ? { related: [{ range: service.familyFrom.range, message: 'family set here' }] } : {}),
              fixes: deleteFix(s, 'Delete ip_family'),
            });
          }
        },
      },
    };
  },
};
