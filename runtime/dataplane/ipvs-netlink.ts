/**
 * IPVS over generic netlink, as bytes: the requests keepalived's libipvs sends
 * (ipvs_nl_fill_service_attr, ipvs_nl_fill_dest_attr in check/libipvs.c) and
 * the decoding of what the kernel answers (ACKs, errors, GET_SERVICE and
 * GET_DEST dumps). Pure: the addon's netlink() (runtime/io.ts) carries them.
 * Netlink integers are in host byte order; ports, and the IPv4 persistence
 * netmask keepalived keeps as an in_addr, are big-endian.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { constants, endianness } from 'node:os';
import { getSystemErrorMap } from 'node:util';
import type { Destination, Forwarding, Operation, VirtualService } from './types.ts';

export const NETLINK_GENERIC = 16;
export const IPVS_GENL_NAME = 'IPVS';

// linux/netlink.h
const NLMSG_HDRLEN = 16;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const NLM_F_REQUEST = 0x1;
const NLM_F_ACK = 0x4;
const NLM_F_DUMP = 0x300;
const NLM_F_CAPPED = 0x100;
const NLM_F_ACK_TLVS = 0x200;
const NLMSGERR_ATTR_MSG = 1;
const NLA_HDRLEN = 4;
const NLA_F_NESTED = 0x8000;
const NLA_TYPE_MASK = 0x3fff;

// linux/genetlink.h
const GENL_HDRLEN = 4;
const GENL_ID_CTRL = 0x10;
const CTRL_CMD_NEWFAMILY = 1;
const CTRL_CMD_GETFAMILY = 3;
const CTRL_ATTR_FAMILY_ID = 1;
const CTRL_ATTR_FAMILY_NAME = 2;

// linux/ip_vs.h
const IPVS_GENL_VERSION = 1;
const IPVS_CMD_NEW_SERVICE = 1;
const IPVS_CMD_SET_SERVICE = 2;
const IPVS_CMD_DEL_SERVICE = 3;
const IPVS_CMD_GET_SERVICE = 4;
const IPVS_CMD_NEW_DEST = 5;
const IPVS_CMD_SET_DEST = 6;
const IPVS_CMD_DEL_DEST = 7;
const IPVS_CMD_GET_DEST = 8;
const IPVS_CMD_FLUSH = 17;
const IPVS_CMD_ATTR_SERVICE = 1;
const IPVS_CMD_ATTR_DEST = 2;
const IPVS_SVC_ATTR_AF = 1;
const IPVS_SVC_ATTR_PROTOCOL = 2;
const IPVS_SVC_ATTR_ADDR = 3;
const IPVS_SVC_ATTR_PORT = 4;
const IPVS_SVC_ATTR_FWMARK = 5;
const IPVS_SVC_ATTR_SCHED_NAME = 6;
const IPVS_SVC_ATTR_FLAGS = 7;
const IPVS_SVC_ATTR_TIMEOUT = 8;
const IPVS_SVC_ATTR_NETMASK = 9;
const IPVS_DEST_ATTR_ADDR = 1;
const IPVS_DEST_ATTR_PORT = 2;
const IPVS_DEST_ATTR_FWD_METHOD = 3;
const IPVS_DEST_ATTR_WEIGHT = 4;
const IPVS_DEST_ATTR_U_THRESH = 5;
const IPVS_DEST_ATTR_L_THRESH = 6;
const IPVS_DEST_ATTR_ADDR_FAMILY = 11;
const IPVS_DEST_ATTR_TUN_TYPE = 13;
const IP_VS_SVC_F_PERSISTENT = 0x1;
const IP_VS_SVC_F_ONEPACKET = 0x4;
const IP_VS_SVC_F_SCHED1 = 0x8;
const IP_VS_SVC_F_SCHED2 = 0x10;
const IP_VS_SVC_F_SCHED3 = 0x20;
const IP_VS_CONN_F_FWD_MASK = 0x7;
const IP_VS_CONN_F_TUNNEL_TYPE_IPIP = 0;
const IP_VS_SCHEDNAME_MAXLEN = 16;

const AF_INET = 2;
const AF_INET6 = 10;
const PROTOCOLS = { tcp: 6, udp: 17, sctp: 132 } as const;
const FORWARDING: Record<Forwarding, number> = { NAT: 0, TUN: 2, DR: 3 };

/**
 * lb_flags as keepalived's lbflags_handler sets them: sh-* and mh-* are scheduler
 * flags 1 and 2 under the scheduler's own names (IP_VS_SVC_F_SCHED_SH_FALLBACK,
 * _SH_PORT, _MH_FALLBACK, _MH_PORT); `ops` is one-packet scheduling.
 */
const FLAG_BITS: Record<string, number> = {
  ops: IP_VS_SVC_F_ONEPACKET,
  'flag-1': IP_VS_SVC_F_SCHED1,
  'flag-2': IP_VS_SVC_F_SCHED2,
  'flag-3': IP_VS_SVC_F_SCHED3,
  'sh-fallback': IP_VS_SVC_F_SCHED1,
  'sh-port': IP_VS_SVC_F_SCHED2,
  'mh-fallback': IP_VS_SVC_F_SCHED1,
  'mh-port': IP_VS_SVC_F_SCHED2,
};

const LITTLE_ENDIAN = endianness() === 'LE';

function u8(value: number): Buffer {
  return Buffer.of(value);
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  if (LITTLE_ENDIAN) b.writeUInt16LE(value);
  else b.writeUInt16BE(value);
  return b;
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  if (LITTLE_ENDIAN) b.writeUInt32LE(value);
  else b.writeUInt32BE(value);
  return b;
}

function be16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

const nulString = (s: string) => Buffer.from(`${s}\0`, 'latin1');

const view = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const readU16 = (b: Uint8Array, at = 0) => (LITTLE_ENDIAN ? view(b).readUInt16LE(at) : view(b).readUInt16BE(at));
const readU32 = (b: Uint8Array, at = 0) => (LITTLE_ENDIAN ? view(b).readUInt32LE(at) : view(b).readUInt32BE(at));
const readI32 = (b: Uint8Array, at = 0) => (LITTLE_ENDIAN ? view(b).readInt32LE(at) : view(b).readInt32BE(at));

/** An integer in [min, max], or a RangeError naming it: the kernel would take a wrapped value silently. */
function checked(value: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${what} ${value} outside [${min}, ${max}]`);
  return value;
}

/** An address as 16 bytes (union nf_inet_addr: an IPv4 address in the first 4). */
function addressBytes(address: string): Buffer {
  const out = Buffer.alloc(16);
  if (isIPv4(address)) {
    address.split('.').forEach((octet, i) => (out[i] = Number(octet)));
    return out;
  }
  if (!isIPv6(address)) throw new TypeError(`not an IP address: ${address}`);
  // The URL parser's form: no embedded IPv4, at most one `::`.
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head = '', tail] = canonical.split('::');
  const groups = (s: string) => (s ? s.split(':') : []);
  const all = tail === undefined ? groups(head) : [...groups(head), ...Array<string>(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)];
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

function formatAddress(bytes: Uint8Array, family: 4 | 6): string {
  if (family === 4) return [...bytes.subarray(0, 4)].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

const familyOf = (address: string): 4 | 6 => (isIPv6(address) ? 6 : 4);

/** An attribute: its type and either its payload or, for a nested attribute, its members. */
export type Attribute = readonly [type: number, value: Uint8Array | readonly Attribute[]];

/** Attributes laid out as the kernel reads them: 4-byte headers, payloads padded to 4, NLA_F_NESTED on nests. */
export function encodeAttributes(attributes: readonly Attribute[]): Buffer {
  const parts: Buffer[] = [];
  for (const [type, value] of attributes) {
    const nested = !(value instanceof Uint8Array);
    const payload = nested ? encodeAttributes(value) : Buffer.from(value);
    const length = NLA_HDRLEN + payload.length;
    if (length > 0xffff) throw new RangeError(`netlink attribute ${type} too long (${length} bytes)`);
    const header = Buffer.concat([u16(length), u16(type | (nested ? NLA_F_NESTED : 0))]);
    parts.push(header, payload, Buffer.alloc(((length + 3) & ~3) - length));
  }
  return Buffer.concat(parts);
}

/** The attributes in `bytes` by type (flags masked off; a repeated type keeps the last); malformed ones throw. */
export function decodeAttributes(bytes: Uint8Array): Map<number, Buffer> {
  const all = view(bytes);
  const out = new Map<number, Buffer>();
  for (let at = 0; at + NLA_HDRLEN <= all.length; ) {
    const length = readU16(all, at);
    if (length < NLA_HDRLEN || at + length > all.length) throw new Error(`netlink: malformed attribute at byte ${at}`);
    out.set(readU16(all, at + 2) & NLA_TYPE_MASK, all.subarray(at + NLA_HDRLEN, at + length));
    at += (length + 3) & ~3;
  }
  return out;
}

/** One generic netlink message: nlmsghdr (port id 0: the kernel fills it in), genlmsghdr, attributes. */
export function encodeGenlMessage(type: number, flags: number, seq: number, cmd: number, version: number, attributes: readonly Attribute[]): Buffer {
  const attrs = encodeAttributes(attributes);
  const header = Buffer.concat([u32(NLMSG_HDRLEN + GENL_HDRLEN + attrs.length), u16(type), u16(flags), u32(seq >>> 0), u32(0)]);
  return Buffer.concat([header, Buffer.of(cmd, version, 0, 0), attrs]);
}

export interface NetlinkMessage {
  type: number;
  flags: number;
  seq: number;
  /** What follows the nlmsghdr. */
  payload: Buffer;
}

/** One message as the addon returns it. */
export function parseMessage(bytes: Uint8Array): NetlinkMessage {
  const all = view(bytes);
  if (all.length < NLMSG_HDRLEN) throw new Error('netlink: message shorter than its header');
  const length = readU32(all);
  if (length < NLMSG_HDRLEN || length > all.length) throw new Error(`netlink: message length ${length} does not fit its ${all.length} bytes`);
  return { type: readU16(all, 4), flags: readU16(all, 6), seq: readU32(all, 8), payload: all.subarray(NLMSG_HDRLEN, length) };
}

/** The kernel refused: its errno (positive), and its extended-ACK reason when it gave one. */
export class NetlinkError extends Error {
  readonly code: string;
  constructor(
    readonly errno: number,
    readonly reason?: string,
  ) {
    const [code, text] = getSystemErrorMap().get(-errno) ?? [`errno ${errno}`, 'unknown error'];
    super(`${text}${reason ? ` (${reason})` : ''}`);
    this.name = 'NetlinkError';
    this.code = code;
  }
}

/** The extended ACK's message: the TLVs after struct nlmsgerr and the request (only its header when capped). */
function extAckReason(message: NetlinkMessage): string | undefined {
  if (!(message.flags & NLM_F_ACK_TLVS) || message.payload.length < 4 + NLMSG_HDRLEN) return undefined;
  const request = message.flags & NLM_F_CAPPED ? NLMSG_HDRLEN : readU32(message.payload, 4);
  const at = 4 + ((request + 3) & ~3);
  if (at > message.payload.length) return undefined;
  const text = decodeAttributes(message.payload.subarray(at)).get(NLMSGERR_ATTR_MSG);
  return text ? text.toString('latin1').replace(/\0.*$/s, '') : undefined;
}

/**
 * The data messages of a complete answer (what came before its ACK or NLMSG_DONE). A kernel error, in the
 * closing NLMSG_ERROR or in a dump's NLMSG_DONE, throws a NetlinkError; an answer without an end throws too.
 */
export function readReplies(replies: readonly Uint8Array[]): NetlinkMessage[] {
  const data: NetlinkMessage[] = [];
  for (const reply of replies) {
    const message = parseMessage(reply);
    if (message.type === NLMSG_ERROR || message.type === NLMSG_DONE) {
      const error = message.payload.length >= 4 ? -readI32(message.payload) : 0;
      if (error) throw new NetlinkError(error, message.type === NLMSG_ERROR ? extAckReason(message) : undefined);
      return data;
    }
    data.push(message);
  }
  throw new Error('netlink: the answer ended without an ACK or NLMSG_DONE');
}

/** CTRL_CMD_GETFAMILY for `name`, as libnl's genl_ctrl_resolve asks it. */
export function familyRequest(name: string, seq: number): Buffer {
  return encodeGenlMessage(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, seq, CTRL_CMD_GETFAMILY, 1, [[CTRL_ATTR_FAMILY_NAME, nulString(name)]]);
}

/** The family id in the answer to familyRequest. */
export function decodeFamily(messages: readonly NetlinkMessage[]): number {
  for (const m of messages) {
    if (m.type !== GENL_ID_CTRL || m.payload[0] !== CTRL_CMD_NEWFAMILY) continue;
    const id = decodeAttributes(m.payload.subarray(GENL_HDRLEN)).get(CTRL_ATTR_FAMILY_ID);
    if (id && id.length >= 2) return readU16(id);
  }
  throw new Error('netlink: no family id in the controller answer');
}

/** The flags a service's lb_flags and persistence give (IP_VS_SVC_F_*). */
function serviceFlags(service: VirtualService): number {
  let flags = service.persistence?.timeout ? IP_VS_SVC_F_PERSISTENT : 0;
  for (const name of service.flags) {
    const bit = FLAG_BITS[name];
    if (bit === undefined) throw new TypeError(`${service.label}: unknown lb_flags ${name}`);
    flags |= bit;
  }
  return flags;
}

/**
 * The persistence netmask as keepalived puts it: IPv4 a mask kept as an in_addr (so big-endian on the wire),
 * IPv6 a prefix length; all ones or 128 unless persistence names a granularity.
 */
function netmaskBytes(service: VirtualService): Buffer {
  const netmask = service.persistence?.timeout ? service.persistence.netmask : undefined;
  if (service.family === 6) {
    if (typeof netmask === 'string') throw new TypeError(`${service.label}: an IPv6 persistence granularity is a prefix length`);
    return u32(checked(netmask ?? 128, 1, 128, `${service.label}: persistence granularity`));
  }
  if (typeof netmask === 'number' || (netmask !== undefined && !isIPv4(netmask))) throw new TypeError(`${service.label}: an IPv4 persistence granularity is a netmask`);
  return netmask === undefined ? Buffer.from([255, 255, 255, 255]) : addressBytes(netmask).subarray(0, 4);
}

/** What names a service to the kernel: its family and mark, or its family, protocol, address and port. */
export type ServiceKey = Pick<VirtualService, 'family' | 'protocol' | 'address' | 'port' | 'fwmark'>;

function keyAttributes(service: ServiceKey): Attribute[] {
  const af: Attribute = [IPVS_SVC_ATTR_AF, u16(service.family === 6 ? AF_INET6 : AF_INET)];
  if (service.fwmark !== undefined) return [af, [IPVS_SVC_ATTR_FWMARK, u32(checked(service.fwmark, 1, 0xffffffff, 'fwmark'))]];
  if (service.address === undefined || familyOf(service.address) !== service.family) throw new TypeError(`a service needs a fwmark or an IPv${service.family} address`);
  return [
    af,
    [IPVS_SVC_ATTR_PROTOCOL, u16(PROTOCOLS[service.protocol])],
    [IPVS_SVC_ATTR_ADDR, addressBytes(service.address)],
    [IPVS_SVC_ATTR_PORT, be16(checked(service.port, 0, 0xffff, 'port'))],
  ];
}

/** ipvs_nl_fill_service_attr: the key, then scheduler, flags with an all-ones mask, timeout and netmask. */
function serviceAttribute(service: VirtualService): Attribute {
  if (!/^[\x21-\x7e]+$/.test(service.scheduler) || service.scheduler.length >= IP_VS_SCHEDNAME_MAXLEN) throw new TypeError(`${service.label}: bad scheduler name ${JSON.stringify(service.scheduler)}`);
  return [
    IPVS_CMD_ATTR_SERVICE,
    [
      ...keyAttributes(service),
      [IPVS_SVC_ATTR_SCHED_NAME, nulString(service.scheduler)],
      [IPVS_SVC_ATTR_FLAGS, Buffer.concat([u32(serviceFlags(service)), u32(0xffffffff)])],
      [IPVS_SVC_ATTR_TIMEOUT, u32(service.persistence?.timeout ? checked(service.persistence.timeout, 1, 0xffffffff, 'persistence timeout') : 0)],
      [IPVS_SVC_ATTR_NETMASK, netmaskBytes(service)],
    ],
  ];
}

/**
 * ipvs_nl_fill_dest_attr: the destination's own family (an IPv4 real server may sit behind an IPv6 service
 * with tunnelling), and for tunnelling the tunnel type keepalived defaults to (IPIP).
 */
function destinationAttribute(destination: Destination): Attribute {
  const attributes: Attribute[] = [
    [IPVS_DEST_ATTR_ADDR_FAMILY, u16(familyOf(destination.address) === 6 ? AF_INET6 : AF_INET)],
    [IPVS_DEST_ATTR_ADDR, addressBytes(destination.address)],
    [IPVS_DEST_ATTR_PORT, be16(checked(destination.port, 0, 0xffff, 'port'))],
    [IPVS_DEST_ATTR_FWD_METHOD, u32(FORWARDING[destination.forwarding])],
    [IPVS_DEST_ATTR_WEIGHT, u32(checked(destination.weight, 0, 0x7fffffff, 'weight'))],
  ];
  if (destination.forwarding === 'TUN') attributes.push([IPVS_DEST_ATTR_TUN_TYPE, u8(IP_VS_CONN_F_TUNNEL_TYPE_IPIP)]);
  attributes.push(
    [IPVS_DEST_ATTR_U_THRESH, u32(checked(destination.upperThreshold ?? 0, 0, 0xffffffff, 'uthreshold'))],
    [IPVS_DEST_ATTR_L_THRESH, u32(checked(destination.lowerThreshold ?? 0, 0, 0xffffffff, 'lthreshold'))],
  );
  return [IPVS_CMD_ATTR_DEST, attributes];
}

const COMMANDS: Record<Operation['op'], number> = {
  'add-service': IPVS_CMD_NEW_SERVICE,
  'edit-service': IPVS_CMD_SET_SERVICE,
  'delete-service': IPVS_CMD_DEL_SERVICE,
  'add-destination': IPVS_CMD_NEW_DEST,
  'edit-destination': IPVS_CMD_SET_DEST,
  'delete-destination': IPVS_CMD_DEL_DEST,
};

const ipvsMessage = (family: number, flags: number, seq: number, cmd: number, attributes: readonly Attribute[]) =>
  encodeGenlMessage(family, flags, seq, cmd, IPVS_GENL_VERSION, attributes);

/** The request for one operation of diffStates, acknowledged; like keepalived, deletes carry the whole service. */
export function operationRequest(family: number, op: Operation, seq: number): Buffer {
  const attributes = [serviceAttribute(op.service)];
  if ('destination' in op) attributes.push(destinationAttribute(op.destination));
  return ipvsMessage(family, NLM_F_REQUEST | NLM_F_ACK, seq, COMMANDS[op.op], attributes);
}

/** IPVS_CMD_FLUSH: every service and destination of the network namespace goes. */
export function flushRequest(family: number, seq: number): Buffer {
  return ipvsMessage(family, NLM_F_REQUEST | NLM_F_ACK, seq, IPVS_CMD_FLUSH, []);
}

/** A dump of every service. */
export function servicesDumpRequest(family: number, seq: number): Buffer {
  return ipvsMessage(family, NLM_F_REQUEST | NLM_F_DUMP, seq, IPVS_CMD_GET_SERVICE, []);
}

/** A dump of one service's destinations; the kernel wants only the service's key. */
export function destinationsDumpRequest(family: number, service: ServiceKey, seq: number): Buffer {
  return ipvsMessage(family, NLM_F_REQUEST | NLM_F_DUMP, seq, IPVS_CMD_GET_DEST, [[IPVS_CMD_ATTR_SERVICE, keyAttributes(service)]]);
}

/** A service as the kernel reports it: no id or label, which are kalint's. */
export type KernelService = Omit<VirtualService, 'id' | 'label'>;

/** Scheduler flags 1 and 2 under the names the scheduler gives them (ipvsadm's). */
function flagNames(flags: number, scheduler: string): string[] {
  const own = scheduler === 'sh' || scheduler === 'mh' ? scheduler : undefined;
  const names: string[] = [];
  if (flags & IP_VS_SVC_F_ONEPACKET) names.push('ops');
  if (flags & IP_VS_SVC_F_SCHED1) names.push(own ? `${own}-fallback` : 'flag-1');
  if (flags & IP_VS_SVC_F_SCHED2) names.push(own ? `${own}-port` : 'flag-2');
  if (flags & IP_VS_SVC_F_SCHED3) names.push('flag-3');
  return names;
}

function required(attrs: Map<number, Buffer>, type: number, length: number, what: string): Buffer {
  const value = attrs.get(type);
  if (!value || value.length < length) throw new Error(`netlink: IPVS ${what} missing from the kernel's answer`);
  return value;
}

function familyFromAf(af: number): 4 | 6 {
  if (af === AF_INET) return 4;
  if (af === AF_INET6) return 6;
  throw new Error(`netlink: IPVS address family ${af}`);
}

/** The services of a GET_SERVICE dump. */
export function decodeServices(messages: readonly NetlinkMessage[]): KernelService[] {
  return messages.map((m) => {
    const nest = required(decodeAttributes(m.payload.subarray(GENL_HDRLEN)), IPVS_CMD_ATTR_SERVICE, 0, 'service');
    const attrs = decodeAttributes(nest);
    const family = familyFromAf(readU16(required(attrs, IPVS_SVC_ATTR_AF, 2, 'service family')));
    const scheduler = required(attrs, IPVS_SVC_ATTR_SCHED_NAME, 1, 'scheduler').toString('latin1').replace(/\0.*$/s, '');
    const flags = readU32(required(attrs, IPVS_SVC_ATTR_FLAGS, 8, 'service flags'));
    const timeout = readU32(required(attrs, IPVS_SVC_ATTR_TIMEOUT, 4, 'persistence timeout'));
    const mask = required(attrs, IPVS_SVC_ATTR_NETMASK, 4, 'persistence netmask');
    const netmask = family === 4 ? formatAddress(mask, 4) : readU32(mask);
    const service: KernelService = { family, protocol: 'tcp', port: 0, scheduler, flags: flagNames(flags, scheduler) };
    if (flags & IP_VS_SVC_F_PERSISTENT) {
      service.persistence = { timeout };
      if (netmask !== '255.255.255.255' && netmask !== 128) service.persistence.netmask = netmask;
    }
    const fwmark = attrs.get(IPVS_SVC_ATTR_FWMARK);
    // The kernel keeps no protocol for a mark (it says TCP): a mark service reads back as tcp.
    if (fwmark) return { ...service, fwmark: readU32(fwmark) };
    const protocol = readU16(required(attrs, IPVS_SVC_ATTR_PROTOCOL, 2, 'protocol'));
    const name = (Object.keys(PROTOCOLS) as (keyof typeof PROTOCOLS)[]).find((p) => PROTOCOLS[p] === protocol);
    if (!name) throw new Error(`netlink: IPVS protocol ${protocol}`);
    return {
      ...service,
      protocol: name,
      address: formatAddress(required(attrs, IPVS_SVC_ATTR_ADDR, family === 4 ? 4 : 16, 'service address'), family),
      port: required(attrs, IPVS_SVC_ATTR_PORT, 2, 'service port').readUInt16BE(),
    };
  });
}

/** The destinations of a GET_DEST dump; `family` is the service's, for kernels that do not say the destination's. */
export function decodeDestinations(messages: readonly NetlinkMessage[], family: 4 | 6): Destination[] {
  return messages.map((m) => {
    const nest = required(decodeAttributes(m.payload.subarray(GENL_HDRLEN)), IPVS_CMD_ATTR_DEST, 0, 'destination');
    const attrs = decodeAttributes(nest);
    const af = attrs.get(IPVS_DEST_ATTR_ADDR_FAMILY);
    const own = af && af.length >= 2 ? familyFromAf(readU16(af)) : family;
    const address = formatAddress(required(attrs, IPVS_DEST_ATTR_ADDR, own === 4 ? 4 : 16, 'destination address'), own);
    const port = required(attrs, IPVS_DEST_ATTR_PORT, 2, 'destination port').readUInt16BE();
    const method = readU32(required(attrs, IPVS_DEST_ATTR_FWD_METHOD, 4, 'forwarding method')) & IP_VS_CONN_F_FWD_MASK;
    const forwarding = (Object.keys(FORWARDING) as Forwarding[]).find((f) => FORWARDING[f] === method);
    if (!forwarding) throw new Error(`netlink: IPVS destination ${address} port ${port} has forwarding method ${method}, which keepalived never sets`);
    const destination: Destination = { address, port, weight: readI32(required(attrs, IPVS_DEST_ATTR_WEIGHT, 4, 'weight')), forwarding };
    const upper = readU32(required(attrs, IPVS_DEST_ATTR_U_THRESH, 4, 'upper threshold'));
    const lower = readU32(required(attrs, IPVS_DEST_ATTR_L_THRESH, 4, 'lower threshold'));
    if (upper) destination.upperThreshold = upper;
    if (lower) destination.lowerThreshold = lower;
    return destination;
  });
}

const { errno: E } = constants;

/** keepalived's ipvs_strerror (libipvs.c): its words for an errno where they say more than strerror. */
const OPERATION_ERRORS: Partial<Record<Operation['op'], Record<number, string>>> = {
  'add-service': { [E.EEXIST]: 'Service already exists', [E.ENOENT]: 'Scheduler or persistence engine not found' },
  'edit-service': { [E.ENOENT]: 'Scheduler or persistence engine not found' },
  'add-destination': { [E.EEXIST]: 'Destination already exists' },
  'edit-destination': { [E.ENOENT]: 'No such destination' },
  'delete-destination': { [E.ENOENT]: 'No such destination' },
};
const ERRORS: Record<number, string> = {
  [E.ESRCH]: 'No such service',
  [E.EPERM]: 'Permission denied (you must be root)',
  [E.EINVAL]: 'Invalid operation.  Possibly wrong module version, address not unicast, ...',
  [E.ENOPROTOOPT]: 'Protocol not available',
  [E.ENOMEM]: 'Memory allocation problem',
  [E.EOPNOTSUPP]: 'Operation not supported with IPv6',
  [E.EAFNOSUPPORT]: 'Operation not supported with specified address family',
  [E.EMSGSIZE]: 'Module is wrong version',
};

/** What an errno means for the IPVS operation that met it, in keepalived's words, if it has some. */
export function ipvsErrorText(op: Operation['op'] | 'flush', errno: number): string | undefined {
  return (op === 'flush' ? undefined : OPERATION_ERRORS[op]?.[errno]) ?? ERRORS[errno];
}
