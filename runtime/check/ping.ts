/**
 * PING_CHECK (check_ping.c): one ICMP or ICMPv6 echo request with
 * keepalived's 128-byte payload; up when the echo reply comes back within
 * connect_timeout, down on timeout or on a destination unreachable about it.
 * keepalived ignores bindto and bind_if here.
 *
 * Node has no ICMP sockets, so the socket is an injected `IcmpEcho`, meant to
 * be the native addon's; the messages are built and recognised here.
 */
import { randomInt } from 'node:crypto';
import type { Outcome } from './types.ts';
import { keepalivedFiller } from './udp.ts';

/**
 * The native side of PING_CHECK: sends `request` (a whole ICMP or ICMPv6
 * message) to `address` from a raw ICMP socket of that family, and resolves
 * with the first ICMP message from `address` (IPv4 header stripped) that
 * `accept` takes, or undefined once `timeoutMs` has passed or `signal`
 * aborts; the socket is closed before it resolves. A raw ICMPv6 socket fills
 * in and verifies the ICMPv6 checksum itself (RFC 3542 §3.1).
 */
export type IcmpEcho = (address: string, family: 4 | 6, request: Buffer, accept: (message: Buffer) => boolean, timeoutMs: number, signal: AbortSignal) => Promise<Buffer | undefined>;

export const NO_ICMP_SOCKET = "PING_CHECK needs the native addon's ICMP socket";

/** keepalived's ICMP_BUFSIZE. */
const PAYLOAD = keepalivedFiller(128);
const ECHO_REQUEST = { 4: 8, 6: 128 } as const;
const ECHO_REPLY = { 4: 0, 6: 129 } as const;
const UNREACHABLE = { 4: 3, 6: 1 } as const;

/** The Internet checksum (RFC 1071) of `data`: 0 over a message whose checksum is right. */
export function internetChecksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < data.length; i += 2) sum += data.readUInt16BE(i);
  if (data.length % 2) sum += data[data.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An echo request; the IPv4 one with its checksum, the IPv6 one with 0 for the kernel to fill in. */
export function echoRequest(family: 4 | 6, id: number, seq: number): Buffer {
  const m = Buffer.concat([Buffer.alloc(8), PAYLOAD]);
  m[0] = ECHO_REQUEST[family];
  m.writeUInt16BE(id, 4);
  m.writeUInt16BE(seq, 6);
  if (family === 4) m.writeUInt16BE(internetChecksum(m), 2);
  return m;
}

/** Whether `m` at `at` is our echo request's header. */
const isOurRequest = (family: 4 | 6, m: Buffer, at: number, id: number, seq: number) =>
  m.length >= at + 8 && m[at] === ECHO_REQUEST[family] && m.readUInt16BE(at + 4) === id && m.readUInt16BE(at + 6) === seq;

/**
 * What an ICMP message says about our request: 'reply' for its echo reply
 * (IPv4: with a right checksum, which a raw socket does not verify),
 * 'unreachable' for a destination unreachable quoting it, else undefined.
 */
export function classifyIcmp(family: 4 | 6, m: Buffer, id: number, seq: number): 'reply' | 'unreachable' | undefined {
  if (m.length < 8) return undefined;
  if (m[0] === ECHO_REPLY[family] && m.readUInt16BE(4) === id && m.readUInt16BE(6) === seq) return family === 6 || internetChecksum(m) === 0 ? 'reply' : undefined;
  if (m[0] !== UNREACHABLE[family]) return undefined;
  // The error quotes the offending packet: its IP header, then the start of our message.
  if (family === 4) return m.length > 8 && isOurRequest(4, m, 8 + (m[8]! & 0x0f) * 4, id, seq) ? 'unreachable' : undefined;
  return m.length >= 48 && m[14] === 58 && isOurRequest(6, m, 48, id, seq) ? 'unreachable' : undefined;
}

export interface PingOptions {
  address: string;
  family: 4 | 6;
  /** connect_timeout. */
  timeoutMs: number;
  /** The native socket; without it every attempt fails with NO_ICMP_SOCKET. */
  icmpEcho?: IcmpEcho;
}

let sequence = 0;

/** One PING_CHECK attempt. */
export async function pingProbe(o: PingOptions, signal: AbortSignal): Promise<Outcome> {
  if (!o.icmpEcho) return { up: false, detail: NO_ICMP_SOCKET };
  const id = randomInt(0x10000);
  const seq = (sequence = (sequence + 1) & 0xffff);
  try {
    const reply = await o.icmpEcho(o.address, o.family, echoRequest(o.family, id, seq), (m) => classifyIcmp(o.family, m, id, seq) !== undefined, o.timeoutMs, signal);
    if (!reply) return { up: false, detail: `ICMP connection to ${o.address} timeout` };
    return classifyIcmp(o.family, reply, id, seq) === 'reply' ? { up: true, detail: `ICMP connection to ${o.address} success` } : { up: false, detail: `ICMP destination unreachable from ${o.address}` };
  } catch (e) {
    return { up: false, detail: `ICMP connection to ${o.address} failed (${(e as Error).message})` };
  }
}
