/**
 * The virtual servers keepalived's checker would program into IPVS, as an
 * nftables ruleset (for hosts without IPVS) and as `ipvsadm-restore` input.
 * Both start from the LVS model (grammar/model/lvs.ts): the real servers
 * keepalived keeps, their effective ports, weights and forwarding methods.
 *
 * nftables has no connection-counting schedulers: rr and wrr become
 * `numgen inc` over weight-sized slots, sh and dh `jhash` of the source or
 * destination address; lc, wlc, sed, nq and the other schedulers that count
 * connections are approximated by wrr, with a warning naming the
 * approximation. Persistence of NAT services is a map from client to real
 * server with the persistence timeout, filled in the forward hook and looked
 * up before scheduling; elsewhere (direct routing, real servers on different
 * ports) it is approximated by source hashing, with a warning. Real servers with weight 0 are drained (left out); with none
 * left, traffic goes to the sorry server.
 */
import type { Block, Config } from '../grammar/ast.ts';
import { model } from '../grammar/index.ts';

export interface RulesOutput {
  text: string;
  warnings: { message: string; node: Block }[];
}

interface Backend {
  address: string;
  port: number;
  weight: number;
  method: model.Method;
}

interface Plan {
  node: Block;
  family: 4 | 6;
  protocol: 'tcp' | 'udp' | 'sctp';
  /** Address form: the virtual address and port; fwmark form: the mark. */
  address?: string;
  port: number;
  mark?: number;
  scheduler: string;
  persistence?: number;
  backends: Backend[];
  sorry?: Backend;
}

const HASHED = new Set(['sh', 'dh', 'mh']);
const ROUND_ROBIN = new Set(['rr', 'wrr']);

/** The services to translate; warnings for those that cannot be. */
function plans(config: Config, warnings: RulesOutput['warnings']): Plan[] {
  const out: Plan[] = [];
  for (const vs of config.children) {
    if (vs.type !== 'Block' || vs.blockId !== 'virtual_server') continue;
    const service = model.serviceOf(vs, config);
    if (!service) continue;
    if (service.kind === 'group') {
      warnings.push({ message: `virtual_server group ${String(vs.params['group'])}: groups are not translated; write a virtual_server per address`, node: vs });
      continue;
    }
    const scheduler = String(model.lastAccepted(vs, 'lvs_sched', 'scheduler')?.value ?? 'wlc');
    const protocol = String(model.lastAccepted(vs, 'protocol', 'protocol')?.value ?? 'TCP').toLowerCase() as Plan['protocol'];
    const persistence = service.persistent ? Number(model.lastAccepted(vs, 'persistence_timeout', 'seconds')?.value ?? 360) : undefined;
    const backend = (s: model.Server): Backend => ({ address: s.ip.address, port: s.effectivePort || service.port, weight: s.weight, method: s.method });
    const plan: Plan = {
      node: vs,
      family: service.family ?? service.address?.family ?? 4,
      protocol,
      port: service.port,
      scheduler,
      backends: service.realServers.map(backend),
    };
    if (service.kind === 'address') plan.address = service.address!.address;
    else plan.mark = Number(vs.params['mark']);
    if (persistence !== undefined) plan.persistence = persistence;
    if (service.sorry) plan.sorry = backend(service.sorry);
    out.push(plan);
  }
  return out;
}

/** Weight-sized slots for the round-robin counter: `0-0 : a, 1-2 : b` for weights 1 and 2. */
function slots(backends: readonly Backend[], target: (b: Backend) => string): { modulus: number; map: string } {
  let at = 0;
  const entries: string[] = [];
  for (const b of backends) {
    entries.push(`${b.weight > 1 ? `${at}-${at + b.weight - 1}` : at} : ${target(b)}`);
    at += b.weight;
  }
  return { modulus: at, map: entries.join(', ') };
}

export function toNftables(config: Config): RulesOutput {
  const warnings: RulesOutput['warnings'] = [];
  const nat: string[] = [];
  const maps: string[] = [];
  const forward: string[] = [];
  const ingress = new Map<string, string[]>();
  for (const p of plans(config, warnings)) {
    const ip = p.family === 6 ? 'ip6' : 'ip';
    const match = p.mark !== undefined ? `meta mark ${p.mark}` : `${ip} daddr ${p.address} ${p.protocol} dport ${p.port}`;
    const live = p.backends.filter((b) => b.weight > 0);
    const serving = live.length ? live : p.sorry ? [{ ...p.sorry, weight: 1 }] : [];
    const where = `virtual_server ${p.mark !== undefined ? `fwmark ${p.mark}` : `${p.address} ${p.port}`}`;
    if (!serving.length) {
      warnings.push({ message: `${where}: no real server with a weight and no sorry server; its traffic is not redirected`, node: p.node });
      continue;
    }
    let scheduler = p.scheduler;
    const natOnly = serving.every((b) => b.method !== 'DR');
    const oneTargetPort = serving.every((b) => b.port === serving[0]!.port);
    // NAT keeps a client on its real server with a map the forward hook fills (client -> real server, with the timeout).
    const persistMap = p.persistence !== undefined && natOnly && oneTargetPort ? `persist_${maps.length}` : undefined;
    if (p.persistence !== undefined && !persistMap && !HASHED.has(scheduler)) {
      warnings.push({ message: `${where}: persistence for ${p.persistence} s approximated by hashing the client address (nftables keeps no per-client timeout here)`, node: p.node });
      scheduler = 'sh';
    }
    if (!ROUND_ROBIN.has(scheduler) && !HASHED.has(scheduler)) {
      warnings.push({ message: `${where}: scheduler ${scheduler} counts connections, which nftables cannot; approximated by weighted round robin`, node: p.node });
      scheduler = 'wrr';
    }
    const methods = new Set(serving.map((b) => b.method));
    if (methods.size > 1) warnings.push({ message: `${where}: mixed forwarding methods; each real server keeps its own`, node: p.node });
    const equalWeights = scheduler === 'rr' || HASHED.has(scheduler);
    const weighted = equalWeights ? serving.map((b) => ({ ...b, weight: 1 })) : serving;
    const key = scheduler === 'dh' ? `jhash ${ip} daddr mod` : HASHED.has(scheduler) ? `jhash ${ip} saddr mod` : 'numgen inc mod';
    const natTargets = weighted.filter((b) => b.method !== 'DR');
    if (natTargets.length) {
      const samePort = natTargets.every((b) => b.port === natTargets[0]!.port);
      const target = (b: Backend) => (samePort ? b.address : `${b.address} . ${b.port}`);
      const { modulus, map } = slots(natTargets, target);
      const portSuffix = natTargets[0]!.port !== p.port ? ` : ${natTargets[0]!.port}` : '';
      const to = samePort ? `dnat ${ip} to ${key} ${modulus} map { ${map} }${portSuffix}` : `dnat ${ip} addr . port to ${key} ${modulus} map { ${map} }`;
      if (natTargets.some((b) => b.method === 'TUN')) warnings.push({ message: `${where}: tunnelled real servers are reached by NAT (nftables has no IPIP encapsulation)`, node: p.node });
      if (persistMap) {
        const addrType = p.family === 6 ? 'ipv6_addr' : 'ipv4_addr';
        maps.push(`    map ${persistMap} {`, `        type ${addrType} : ${addrType}`, '        flags dynamic,timeout', `        timeout ${p.persistence}s`, '    }');
        nat.push(`        ${match} dnat ${ip} to ${ip} saddr map @${persistMap}${portSuffix} comment "${where}: persistent clients"`);
        const original = p.mark !== undefined ? `meta mark ${p.mark}` : `meta l4proto ${p.protocol} ct original ${ip} daddr ${p.address} ct original proto-dst ${p.port}`;
        forward.push(`        ${original} update @${persistMap} { ${ip} saddr : ${ip} daddr } comment "${where}"`);
      }
      nat.push(`        ${match} ${to} comment "${where}"`);
    }
    const dr = weighted.filter((b) => b.method === 'DR');
    if (dr.length) {
      const { modulus, map } = slots(dr, (b) => b.address);
      // The real servers share the director's segment; the VIP arrives, and leaves again, on the VRRP interface carrying it.
      const known = p.address ? vipInterface(config, p.address) : undefined;
      const device = known ?? 'eth0';
      if (!known) warnings.push({ message: `${where}: no vrrp_instance carries this address; direct routing assumes interface eth0`, node: p.node });
      const rule = `        ${match} fwd ${ip} to ${key} ${modulus} map { ${map} } device "${device}" comment "${where}"`;
      const list = ingress.get(device) ?? [];
      list.push(rule);
      ingress.set(device, list);
    }
  }
  const out = ['#!/usr/sbin/nft -f', '# Generated by kalint translate --to nftables from keepalived virtual_server blocks.', 'table inet kalint_lvs', 'delete table inet kalint_lvs', 'table inet kalint_lvs {'];
  out.push(...maps, '    chain prerouting {', '        type nat hook prerouting priority dstnat; policy accept;', ...nat, '    }', '    chain output {', '        type nat hook output priority -100; policy accept;', ...nat, '    }');
  if (forward.length) out.push('    chain forward {', '        type filter hook forward priority 0; policy accept;', ...forward, '    }');
  out.push('}');
  for (const [device, rules] of ingress) {
    out.push(`table netdev kalint_lvs_${device}`, `delete table netdev kalint_lvs_${device}`, `table netdev kalint_lvs_${device} {`, `    chain ingress {`, `        type filter hook ingress device "${device}" priority 0; policy accept;`, ...rules, '    }', '}');
  }
  return { text: `${out.join('\n')}\n`, warnings };
}


/** The interface of the vrrp_instance whose virtual_ipaddress holds `address`: its `dev`, else the instance's interface. */
function vipInterface(config: Config, address: string): string | undefined {
  for (const instance of model.instancesOf(config)) {
    for (const vip of model.addressesOf(instance, 'virtual_ipaddress')) {
      if (vip.ip.address !== address) continue;
      const dev = vip.item.options['dev'];
      if (dev && dev !== true && typeof dev['interface'] === 'string') return dev['interface'];
      const own = model.lastAccepted(instance, 'interface', 'interface')?.value;
      if (typeof own === 'string') return own;
    }
  }
  return undefined;
}

const FORWARDING = { NAT: '-m', DR: '-g', TUN: '-i' } as const;

/** `ipvsadm-restore` input for the same services. */
export function toIpvsadm(config: Config): RulesOutput {
  const lines: string[] = [];
  const warnings: RulesOutput['warnings'] = [];
  for (const p of plans(config, warnings)) {
    const service = p.mark !== undefined ? `-f ${p.mark}` : `${p.protocol === 'udp' ? '-u' : p.protocol === 'sctp' ? '--sctp-service' : '-t'} ${p.family === 6 ? `[${p.address}]` : p.address}:${p.port}`;
    lines.push(`-A ${service} -s ${p.scheduler}${p.persistence !== undefined ? ` -p ${p.persistence}` : ''}`);
    const servers = p.backends.length ? p.backends : p.sorry ? [p.sorry] : [];
    for (const b of servers) {
      const address = p.family === 6 ? `[${b.address}]` : b.address;
      lines.push(`-a ${service} -r ${b.port ? `${address}:${b.port}` : address} ${FORWARDING[b.method]} -w ${b.weight}`);
    }
  }
  return { text: lines.length ? `${lines.join('\n')}\n` : '', warnings };
}
