/**
 * The checkers of a real server as keepalived's checker process builds them
 * (the checker handlers, queue_checker, the end handlers and
 * validate_check_config): their timing with its inheritance, where they
 * connect, and what each attempt checks. Values the reader reports as
 * rejected are skipped, as keepalived skips them; what keepalived would do
 * but Node cannot, or what keepalived drops, is said in `problems`.
 */
import { readFileSync } from 'node:fs';
import { blocksOf, type Block, type Config, lastStatement, type Node, type Statement, statementsNamed } from '../../grammar/ast.ts';
import { model } from '../../grammar/index.ts';
import type { IpValue } from '../../grammar/values.ts';
import { commandOf, ScriptChecks, type ScriptPolicy, scriptPolicy } from '../scripts.ts';
import { DNS_TYPES, dnsProbe } from './dns.ts';
import { type FileCheckOptions, fileProbe } from './file.ts';
import { compileRegex, type HttpProtocol, httpProbe, type HttpUrl, type TlsIdentity, type UrlRegex } from './http.ts';
import { miscProbe } from './misc.ts';
import { type IcmpEcho, NO_ICMP_SOCKET, pingProbe } from './ping.ts';
import { SMTP_DEFAULT_HELO, smtpProbe } from './smtp.ts';
import { type TcpConnect, tcpProbe } from './tcp.ts';
import type { CheckerKind, CheckerSpec, Target, Timing } from './types.ts';
import { type HexPattern, parseHex, udpProbe } from './udp.ts';

export interface CheckerContext {
  log?: (line: string) => void;
  /** Who runs MISC_CHECK scripts; by default from the configuration's global_defs. */
  scriptPolicy?: ScriptPolicy;
  /** Shared by one configuration load, so that each script is checked once (keepalived's check_script_secure). */
  scripts?: ScriptChecks;
  /** The native ICMP socket for PING_CHECK. */
  icmpEcho?: IcmpEcho;
  /** The native TCP connect for TCP_CHECK; without it, Node sockets. */
  tcpConnect?: TcpConnect;
}

const { lastAccepted, accepted } = model;

const num = (nodes: { children: Node[] }, keyword: string, param: string): number | undefined => {
  const v = lastAccepted(nodes, keyword, param)?.value;
  return typeof v === 'number' ? v : undefined;
};

const str = (nodes: { children: Node[] }, keyword: string, param: string): string | undefined => {
  const v = lastAccepted(nodes, keyword, param)?.value;
  return typeof v === 'string' ? v : undefined;
};

/** The first accepted value, for keywords whose handler ignores repeats (digest, DNS name, track_file file). */
const firstStr = (nodes: { children: Node[] }, keyword: string, param: string): string | undefined => {
  for (const s of statementsNamed(nodes, keyword)) {
    const v = accepted(s, param);
    if (typeof v === 'string') return v;
  }
  return undefined;
};

/** An optional on/off keyword (`alpha`, `fast_recovery` ...): bare means on; a word keepalived rejects leaves the earlier value. */
function bool(nodes: { children: Node[] }, keyword: string): boolean | undefined {
  const list = statementsNamed(nodes, keyword);
  for (let i = list.length - 1; i >= 0; i--) {
    const s = list[i]!;
    if (!s.words.length) return true;
    const v = accepted(s, 'enabled');
    if (typeof v === 'boolean') return v;
  }
  return undefined;
}

const ms = (seconds: number | undefined) => (seconds === undefined ? undefined : seconds * 1000);

/** IPv6 link-local (fe80::/10), which keepalived checks only with a bind_if. */
function isLinkLocal(ip: { address: string; family: 4 | 6 }): boolean {
  return ip.family === 6 && (parseInt(ip.address.split(':')[0] || '0', 16) & 0xffc0) === 0xfe80;
}

const CHECKER_KINDS: readonly CheckerKind[] = ['TCP_CHECK', 'HTTP_GET', 'SSL_GET', 'MISC_CHECK', 'SMTP_CHECK', 'DNS_CHECK', 'UDP_CHECK', 'PING_CHECK', 'FILE_CHECK'];

/** The connection options of a checker, read in order as keepalived's handlers apply them (check_api.c). */
interface Connection {
  dst: { address: string; family: 4 | 6; port: number; unset: boolean };
  bind: { address?: string; family?: 4 | 6; port?: number };
  bindIf?: string;
  fwmark?: number;
  timeoutMs?: number;
  /** Whether any option was given (SMTP_CHECK decides from it what its host blocks do). */
  given: boolean;
}

function connectionOf(statements: readonly Statement[], server: model.Server, problems: string[], label: string): Connection {
  const c: Connection = { dst: { address: server.ip.address, family: server.ip.family, port: server.port, unset: false }, bind: {}, given: false };
  for (const s of statements) {
    switch (s.def.name) {
      case 'connect_ip': {
        const ip = accepted(s, 'address') as IpValue | undefined;
        if (!ip) break;
        c.given = true;
        Object.assign(c.dst, { address: ip.address, family: ip.family, unset: c.bind.family !== undefined && c.bind.family !== ip.family });
        if (c.dst.unset) problems.push(`${label}: connect_ip ${ip.address} is not of the family of bindto: keepalived never runs this checker, which stays in its initial state`);
        break;
      }
      case 'connect_port': {
        const port = accepted(s, 'port');
        if (typeof port !== 'number') break;
        c.given = true;
        c.dst.port = port;
        break;
      }
      case 'bindto': {
        const ip = accepted(s, 'address') as IpValue | undefined;
        if (!ip) break;
        c.given = true;
        if (!c.dst.unset && c.dst.family !== ip.family) {
          problems.push(`${label}: bindto ${ip.address} is not of the family of the address checked: keepalived ignores it`);
          c.bind.family = undefined;
        } else Object.assign(c.bind, { address: ip.address, family: ip.family });
        break;
      }
      case 'bind_port': {
        const port = accepted(s, 'port');
        if (typeof port !== 'number') break;
        c.given = true;
        c.bind.port = port;
        break;
      }
      case 'bind_if': {
        const name = accepted(s, 'interface');
        if (typeof name !== 'string') break;
        c.given = true;
        c.bindIf = name;
        break;
      }
      case 'fwmark': {
        const mark = accepted(s, 'mark');
        if (typeof mark !== 'number') break;
        c.given = true;
        c.fwmark = mark;
        break;
      }
      case 'connect_timeout': {
        const seconds = accepted(s, 'seconds');
        if (typeof seconds !== 'number') break;
        c.given = true;
        c.timeoutMs = seconds * 1000;
        break;
      }
    }
  }
  return c;
}

/**
 * The target of a connection, or undefined when keepalived drops or never
 * runs the checker; `problems` says why, and what Node cannot do.
 */
function targetOf(c: Connection, kind: CheckerKind, problems: string[], label: string): Target | undefined {
  if (c.dst.unset) return undefined;
  if (isLinkLocal(c.dst) && !c.bindIf) {
    problems.push(`${label}: checker link local address ${c.dst.address} requires a bind_if: keepalived drops the checker`);
    return undefined;
  }
  const usesBinding = kind !== 'PING_CHECK';
  // keepalived binds to the device only where it connects with socket_bind_connect (not UDP_CHECK, not PING_CHECK).
  if (c.bindIf && !isLinkLocal(c.dst) && kind !== 'UDP_CHECK' && kind !== 'PING_CHECK')
    problems.push(`${label}: bind_if ${c.bindIf}: Node cannot bind a socket to an interface, so the check is not tied to it`);
  if (c.fwmark) problems.push(`${label}: fwmark ${c.fwmark}: Node cannot set SO_MARK, so the check runs without the mark`);
  if (usesBinding && c.bind.port !== undefined && c.bind.family === undefined) problems.push(`${label}: bind_port without bindto: keepalived ignores it`);
  if (kind !== 'PING_CHECK' && c.dst.port === 0) problems.push(`${label}: no connect_port and the real server has no port: keepalived connects to port 0, so the check fails`);
  const target: Target = { host: isLinkLocal(c.dst) ? `${c.dst.address}%${c.bindIf}` : c.dst.address, family: c.dst.family, port: c.dst.port };
  if (usesBinding && c.bind.family !== undefined) {
    target.localAddress = c.bind.address!;
    if (c.bind.port !== undefined) target.localPort = c.bind.port;
  }
  return target;
}

/** The statements of a checker that set connection options, those of SMTP_CHECK's host blocks in their place (keepalived 2.2 applies them to the checker). */
function connectionStatements(block: Block): Statement[] {
  const out: Statement[] = [];
  for (const n of block.children) {
    if (n.type === 'Statement') out.push(n);
    else if (n.type === 'Block' && n.blockId === 'SMTP_CHECK.host') for (const m of n.children) if (m.type === 'Statement') out.push(m);
  }
  return out;
}

/** Timing keywords of a checker, including those in SMTP_CHECK host blocks, which act on the checker. */
function timingNodes(block: Block): { children: Node[] } {
  return { children: connectionStatements(block) };
}

const RETRY_DEFAULT: Partial<Record<CheckerKind, number>> = { MISC_CHECK: 0, DNS_CHECK: 3 };
/** Undefined: delay_loop (DNS_CHECK's default of 0). */
const DELAY_BEFORE_RETRY_DEFAULT: Partial<Record<CheckerKind, number | undefined>> = { HTTP_GET: 3000, SSL_GET: 3000, DNS_CHECK: undefined };

/** validate_check_config: the checker's own values, else the real server's, else the virtual server's, else the checker's defaults. */
function timingOf(kind: CheckerKind, block: Block, rs: Block, vs: Block, globalLogAll: boolean, connectTimeoutMs?: number): Timing {
  const own = timingNodes(block);
  const inherited = (keyword: string, param: string) => num(own, keyword, param) ?? num(rs, keyword, param) ?? num(vs, keyword, param);
  const delayLoopMs = ms(inherited('delay_loop', 'seconds')) ?? 60_000;
  const dbrDefault = kind in DELAY_BEFORE_RETRY_DEFAULT ? DELAY_BEFORE_RETRY_DEFAULT[kind] : 1000;
  const timing: Timing = {
    delayLoopMs,
    retry: inherited('retry', 'count') ?? RETRY_DEFAULT[kind] ?? 1,
    delayBeforeRetryMs: ms(inherited('delay_before_retry', 'seconds')) ?? dbrDefault ?? delayLoopMs,
    warmupMs: ms(num(own, 'warmup', 'seconds') ?? num(rs, 'warmup', 'seconds') ?? num(vs, 'warmup', 'seconds')) ?? delayLoopMs,
    alpha: bool(own, 'alpha') ?? bool(rs, 'alpha') ?? statementsNamed(vs, 'alpha').length > 0,
    logAllFailures: globalLogAll || bool(own, 'log_all_failures') === true,
  };
  if (connectTimeoutMs !== undefined) timing.connectTimeoutMs = connectTimeoutMs;
  return timing;
}

/** The root SSL block's client identity, read once per configuration; keepalived stops its checker process when it cannot load it. */
const identities = new WeakMap<Config, { identity: TlsIdentity } | { error: string }>();

function tlsIdentity(config: Config): { identity: TlsIdentity } | { error: string } {
  let cached = identities.get(config);
  if (!cached) {
    const ssl = blocksOf(config, 'SSL').at(-1);
    const identity: TlsIdentity = {};
    try {
      const cert = ssl && str(ssl, 'certificate', 'file');
      const key = ssl && str(ssl, 'key', 'file');
      const password = ssl && str(ssl, 'password', 'password');
      if (cert) identity.cert = readFileSync(cert);
      if (key) identity.key = readFileSync(key);
      if (password !== undefined) identity.passphrase = password;
      cached = { identity };
    } catch (e) {
      cached = { error: `SSL: cannot load the certificate or key (${(e as Error).message}); keepalived stops its checker process` };
    }
    identities.set(config, cached);
  }
  return cached;
}

/** status_code words (`N` or `LO-HI`, 100..599), appended over all statements; 200-299 when none is valid. */
function statusCodes(url: Block): [number, number][] {
  const out: [number, number][] = [];
  for (const s of statementsNamed(url, 'status_code')) {
    for (const w of s.words) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(w.text);
      if (!m) continue;
      const lo = Number(m[1]);
      const hi = Number(m[2] ?? m[1]);
      if (lo >= 100 && hi <= 599 && lo <= hi) out.push([lo, hi]);
    }
  }
  return out.length ? out : [[200, 299]];
}

function urlRegex(url: Block, problems: string[], label: string): UrlRegex | 'invalid' | undefined {
  const pattern = str(url, 'regex', 'pattern');
  const noMatch = statementsNamed(url, 'regex_no_match').length > 0;
  let min = num(url, 'regex_min_offset', 'offset') ?? 0;
  let max = num(url, 'regex_max_offset', 'offset');
  const options = statementsNamed(url, 'regex_options').flatMap((s) => (Array.isArray(s.params['option']) ? s.params['option'].filter((o): o is string => typeof o === 'string') : []));
  if (pattern === undefined) {
    if (noMatch || min || max !== undefined || options.length) problems.push(`${label}: regex parameters specified without regex: ignored`);
    return undefined;
  }
  if (max !== undefined && min >= max + 1) {
    problems.push(`${label}: regex_min_offset ${min} > regex_max_offset ${max}: both ignored`);
    [min, max] = [0, undefined];
  }
  const compiled = compileRegex(pattern, options);
  problems.push(...compiled.problems.map((p) => `${label}: ${p}`));
  if (!compiled.re) return 'invalid';
  const regex: UrlRegex = { re: compiled.re, noMatch, utf8: compiled.utf8, minOffset: min };
  if (max !== undefined) regex.maxOffset = max;
  return regex;
}

/** The track_file a FILE_CHECK names: the first of that name defined before it, as keepalived looks it up while reading. */
function trackFile(config: Config, name: string, at: Statement): Block | undefined {
  const order = model.readOrder(config);
  const limit = order.get(at) ?? Infinity;
  return blocksOf(config, 'track_file').find((b) => !b.ignored && b.name === name && (order.get(b) ?? Infinity) < limit);
}

/** track_file's own weight: its handler ignores a repeat unless the weight so far is 1 (track_file.c). */
function trackFileWeight(block: Block): { weight: number; reverse: boolean } {
  let weight = 1;
  let reverse = false;
  for (const s of statementsNamed(block, 'weight')) {
    if (weight !== 1) continue;
    const w = accepted(s, 'weight');
    weight = typeof w === 'number' ? w : 1;
    if (s.options['reverse'] !== undefined) reverse = true;
  }
  return { weight, reverse };
}

/**
 * The checkers keepalived runs for `realServer` (a real_server block of
 * `service`, kept as `server` by the model), in order, ready to run, with
 * what keepalived drops and what cannot be done from Node.
 */
export function checkersOf(realServer: Block, service: model.Service, server: model.Server, config: Config, context: CheckerContext = {}): { checkers: CheckerSpec[]; problems: string[] } {
  const log = context.log ?? (() => {});
  const globals = new model.GlobalDefs(config);
  const globalLogAll = globals.value('checker_log_all_failures') === true;
  const vs = service.vs;
  const checkers: CheckerSpec[] = [];
  const problems: string[] = [];
  const rsConnectMs = ms(num(realServer, 'connect_timeout', 'seconds') ?? num(vs, 'connect_timeout', 'seconds')) ?? 5000;
  const rsLabel = `real server ${server.ip.family === 6 ? `[${server.ip.address}]` : server.ip.address}:${server.port}`;
  const base = { baseWeight: server.weight, urls: 1, fastRecovery: false };

  for (const n of realServer.children) {
    if (n.type !== 'Block' || n.ignored) continue;
    if (n.blockId === 'BFD_CHECK') {
      problems.push(`${rsLabel}: BFD_CHECK is not run by kalint`);
      continue;
    }
    const kind = CHECKER_KINDS.find((k) => k === n.blockId);
    if (!kind) continue;
    const label = `${rsLabel} ${kind}`;

    if (kind === 'FILE_CHECK') {
      const ref = lastStatement(n, 'track_file');
      const name = ref && accepted(ref, 'track_file');
      const tf = typeof name === 'string' ? trackFile(config, name, ref!) : undefined;
      const path = tf && firstStr(tf, 'file', 'path');
      if (!tf || !path) {
        problems.push(`${label}: ${typeof name === 'string' ? `track_file ${name} ${tf ? 'has no file' : 'not found'}` : 'no track_file'}: keepalived ignores the checker`);
        continue;
      }
      const own = lastAccepted(n, 'weight', 'weight');
      const weight = own ? { weight: own.value as number, reverse: own.statement.options['reverse'] !== undefined } : trackFileWeight(tf);
      const file: FileCheckOptions = { name: tf.name ?? String(name), path, ...weight, baseWeight: server.weight };
      const init = lastStatement(tf, 'init_file');
      if (init) {
        const value = accepted(init, 'value');
        file.init = { value: typeof value === 'number' ? value : 0, overwrite: init.options['overwrite'] !== undefined };
      }
      checkers.push({ kind, block: n, file, timeoutMs: 0, ...base, probe: () => fileProbe(file) });
      continue;
    }

    if (kind === 'MISC_CHECK') {
      const policy = context.scriptPolicy ?? scriptPolicy(globals, log);
      const scripts = context.scripts ?? new ScriptChecks(policy, log);
      const path = lastStatement(n, 'misc_path');
      const command = commandOf(path, policy, log, lastStatement(n, 'user'));
      if (!command) {
        problems.push(`${label}: ${path ? 'its user cannot be set' : 'no misc_path'}: keepalived removes the checker`);
        continue;
      }
      const secure = scripts.secure(command);
      if (!secure) {
        problems.push(`${label}: script ${command.argv[0]} is insecure, missing or not executable: keepalived disables it`);
        continue;
      }
      const timing = timingOf(kind, n, realServer, vs, globalLogAll);
      // misc_timeout 0 or none: the virtual server's own delay_loop (check_misc.c), not the inherited one.
      const timeoutMs = ms(num(n, 'misc_timeout', 'seconds') || undefined) ?? ms(num(vs, 'delay_loop', 'seconds')) ?? 60_000;
      const dynamic = statementsNamed(n, 'misc_dynamic').length > 0;
      checkers.push({ kind, block: n, timing, timeoutMs, ...base, probe: (signal) => miscProbe({ command: secure, timeoutMs, dynamic }, signal) });
      continue;
    }

    if ((kind === 'HTTP_GET' || kind === 'SSL_GET') && !blocksOf(n, `${kind}.url`).some((u) => str(u, 'path', 'path') !== undefined)) {
      problems.push(`${label}: no urls specified: keepalived ignores the checker`);
      continue;
    }
    const statements = connectionStatements(n);
    const conn = connectionOf(statements, server, problems, label);
    const target = targetOf(conn, kind, problems, label);
    if (!target) continue;
    const connectMs = conn.timeoutMs ?? rsConnectMs;
    const timing = timingOf(kind, n, realServer, vs, globalLogAll, connectMs);
    const spec = { kind, block: n, timing, target, timeoutMs: connectMs, ...base };

    switch (kind) {
      case 'TCP_CHECK': {
        const options = { target, timeoutMs: connectMs, ...(context.tcpConnect ? { connect: context.tcpConnect } : {}) };
        checkers.push({ ...spec, probe: (signal) => tcpProbe(options, signal) });
        break;
      }
      case 'HTTP_GET':
      case 'SSL_GET': {
        const checkerHost = str(n, 'virtualhost', 'host');
        const vsHost = str(vs, 'virtualhost', 'host');
        const hostDefault = checkerHost ?? str(realServer, 'virtualhost', 'host') ?? vsHost;
        const sni = bool(n, 'enable_sni') === true;
        const compliant = bool(n, 'tls_compliant') === true;
        const urls: HttpUrl[] = [];
        const invalid = new Set<number>();
        for (const u of blocksOf(n, `${kind}.url`)) {
          const path = str(u, 'path', 'path');
          if (path === undefined) {
            problems.push(`${label}: url has no path: keepalived ignores it`);
            continue;
          }
          const url: HttpUrl = { path, status: statusCodes(u), tlsCompliant: compliant || bool(u, 'tls_compliant') === true };
          const digest = firstStr(u, 'digest', 'md5');
          if (digest) url.digest = digest.toLowerCase();
          const host = str(u, 'virtualhost', 'host');
          const vhost = host ?? hostDefault;
          if (vhost !== undefined) url.virtualhost = vhost;
          // SNI skips the real server's virtualhost (check_ssl.c: ssl_connect).
          const sniName = host ?? checkerHost ?? vsHost;
          if (sni && sniName !== undefined) url.sni = sniName;
          const regex = urlRegex(u, problems, `${label} url ${path}`);
          if (regex === 'invalid') invalid.add(urls.length);
          else if (regex) url.regex = regex;
          urls.push(url);
        }
        let tls: TlsIdentity | undefined;
        if (kind === 'SSL_GET') {
          const loaded = tlsIdentity(config);
          if ('error' in loaded) {
            problems.push(`${label}: ${loaded.error}`);
            break;
          }
          tls = loaded.identity;
        }
        const version = str(n, 'http_protocol', 'version');
        const protocol: HttpProtocol = version === '1.1' ? '1.1' : version === '1.0C' || version === '1.0c' ? '1.0C' : '1.0';
        const options = { target, timeoutMs: connectMs, protocol, urls, ...(tls ? { tls } : {}) };
        checkers.push({
          ...spec,
          urls: urls.length,
          fastRecovery: bool(n, 'fast_recovery') === true,
          probe: (signal, url = 0) =>
            invalid.has(url) ? Promise.resolve({ up: false, detail: `regex of url ${urls[url]!.path} cannot be compiled` }) : httpProbe(options, url, signal),
        });
        break;
      }
      case 'SMTP_CHECK': {
        const helo = str(n, 'helo_name', 'name') ?? SMTP_DEFAULT_HELO;
        checkers.push({ ...spec, probe: (signal) => smtpProbe({ target, timeoutMs: connectMs, helo }, signal) });
        // keepalived 2.2: each deprecated host block adds a checker of the real server, but the first when the checker set no option itself.
        const hosts = blocksOf(n, 'SMTP_CHECK.host');
        if (!hosts.length) break;
        problems.push(`${label}: the host block is deprecated; keepalived applies its options to the SMTP_CHECK and adds a checker of the real server for each`);
        const extra = conn.given ? hosts.length : hosts.length - 1;
        const hostTarget = targetOf(connectionOf([], server, [], label), kind, [], label);
        if (!hostTarget) break;
        for (let i = 0; i < extra; i++) checkers.push({ ...spec, target: hostTarget, timing: { ...timing, connectTimeoutMs: rsConnectMs }, timeoutMs: rsConnectMs, probe: (signal) => smtpProbe({ target: hostTarget, timeoutMs: rsConnectMs, helo }, signal) });
        break;
      }
      case 'DNS_CHECK': {
        const type = DNS_TYPES[(str(n, 'type', 'type') ?? 'SOA').toUpperCase()] ?? DNS_TYPES['SOA']!;
        const name = firstStr(n, 'name', 'domain') ?? '';
        checkers.push({ ...spec, probe: (signal) => dnsProbe({ target, timeoutMs: connectMs, type, name }, signal) });
        break;
      }
      case 'UDP_CHECK': {
        let payload: Buffer | undefined;
        for (const s of statementsNamed(n, 'payload')) payload = parseHex(s.words.map((w) => w.text).join(' '), false)?.data ?? payload;
        const replies = statementsNamed(n, 'require_reply');
        let reply: HexPattern | undefined;
        for (const s of replies) if (s.words.length) reply = parseHex(s.words.map((w) => w.text).join(' '), true) ?? reply;
        const minReplyLength = num(n, 'min_reply_length', 'bytes') ?? 0;
        const maxReplyLength = num(n, 'max_reply_length', 'bytes') ?? 255;
        if (reply && minReplyLength > maxReplyLength) problems.push(`${label}: min_reply_length ${minReplyLength} > max_reply_length ${maxReplyLength}: the check always fails`);
        const options = { target, timeoutMs: connectMs, requireReply: replies.length > 0, minReplyLength, maxReplyLength, ...(payload ? { payload } : {}), ...(reply ? { reply } : {}) };
        checkers.push({ ...spec, probe: (signal) => udpProbe(options, signal) });
        break;
      }
      case 'PING_CHECK': {
        const icmpEcho = context.icmpEcho;
        if (!icmpEcho) problems.push(`${label}: ${NO_ICMP_SOCKET}; until then every attempt fails`);
        const address = target.host;
        const family = target.family;
        checkers.push({ ...spec, probe: (signal) => pingProbe({ address, family, timeoutMs: connectMs, ...(icmpEcho ? { icmpEcho } : {}) }, signal) });
        break;
      }
    }
  }
  return { checkers, problems };
}
