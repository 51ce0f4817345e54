/**
 * VRRP advertisements on the wire, as keepalived builds and checks them
 * (keepalived/vrrp/vrrp.c): VRRPv2 (RFC 3768, authentication none or PASS)
 * and VRRPv3 (RFC 5798), IPv4 and IPv6. Only the VRRP message is here; the
 * IP header is the socket's business (its TTL and addresses come in `meta`).
 *
 *   byte 0   version << 4 | type (1)
 *   byte 1   VRID
 *   byte 2   priority
 *   byte 3   count of addresses
 *   4-5      v2: auth type, advert interval (s); v3: 12-bit max advert interval (cs)
 *   6-7      checksum
 *   then     addresses; v2 over IPv4: 8 bytes of authentication data
 */
import { isIPv4 } from 'node:net';

export type AuthType = 'none' | 'pass';

export interface Advert {
  version: 2 | 3;
  vrid: number;
  priority: number;
  /** The advertisement interval in centiseconds (v2 carries whole seconds). */
  intervalCs: number;
  addresses: string[];
  /** v2 only. */
  auth?: { type: AuthType; password: string };
}

export interface PacketMeta {
  family: 4 | 6;
  /** Source and destination IP addresses, for the VRRPv3 IPv4 pseudo-header. */
  source: string;
  destination: string;
  /** TTL or hop limit the packet arrived with. */
  ttl?: number;
  /** The destination was a multicast group (then the TTL must be 255). */
  multicast?: boolean;
}

const HEADER = 8;
const AUTH_DATA = 8;
const AUTH_CODE = { none: 0, pass: 1 } as const;
export const VRRP_PROTOCOL = 112;

/** The Internet checksum (RFC 1071) of `parts`, one's complement of the one's-complement sum. */
export function internetChecksum(...parts: Uint8Array[]): number {
  let sum = 0;
  let odd: number | undefined;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      if (odd === undefined) odd = part[i]!;
      else {
        sum += (odd << 8) | part[i]!;
        odd = undefined;
      }
    }
  }
  if (odd !== undefined) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function addressBytes(address: string, family: 4 | 6): Uint8Array {
  if (family === 4) return Uint8Array.from(address.split('.').map(Number));
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':').filter(Boolean) : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

function formatAddress(bytes: Uint8Array, family: 4 | 6): string {
  if (family === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // The canonical form: the longest run of zero groups (two or more) becomes `::`.
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j;
  }
  if (best.at < 0) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
}

/** The IPv4 pseudo-header VRRPv3 checksums cover (RFC 5798 §5.2.8). */
function pseudoHeader4(source: string, destination: string, length: number): Uint8Array {
  const out = new Uint8Array(12);
  out.set(addressBytes(source, 4), 0);
  out.set(addressBytes(destination, 4), 4);
  out[9] = VRRP_PROTOCOL;
  out[10] = length >> 8;
  out[11] = length & 0xff;
  return out;
}

/** The IPv6 pseudo-header (RFC 8200 §8.1), which the kernel uses when it checksums VRRP over IPv6. */
function pseudoHeader6(source: string, destination: string, length: number): Uint8Array {
  const out = new Uint8Array(40);
  out.set(addressBytes(source, 6), 0);
  out.set(addressBytes(destination, 6), 16);
  out[34] = length >> 8;
  out[35] = length & 0xff;
  out[39] = VRRP_PROTOCOL;
  return out;
}

const passwords = new Map<string, Uint8Array>();

/** The 8 bytes of a PASS password as they go on the wire (cut, or padded with zeros); kept, as every packet needs them. */
function passwordBytes(password: string): Uint8Array {
  let bytes = passwords.get(password);
  if (!bytes) {
    bytes = new Uint8Array(AUTH_DATA);
    bytes.set(new TextEncoder().encode(password).slice(0, AUTH_DATA));
    if (passwords.size < 4096) passwords.set(password, bytes);
  }
  return bytes;
}

function checksumOf(message: Uint8Array, advert: Pick<Advert, 'version'>, meta: PacketMeta): number {
  if (advert.version === 2) return internetChecksum(message);
  const pseudo = meta.family === 4 ? pseudoHeader4(meta.source, meta.destination, message.length) : pseudoHeader6(meta.source, meta.destination, message.length);
  return internetChecksum(pseudo, message);
}

export function encodeAdvert(advert: Advert, meta: PacketMeta): Uint8Array {
  const size = meta.family === 4 ? 4 : 16;
  const auth = advert.version === 2 && meta.family === 4;
  const message = new Uint8Array(HEADER + advert.addresses.length * size + (auth ? AUTH_DATA : 0));
  message[0] = (advert.version << 4) | 1;
  message[1] = advert.vrid;
  message[2] = advert.priority;
  message[3] = advert.addresses.length;
  if (advert.version === 2) {
    message[4] = AUTH_CODE[advert.auth?.type ?? 'none'];
    message[5] = Math.max(1, Math.round(advert.intervalCs / 100));
  } else {
    message[4] = (advert.intervalCs >> 8) & 0x0f;
    message[5] = advert.intervalCs & 0xff;
  }
  advert.addresses.forEach((a, i) => message.set(addressBytes(a, meta.family), HEADER + i * size));
  if (auth && advert.auth?.type === 'pass') message.set(passwordBytes(advert.auth.password), HEADER + advert.addresses.length * size);
  const sum = checksumOf(message, advert, meta);
  message[6] = sum >> 8;
  message[7] = sum & 0xff;
  return message;
}

/** Why keepalived drops a packet (its counters' names where it has them). */
export type DropReason = 'length' | 'ttl' | 'version' | 'type' | 'auth-type' | 'auth' | 'interval' | 'checksum' | 'vrid';

export interface Expected {
  version: 2 | 3;
  vrid: number;
  /** v2: the configured interval, which a v2 advert must carry. */
  intervalCs: number;
  auth?: { type: AuthType; password: string };
}

/**
 * The advert in `message`, checked in keepalived's order (`vrrp_check_packet`):
 * length, TTL (multicast only), version, authentication and interval (v2),
 * type, checksum. Never throws: anything malformed is a drop with its reason.
 */
export function decodeAdvert(message: Uint8Array, meta: PacketMeta, expected: Expected): { advert: Advert } | { drop: DropReason } {
  if (message.length < HEADER) return { drop: 'length' };
  const size = meta.family === 4 ? 4 : 16;
  const version = message[0]! >> 4;
  const count = message[3]!;
  const auth = version === 2 && meta.family === 4;
  // Ethernet pads short frames: extra bytes after the expected length are tolerated.
  if (message.length < HEADER + count * size + (auth ? AUTH_DATA : 0)) return { drop: 'length' };
  if (meta.multicast && meta.ttl !== undefined && meta.ttl !== 255) return { drop: 'ttl' };
  if (version !== expected.version) return { drop: 'version' };
  const used = message.subarray(0, HEADER + count * size + (auth ? AUTH_DATA : 0));
  let intervalCs: number;
  let authOut: Advert['auth'];
  if (version === 2) {
    const type = message[4]!;
    const wanted = AUTH_CODE[expected.auth?.type ?? 'none'];
    if (type > 2 || type !== wanted) return { drop: 'auth-type' };
    if (auth && wanted === AUTH_CODE.pass) {
      const got = used.subarray(HEADER + count * size);
      const want = passwordBytes(expected.auth!.password);
      let diff = 0;
      for (let i = 0; i < AUTH_DATA; i++) diff |= got[i]! ^ want[i]!;
      if (diff) return { drop: 'auth' };
      authOut = { type: 'pass', password: expected.auth!.password };
    }
    intervalCs = message[5]! * 100;
    if (intervalCs !== Math.max(100, Math.round(expected.intervalCs / 100) * 100)) return { drop: 'interval' };
  } else {
    intervalCs = ((message[4]! & 0x0f) << 8) | message[5]!;
  }
  if ((message[0]! & 0x0f) !== 1) return { drop: 'type' };
  // As keepalived's in_csum: the sum over the packet, its checksum included, must come to zero.
  if (checksumOf(used, { version }, meta) !== 0) return { drop: 'checksum' };
  if (message[1] !== expected.vrid) return { drop: 'vrid' };
  const addresses: string[] = [];
  for (let i = 0; i < count; i++) addresses.push(formatAddress(used.subarray(HEADER + i * size, HEADER + (i + 1) * size), meta.family));
  const advert: Advert = { version: version as 2 | 3, vrid: message[1]!, priority: message[2]!, intervalCs, addresses };
  if (authOut) advert.auth = authOut;
  return { advert };
}

/** keepalived's `vrrp_saddr_cmp`: which of two primary addresses wins a tie (the higher one). */
export function compareAddresses(a: string, b: string): number {
  const family = isIPv4(a) ? 4 : 6;
  const x = addressBytes(a, family);
  const y = addressBytes(b, family);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}
