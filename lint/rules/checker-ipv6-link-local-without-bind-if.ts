import { type Block, blocksOf, childrenNamed, ipOf, isIp, model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { isLinkLocal } from '../helpers/ip.ts';
import { describe, headerRange } from '../helpers/source.ts';

/** The checkers with connection options; MISC_CHECK, FILE_CHECK and BFD_CHECK connect nowhere. */
const CHECKERS = ['TCP_CHECK', 'HTTP_GET', 'SSL_GET', 'SMTP_CHECK', 'DNS_CHECK', 'UDP_CHECK', 'PING_CHECK'];
const CONNECTION = ['connect_ip', 'connect_port', 'bindto', 'bind_port', 'bind_if', 'connect_timeout', 'fwmark'];

/** `check_conn_opts`: a checker whose target is an IPv6 link-local address needs bind_if, else keepalived drops it. */
export const rule: LintRule = {
  meta: {
    id: 'checker-ipv6-link-local-without-bind-if',
    description: 'A health checker aimed at an IPv6 link-local address without bind_if: keepalived drops the checker.',
    defaultSeverity: 'error',
  },
  create(context) {
    const check = (checker: Block, rs: Block) => {
      const ip = model.lastAccepted(checker, 'connect_ip', 'address');
      const target = ip && isIp(ip.value) ? ip.value : ipOf(rs);
      if (!target || !isLinkLocal(target) || childrenNamed(checker, 'bind_if').length) return;
      context.report({
        range: ip ? ip.statement.range : checker.keyword.range,
        message: `${checker.keyword.text} connects to the link-local address ${target.address}, which is only meaningful with an interface: keepalived drops the checker ("Checker link local address requires a bind_if"); add 'bind_if <interface>'`,
        ...(ip ? {} : { related: [{ range: headerRange(rs), message: `target taken from ${describe(rs)}` }] }),
      });
    };
    return {
      blocks: {
        virtual_server(vs) {
          for (const rs of blocksOf(vs, 'real_server')) {
            if (rs.ignored) continue;
            for (const checker of rs.children) {
              if (checker.type !== 'Block' || !CHECKERS.includes(checker.blockId) || checker.ignored) continue;
              const hosts = checker.blockId === 'SMTP_CHECK' ? blocksOf(checker, 'SMTP_CHECK.host') : [];
              // An SMTP_CHECK made only of host blocks takes its connection from the first of them.
              if (!hosts.length || checker.children.some((n) => CONNECTION.includes(n.def.name))) check(checker, rs);
              for (const host of hosts) check(host, rs);
            }
          }
        },
      },
    };
  },
};
