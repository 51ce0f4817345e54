/**
 * The virtual servers `kalint run` keeps, from the LVS model: the IPVS
 * service each one asks for, its real and sorry servers with the weights,
 * forwarding methods and ports keepalived gives them, the quorum, and the
 * scripts and alerts of their state changes. Checkers come from
 * runtime/check; the pool (pool.ts) does the rest.
 */
import { type Block, type Config, model, type Statement, lastStatement, statementsNamed, valueOf } from '../../grammar/index.ts';
import { canonicalIp } from '../../grammar/values.ts';
import type { VirtualService } from '../dataplane/types.ts';
import { type ScriptCommand, type ScriptPolicy, commandOf } from '../scripts.ts';
import { type PoolServerSpec, type PoolSpec, trio } from './pool.ts';

export interface RunRealServer {
  block: Block;
  /** The default of its checkers' alpha: its own, else the virtual server's. */
  alpha: boolean;
  notifyUp?: ScriptCommand;
  notifyDown?: ScriptCommand;
  smtpAlert: boolean;
}

export interface RunVirtualServer {
  block: Block;
  pool: Omit<PoolSpec, 'servers'> & { servers: Omit<PoolServerSpec, 'checkers'>[] };
  realServers: RunRealServer[];
  /** The model's service, for the checkers' targets. */
  model: model.Service;
  quorumUp?: ScriptCommand;
  quorumDown?: ScriptCommand;
  smtpAlert: boolean;
  /** ha_suspend: checkers stop while the virtual address is not on this host. */
  haSuspend: boolean;
}

const ipv4OfNumber = (n: number) => [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');

/**
 * lbflags_handler: flag-1..3 always; sh-* only while the scheduler read so far
 * is sh, mh-* while it is mh; and `ops`.
 */
function schedulerFlags(vs: Block): string[] {
  const flags = new Set<string>();
  let scheduler = '';
  for (const n of vs.children) {
    if (n.type !== 'Statement') continue;
    const name = n.def.aliasOf ?? n.def.name;
    if (name === 'lvs_sched') scheduler = String(model.accepted(n, 'scheduler') ?? scheduler);
    else if (/^flag-[123]$/.test(name) || name === 'ops') flags.add(name);
    else if (/^(sh|mh)-(port|fallback)$/.test(name) && name.startsWith(`${scheduler}-`)) flags.add(name);
  }
  return [...flags];
}

/** An on/off keyword (`alpha`, `inhibit_on_failure`, `smtp_alert`): its last value, else undefined. */
function optionalBool(block: Block, keyword: string): boolean | undefined {
  const v = valueOf(block, keyword);
  return v === undefined ? undefined : v === true;
}

/** format_vs: `[addr]:proto:port`, or `FWM n`. */
function poolLabel(service: model.Service, protocol: string, vs: Block): string {
  if (service.kind === 'fwmark') return `FWM ${Number(vs.params['mark'])}`;
  return trio(service.address!.address, protocol, service.port);
}

/** IPVS's view of a virtual_server: the service to program. */
function virtualServiceOf(vs: Block, service: model.Service): VirtualService {
  const protocol = String(model.lastAccepted(vs, 'protocol', 'protocol')?.value ?? 'TCP').toLowerCase() as VirtualService['protocol'];
  const family = service.family ?? service.address?.family ?? 4;
  const out: VirtualService = {
    id: service.kind === 'fwmark' ? `fwmark|${family}|${Number(vs.params['mark'])}` : `${protocol}|${canonicalIp(service.address!.address)}|${service.port}`,
    family,
    protocol,
    port: service.port,
    scheduler: String(model.lastAccepted(vs, 'lvs_sched', 'scheduler')?.value ?? 'wlc'),
    flags: schedulerFlags(vs),
    label: `virtual_server ${vs.words.map((w) => w.text).join(' ')}`,
  };
  if (service.kind === 'fwmark') out.fwmark = Number(vs.params['mark']);
  else out.address = canonicalIp(service.address!.address);
  if (service.persistent) {
    const granularity = lastStatement(vs, 'persistence_granularity')?.words[0]?.text;
    const timeout = model.lastAccepted(vs, 'persistence_timeout', 'seconds')?.value;
    out.persistence = { timeout: typeof timeout === 'number' ? timeout : 360 };
    // An IPv4 service reads it as inet_aton does (24 is 0.0.0.24), an IPv6 one as a prefix length.
    if (granularity) out.persistence.netmask = family === 6 ? Number(granularity) : /^\d+$/.test(granularity) ? ipv4OfNumber(Number(granularity)) : granularity;
  }
  return out;
}

const numberOf = (block: Block, keyword: string, name: string) => {
  const v = model.lastAccepted(block, keyword, name)?.value;
  return typeof v === 'number' ? v : 0;
};

/** The virtual servers keepalived's checker would run; what kalint cannot run is reported in `problems`. */
export function virtualServersOf(
  config: Config,
  policy: ScriptPolicy,
  problems: string[],
  log: (line: string) => void,
  secure: (command: ScriptCommand) => ScriptCommand | undefined = (command) => command,
): RunVirtualServer[] {
  const script = (statement: Statement | undefined) => {
    const found = commandOf(statement, policy, log);
    return found && secure(found);
  };
  const globals = new model.GlobalDefs(config);
  const globalAlert = globals.value('smtp_alert_checker') ?? globals.value('smtp_alert');
  const out: RunVirtualServer[] = [];
  for (const vs of config.children) {
    if (vs.type !== 'Block' || vs.blockId !== 'virtual_server' || vs.ignored) continue;
    const service = model.serviceOf(vs, config);
    if (!service) continue;
    const where = `virtual_server ${vs.words.map((w) => w.text).join(' ')}`;
    if (service.kind === 'group') {
      problems.push(`${where}: virtual_server_group services are not run yet`);
      continue;
    }
    const virtualService = virtualServiceOf(vs, service);
    const vsInhibit = statementsNamed(vs, 'inhibit_on_failure').length > 0;
    const vsAlpha = statementsNamed(vs, 'alpha').length > 0;
    const vsAlert = optionalBool(vs, 'smtp_alert') ?? globalAlert === true;
    const quorum = model.quorumOf(service);
    const realServers: RunRealServer[] = [];
    const servers = service.realServers.map((s) => {
      const rs = s.node as Block;
      const entry: RunRealServer = { block: rs, alpha: optionalBool(rs, 'alpha') ?? vsAlpha, smtpAlert: optionalBool(rs, 'smtp_alert') ?? vsAlert };
      const up = script(lastStatement(rs, 'notify_up'));
      const down = script(lastStatement(rs, 'notify_down'));
      if (up) entry.notifyUp = up;
      if (down) entry.notifyDown = down;
      realServers.push(entry);
      return {
        address: canonicalIp(s.ip.address),
        port: s.effectivePort,
        forwarding: s.method,
        weight: s.weight,
        inhibit: optionalBool(rs, 'inhibit_on_failure') ?? vsInhibit,
        upperThreshold: numberOf(rs, 'uthreshold', 'connections'),
        lowerThreshold: numberOf(rs, 'lthreshold', 'connections'),
      };
    });
    const pool: RunVirtualServer['pool'] = {
      service: virtualService,
      label: poolLabel(service, virtualService.protocol, vs),
      servers,
      quorum: quorum.effectiveQuorum,
      hysteresis: quorum.effectiveHysteresis,
      omega: statementsNamed(vs, 'omega').length > 0,
    };
    if (service.sorry) {
      const s = service.sorry;
      pool.sorry = {
        address: canonicalIp(s.ip.address),
        port: s.effectivePort,
        forwarding: s.method,
        weight: 1,
        inhibit: statementsNamed(vs, 'sorry_server_inhibit').length > 0,
        upperThreshold: 0,
        lowerThreshold: 0,
      };
    }
    const entry: RunVirtualServer = {
      block: vs,
      pool,
      realServers,
      model: service,
      smtpAlert: vsAlert,
      haSuspend: service.kind !== 'fwmark' && statementsNamed(vs, 'ha_suspend').length > 0,
    };
    const quorumUp = script(lastStatement(vs, 'quorum_up'));
    const quorumDown = script(lastStatement(vs, 'quorum_down'));
    if (quorumUp) entry.quorumUp = quorumUp;
    if (quorumDown) entry.quorumDown = quorumDown;
    out.push(entry);
  }
  return out;
}
