/**
 * The native packet I/O (runtime/addon/vrrp_io.c, built by node-gyp at install)
 * and the parsing of what it receives: whole IPv4 packets, header included;
 * IPv6 payloads with the header fields the checks need beside them.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** An IPv4 channel's packet: the whole IPv4 packet, header included (see parseIpv4). */
export type Ipv4PacketCallback = (packet: Buffer) => void;

/**
 * An IPv6 channel's packet: the kernel strips the header, so the VRRP payload comes with the
 * source, the hop limit (-1 if the kernel did not say) and the destination ('' if not said).
 * The kernel has already dropped packets with a bad VRRP checksum.
 */
export type Ipv6PacketCallback = (payload: Buffer, source: string, hopLimit: number, destination: string) => void;

/** keepalived's address options; label, broadcast and scope are IPv4-only, noDad IPv6-only. */
export interface AddressOptions {
  label?: string;
  /** ifa_scope (0 global, 253 link, 254 host); global when absent. */
  scope?: number;
  broadcast?: string;
  /** IFA_F_NODAD; true when absent, as keepalived adds IPv6 VIPs (false: its `-nodad`). */
  noDad?: boolean;
}

export type RouteType = 'unicast' | 'blackhole' | 'unreachable' | 'prohibit' | 'throw';

/**
 * A route as keepalived's vrrp_iproute.c sends it: table main, protocol 18 (keepalived) and
 * scope universe (also without `via`) unless given. Remove with the spec it was added with.
 */
export interface RouteSpec {
  destination: string;
  prefix: number;
  via?: string;
  dev?: string;
  /** Preferred source (RTA_PREFSRC). */
  src?: string;
  metric?: number;
  table?: number;
  scope?: number;
  type?: RouteType;
  protocol?: number;
}

/** Every call throws an Error whose message holds the errno text when the kernel refuses. */
export interface VrrpIo {
  /**
   * Receive socket joined to `group` ('' for unicast only) on `ifname`, send socket bound to `source`.
   * An IPv6 `source` (normally the link-local) opens an IPv6 channel, bound as keepalived binds it: to
   * the group, or for unicast to `source`. `unicastTtl` (1..255, default 255) is keepalived's unicast_ttl. `vrid` is
   * the VRID the channel's instance listens for: a hint that lets an implementation leave other VRIDs' adverts out
   * (the daemon ignores them anyway); the kernel's sockets do not use it, the simulator's network does.
   */
  open(ifname: string, source: string, group: string, onPacket: Ipv4PacketCallback, unicastTtl?: number, vrid?: number): unknown;
  open(ifname: string, source: string, group: string, onPacket: Ipv6PacketCallback, unicastTtl?: number, vrid?: number): unknown;
  /** `destination` of the channel's family; IPv6 ones are scoped to the channel's interface. */
  send(channel: unknown, payload: Uint8Array, destination: string): void;
  close(channel: unknown): void;
  garp(ifname: string, address: string): void;
  /** An unsolicited neighbour advertisement for `address`, as keepalived's vrrp_ndisc.c sends it. */
  na(ifname: string, address: string): void;
  /** Adds or removes an IPv4 or IPv6 address; options apply when adding. */
  address(add: boolean, ifname: string, address: string, prefix: number, options?: AddressOptions): void;
  /** Adds (failing if it exists) or removes a route, waiting for the kernel's answer. */
  route(add: boolean, spec: RouteSpec): void;
  /** One datagram to a syslog daemon's Unix socket (/dev/log); long messages are cut at 2047 bytes. */
  syslog(socket: string, datagram: string): void;
  /** Link changes: `up` is the interface's running state (carrier). Close the channel to stop. */
  watchLinks(onLink: (ifname: string, up: boolean) => void): unknown;
}

/** The addon's raw netlink exchange, apart from VrrpIo so that stand-ins for the VRRP side need not offer it. */
export interface NetlinkIo {
  /**
   * Sends `request` (one whole netlink message with NLM_F_REQUEST and NLM_F_ACK or NLM_F_DUMP) on a fresh
   * AF_NETLINK socket of `protocol` (16: generic netlink) and returns every answering message, the closing
   * NLMSG_ERROR or NLMSG_DONE included, undecoded. Blocks for at most 5 s; throws only when the exchange fails.
   */
  netlink(protocol: number, request: Buffer): Buffer[];
}

/** The addon's ICMP channels for PING_CHECK, apart from VrrpIo for the same reason as NetlinkIo. */
export interface IcmpIo {
  /**
   * A raw ICMP (4) or ICMPv6 (6) socket that lets only echo replies and destination unreachables through:
   * `onMessage` gets each with its source, an IPv4 one without its IP header. Needs CAP_NET_RAW.
   */
  icmpOpen(family: 4 | 6, onMessage: (message: Buffer, source: string) => void): unknown;
  /** One ICMP message to `address` (of the channel's family); the kernel fills in the ICMPv6 checksum. */
  icmpSend(channel: unknown, address: string, message: Uint8Array): void;
  close(channel: unknown): void;
}

/** The addon's TCP connect for TCP_CHECK, apart from VrrpIo for the same reason as NetlinkIo. */
export interface TcpIo {
  /**
   * keepalived's tcp_bind_connect on a non-blocking socket, bound first unless `localAddress` is '' (an IPv6
   * `address` may carry a `%interface` zone). What fails before the connect is under way is thrown as Node's system
   * errors are, with `code` and `syscall` ('socket', 'bind' or 'connect'), nothing left open. Otherwise `onDone` is
   * called once, from the event loop, with '' when the connection opened or else the errno's name (ECONNREFUSED,
   * ETIMEDOUT ...), the socket already closed.
   */
  tcpConnect(family: 4 | 6, address: string, port: number, localAddress: string, localPort: number, onDone: (error: string) => void): unknown;
  /** Closes the socket of a connect still under way, whose `onDone` is then never called; nothing once it has ended. */
  tcpCancel(connection: unknown): void;
}

/** The addon, looked up from this module up to the package root (source tree and bundle alike). */
export function loadVrrpIo(): VrrpIo & NetlinkIo & IcmpIo & TcpIo {
  const require = createRequire(import.meta.url);
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'build/Release/vrrp_io.node');
    if (existsSync(candidate)) return require(candidate) as VrrpIo & NetlinkIo & IcmpIo & TcpIo;
    if (dirname(dir) === dir) break;
  }
  throw new Error('kalint run needs its native packet I/O: run `npm install` (node-gyp builds it) in the kalint package');
}

export interface Ipv4Packet {
  source: string;
  destination: string;
  ttl: number;
  protocol: number;
  payload: Uint8Array;
}

const ip = (b: Uint8Array, at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;

/** The IPv4 header fields the VRRP checks need, and the payload; undefined for anything that is not IPv4. */
export function parseIpv4(packet: Uint8Array): Ipv4Packet | undefined {
  if (packet.length < 20 || packet[0]! >> 4 !== 4) return undefined;
  const headerLength = (packet[0]! & 0x0f) * 4;
  const total = (packet[2]! << 8) | packet[3]!;
  if (headerLength < 20 || packet.length < headerLength || total < headerLength) return undefined;
  return {
    source: ip(packet, 12),
    destination: ip(packet, 16),
    ttl: packet[8]!,
    protocol: packet[9]!,
    payload: packet.subarray(headerLength, Math.min(packet.length, total)),
  };
}
