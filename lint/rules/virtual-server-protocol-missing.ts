import { model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { deleteFix, headerRange } from '../helpers/source.ts';

/** `validate_check_config`: an address service without protocol becomes UDP; a fwmark service ignores its protocol. */
export const rule: LintRule = {
  meta: {
    id: 'virtual-server-protocol-missing',
    description: 'A virtual server on addresses without protocol (keepalived makes it UDP), or a fwmark service with one (ignored).',
    defaultSeverity: 'error',
    fixable: true,
  },
  create(context) {
    return {
      blocks: {
        virtual_server(vs) {
          const service = model.serviceOf(vs, context.config);
          if (!service) return;
          const protocol = model.lastAccepted(vs, 'protocol', 'protocol');
          if (service.hasAddresses && !protocol) {
            const what = service.kind === 'group' ? `the addresses of virtual_server_group ${service.group!.params['name']}` : 'this virtual server';
            context.report({
              range: headerRange(vs),
              message: `no protocol for ${what}: keepalived logs "no protocol set - defaulting to UDP" and serves UDP only, not TCP; add 'protocol TCP' (or UDP, SCTP)`,
            });
          } else if (!service.hasAddresses && protocol) {
            context.report({
              range: protocol.statement.range,
              severity: 'warning',
              message: `protocol has no effect on a firewall-mark service: keepalived ignores it ("protocol specified for fwmark - protocol will be ignored"), the mark alone selects the packets; delete it`,
              fixes: deleteFix(protocol.statement, 'Delete the protocol line'),
            });
          }
        },
      },
    };
  },
};
