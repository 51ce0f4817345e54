/**
 * The native packet I/O (runtime/addon/vrrp_io.c, built by node-gyp at install)
 * and the parsing of what it receives: whole IPv4 packets, header included.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Channel {
  readonly handle: unknown;
}

export interface VrrpIo {
  /** Receive socket joined to `group` ('' for unicast only) on `ifname`, send socket bound to `source`. */
  open(ifname: string, source: string, group: string, onPacket: (packet: Buffer) => void): unknown;
  send(channel: unknown, payload: Uint8Array, destination: string): void;
  close(channel: unknown): void;
  garp(ifname: string, address: string): void;
  address(add: boolean, ifname: string, address: string, prefix: number): void;
  /** Link changes: `up` is the interface's running state (carrier). Close the channel to stop. */
  watchLinks(onLink: (ifname: string, up: boolean) => void): unknown;
}

/** The addon, looked up from this module up to the package root (source tree and bundle alike). */
export function loadVrrpIo(): VrrpIo {
  const require = createRequire(import.meta.url);
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'build/Release/vrrp_io.node');
    if (existsSync(candidate)) return require(candidate) as VrrpIo;
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
