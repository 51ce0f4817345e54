/**
 * Reads one word as keepalived's readers do (read_int, read_unsigned,
 * read_decimal_unsigned, read_timer, check_true_false, inet_pton ...) and
 * says what keepalived would make of it.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { ProblemCode, ValueType } from './schema/types.ts';
import { suggest } from './suggest.ts';

export interface IpValue {
  address: string;
  family: 4 | 6;
  prefix?: number;
}

export type Value = number | boolean | string | IpValue;

export interface ValueProblem {
  message: string;
  code: ProblemCode;
  /** keepalived's reaction: rejects (error) or accepts with a change (truncated, rounded). */
  severity: 'error' | 'warning';
  /** The value the user most likely meant, when there is one. */
  suggestion?: string;
}

export interface CheckedValue {
  value: Value | undefined;
  problem?: ValueProblem;
}

const ok = (value: Value): CheckedValue => ({ value });
const bad = (message: string, value?: Value, code: ProblemCode = 'type'): CheckedValue => ({ value, problem: { message, code, severity: 'error' } });

const INT_RE = /^[ \t\n\r\f\v]*[+-]?[0-9]+$/;
const UINT_RE = /^[ \t\n\r\f\v]*\+?[0-9]+$/;
const UINT0_RE = /^[ \t\n\r\f\v]*\+?(?:0[xX][0-9a-fA-F]+|[0-9]+)$/;

function formatRange(type: { min: number; max: number }): string {
  return `[${type.min}, ${type.max}]`;
}

/** strtoul with base 0: `0x` hex, leading `0` octal, else decimal. */
function parseBase0(s: string): number {
  const t = s.trim().replace(/^\+/, '');
  if (/^0[xX]/.test(t)) return parseInt(t.slice(2), 16);
  if (t.length > 1 && t.startsWith('0')) return /^[0-7]+$/.test(t) ? parseInt(t, 8) : NaN;
  return Number(t);
}

function checkDecimal(word: string, digits: number, min: number, max: number): CheckedValue {
  if (word.startsWith('-')) return bad(`negative number '${word}'`);
  if (!/^[0-9]*(\.[0-9]*)?$/.test(word) || word === '' || word === '.') return bad(`invalid number '${word}'`);
  const [whole = '', frac = ''] = word.split('.');
  let value = Number(`${whole || '0'}.${frac.slice(0, digits) || '0'}`);
  let problem: ValueProblem | undefined;
  if (frac.length > digits) {
    if (frac.charCodeAt(digits) >= 53 /* '5' */) value += 10 ** -digits;
    value = Number(value.toFixed(digits));
    problem = { message: `number '${word}' has too many decimal places (keepalived keeps ${digits} and rounds to ${value})`, code: 'type', severity: 'error' };
  }
  if (value < min || value > max) return bad(`number '${word}' outside range [${min}, ${max}]`, value, 'range');
  return problem ? { value, problem } : ok(value);
}

export function parseIp(word: string, allowPrefix: boolean): IpValue | undefined {
  let address = word;
  let prefix: number | undefined;
  const slash = word.indexOf('/');
  if (slash >= 0) {
    if (!allowPrefix) return undefined;
    address = word.slice(0, slash);
    const p = word.slice(slash + 1);
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
  }
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : undefined;
  if (!family) return undefined;
  if (prefix !== undefined && prefix > (family === 4 ? 32 : 128)) return undefined;
  return prefix === undefined ? { address, family } : { address, family, prefix };
}

function isMulticast(ip: IpValue): boolean {
  if (ip.family === 4) {
    const first = Number(ip.address.split('.')[0]);
    return first >= 224 && first <= 239;
  }
  return ip.address.toLowerCase().startsWith('ff');
}

/** An address in one text form (IPv6 compressed and lower case, zone dropped), so that `ae00::1` and `ae00:0::1` compare equal. */
export function canonicalIp(address: string): string {
  if (!address.includes(':') && !address.includes('%')) return address;
  const bare = address.split('%')[0]!;
  if (!bare.includes(':')) return bare;
  try {
    return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    return bare.toLowerCase();
  }
}

/** Checks `word` against `type`. */
export function checkValue(type: ValueType, word: string): CheckedValue {
  switch (type.kind) {
    case 'int': {
      if (!INT_RE.test(word)) return bad(`invalid number '${word}'`);
      const v = Number(word.trim());
      if (v < type.min || v > type.max) return bad(`number '${word}' outside range ${formatRange(type)}`, v, 'range');
      return ok(v);
    }
    case 'uint': {
      if (word.trim().startsWith('-')) return bad(`negative number '${word}'`);
      if (!(type.base0 ? UINT0_RE : UINT_RE).test(word)) return bad(`invalid number '${word}'`);
      const v = type.base0 ? parseBase0(word) : Number(word.trim());
      if (Number.isNaN(v)) return bad(`invalid number '${word}'`);
      if (v < type.min || v > type.max) return bad(`number '${word}' outside range ${formatRange(type)}`, v, 'range');
      return ok(v);
    }
    case 'decimal':
      return checkDecimal(word, type.digits, type.min, type.max);
    case 'timer':
      return checkDecimal(word, 6, type.min, type.max);
    case 'bool':
      if (word === 'on' || word === 'true' || word === 'yes') return ok(true);
      if (word === 'off' || word === 'false' || word === 'no') return ok(false);
      return bad(`'${word}' is not one of on, off, true, false, yes, no (lower case)`);
    case 'enum': {
      const found = type.caseInsensitive ? type.values.find((v) => v.toLowerCase() === word.toLowerCase()) : type.values.find((v) => v === word);
      if (found !== undefined) return ok(found);
      const guess = suggest(word, type.values);
      const problem: ValueProblem = {
        message: `'${word}' is not one of ${type.values.join(', ')}${guess ? `; did you mean '${guess}'?` : ''}`,
        code: 'enum',
        severity: 'error',
      };
      if (guess) problem.suggestion = guess;
      return { value: undefined, problem };
    }
    case 'string': {
      const bytes = Buffer.byteLength(word);
      if (type.maxLength !== undefined && bytes > type.maxLength) {
        const what =
          type.tooLong === 'truncated'
            ? `keepalived uses only the first ${type.maxLength} characters ('${word.slice(0, type.maxLength)}')`
            : type.tooLong === 'dropped'
              ? 'keepalived drops it'
              : 'keepalived rejects it';
        return { value: word, problem: { message: `'${word}' is longer than ${type.maxLength} characters: ${what}`, code: 'length', severity: 'error' } };
      }
      return ok(word);
    }
    case 'ifname':
      if (Buffer.byteLength(word) >= 16) return bad(`interface name '${word}' is longer than 15 characters`);
      return ok(word);
    case 'ip': {
      const ip = parseIp(word, type.prefix !== 'never');
      if (!ip && type.prefix === 'never' && parseIp(word, true)) return bad(`'${word}': keepalived takes an address without /prefix here`, undefined, 'prefix');
      if (!ip) return bad(`'${word}' is not a valid IP${type.family ? `v${type.family}` : ''} address${type.prefix === 'never' ? '' : ' (with optional /prefix)'}`);
      if (type.family && ip.family !== type.family) return bad(`'${word}' is not an IPv${type.family} address`, ip, 'family');
      if (type.prefix === 'required' && ip.prefix === undefined) return bad(`'${word}' needs a /prefix length`, ip);
      if (type.multicast && !isMulticast(ip)) return bad(`'${word}' is not a multicast address`, ip);
      return ok(ip);
    }
    case 'host':
      if (parseIp(word, false) || /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/.test(word)) return ok(word);
      return bad(`'${word}' is neither an IP address nor a host name`);
    case 'port': {
      if (!/^[0-9]+$/.test(word)) return bad(`invalid port '${word}'`);
      const v = Number(word);
      if (v > 65535 || (v === 0 && !type.allowZero)) return bad(`port '${word}' outside range [${type.allowZero ? 0 : 1}, 65535]`, v, 'range');
      return ok(v);
    }
    case 'path':
      if (type.absolute && !word.startsWith('/')) return bad(`'${word}' must be an absolute path`, word);
      return ok(word);
    case 'mac': {
      const parts = word.split(':');
      const octets = type.octets ? [type.octets] : [5, 6];
      if (!octets.includes(parts.length) || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) return bad(`'${word}' is not a MAC address`);
      return ok(word.toLowerCase());
    }
    case 'hex':
      if (!/^[0-9a-fA-F]*$/.test(word)) return bad(`'${word}' is not hexadecimal`);
      if (type.length !== undefined && word.length !== type.length) return bad(`'${word}' must be ${type.length} hexadecimal digits`);
      return ok(word.toLowerCase());
    case 'name':
      if (type.maxLength !== undefined && Buffer.byteLength(word) > type.maxLength) return bad(`name '${word}' is longer than ${type.maxLength} characters`);
      return ok(word);
    case 'union': {
      for (const t of type.of) {
        const r = checkValue(t, word);
        if (!r.problem) return r;
      }
      return bad(`'${word}' is not ${describeType(type)}`);
    }
    case 'email':
    case 'script':
    case 'user':
    case 'group':
    case 'ref':
    case 'word':
      return ok(word);
  }
}

/** A short human description of a value type, for messages, hover and docs. */
export function describeType(type: ValueType): string {
  switch (type.kind) {
    case 'int':
    case 'uint':
      return `integer ${type.min}..${type.max}`;
    case 'decimal':
      return `number ${type.min}..${type.max} (up to ${type.digits} decimals)`;
    case 'timer':
      return `seconds ${type.min}..${type.max}`;
    case 'bool':
      return 'on|off|true|false|yes|no';
    case 'enum':
      return type.values.join('|');
    case 'string':
      return type.maxLength !== undefined ? `text (max ${type.maxLength})` : 'text';
    case 'ifname':
      return 'interface';
    case 'ip':
      return `IP${type.family ? `v${type.family}` : ''} address${type.prefix === 'required' ? '/prefix' : type.prefix === 'never' ? '' : '[/prefix]'}`;
    case 'host':
      return 'address or host name';
    case 'port':
      return 'port';
    case 'path':
      return type.absolute ? 'absolute path' : 'path';
    case 'script':
      return 'command';
    case 'user':
      return 'user';
    case 'group':
      return 'group';
    case 'ref':
      return `${type.to} name`;
    case 'name':
      return 'name';
    case 'email':
      return 'e-mail address';
    case 'mac':
      return 'MAC address';
    case 'hex':
      return type.length ? `${type.length} hex digits` : 'hex digits';
    case 'word':
      return 'word';
    case 'union':
      return type.of.map(describeType).join(' or ');
  }
}
