/** Addresses in rule messages and in script commands. */
import { isIPv4, isIPv6 } from 'node:net';
import { canonicalIp, type IpValue } from '../../grammar/index.ts';

export const familyName = (family: 4 | 6): string => `IPv${family}`;

export const sameIp = (a: IpValue, b: IpValue): boolean => a.family === b.family && canonicalIp(a.address) === canonicalIp(b.address);

/** The addresses written in `text` (IPv4 dotted quads, IPv6 in any form, bracketed or not), canonical. */
export function addressesIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/(?<![0-9.])\d{1,3}(?:\.\d{1,3}){3}(?![0-9]|\.[0-9])/g)) if (isIPv4(m[0])) out.add(m[0]);
  for (const m of text.matchAll(/[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/g)) {
    const candidate = m[0].replace(/\.$/, '');
    if (isIPv6(candidate)) out.add(canonicalIp(candidate));
  }
  return out;
}

/** fe80::/10. */
export function isLinkLocal(ip: IpValue): boolean {
  if (ip.family !== 6) return false;
  const first = parseInt(canonicalIp(ip.address).split(':')[0] || '0', 16);
  return (first & 0xffc0) === 0xfe80;
}
