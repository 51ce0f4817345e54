/** VRRP adverts on the wire: layout, checksums, keepalived's receive checks, and no crash on any bytes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareAddresses, decodeAdvert, encodeAdvert, internetChecksum } from '../runtime/vrrp/packet.ts';

const v4 = { family: 4 as const, source: '10.0.0.1', destination: '224.0.0.18', ttl: 255, multicast: true };

describe('VRRP packets', () => {
  it('lays out a VRRPv2 advert with PASS authentication as RFC 3768 does', () => {
    const bytes = encodeAdvert({ version: 2, vrid: 51, priority: 100, intervalCs: 100, addresses: ['192.168.183.100'], auth: { type: 'pass', password: '1111' } }, v4);
    expect([...bytes.subarray(0, 6)]).toEqual([0x21, 51, 100, 1, 1, 1]);
    expect([...bytes.subarray(8, 12)]).toEqual([192, 168, 183, 100]);
    expect(new TextDecoder().decode(bytes.subarray(12, 16))).toBe('1111');
    expect(bytes.length).toBe(20);
    // A correct checksum makes the whole message sum to zero.
    expect(internetChecksum(bytes)).toBe(0);
  });

  it('lays out a VRRPv3 advert with a centisecond interval and a pseudo-header checksum', () => {
    const bytes = encodeAdvert({ version: 3, vrid: 7, priority: 150, intervalCs: 10, addresses: ['10.0.0.100', '10.0.0.101'] }, v4);
    expect([...bytes.subarray(0, 6)]).toEqual([0x31, 7, 150, 2, 0, 10]);
    expect(bytes.length).toBe(16);
    expect(decodeAdvert(bytes, v4, { version: 3, vrid: 7, intervalCs: 10 })).toEqual({ advert: { version: 3, vrid: 7, priority: 150, intervalCs: 10, addresses: ['10.0.0.100', '10.0.0.101'] } });
    // The same bytes sent to another destination fail the pseudo-header checksum.
    expect(decodeAdvert(bytes, { ...v4, destination: '10.0.0.2', multicast: false }, { version: 3, vrid: 7, intervalCs: 10 })).toEqual({ drop: 'checksum' });
  });

  it('round-trips IPv6 addresses', () => {
    const v6 = { family: 6 as const, source: 'fe80::1', destination: 'ff02::12', ttl: 255, multicast: true };
    const bytes = encodeAdvert({ version: 3, vrid: 9, priority: 100, intervalCs: 100, addresses: ['2001:db8::100', 'fd00:1:2:3:4:5:6:7'] }, v6);
    expect(decodeAdvert(bytes, v6, { version: 3, vrid: 9, intervalCs: 100 })).toMatchObject({ advert: { addresses: ['2001:db8::100', 'fd00:1:2:3:4:5:6:7'] } });
  });

  it('drops what keepalived drops, in its order', () => {
    const expected = { version: 2 as const, vrid: 51, intervalCs: 100, auth: { type: 'pass' as const, password: '1111' } };
    const good = encodeAdvert({ version: 2, vrid: 51, priority: 100, intervalCs: 100, addresses: ['10.0.0.100'], auth: { type: 'pass', password: '1111' } }, v4);
    expect(decodeAdvert(good, v4, expected)).toMatchObject({ advert: { priority: 100 } });
    expect(decodeAdvert(good, { ...v4, ttl: 64 }, expected)).toEqual({ drop: 'ttl' });
    expect(decodeAdvert(good, { ...v4, ttl: 64, multicast: false, destination: '10.0.0.2' }, expected)).toMatchObject({ advert: {} });
    expect(decodeAdvert(good.subarray(0, 15), v4, expected)).toEqual({ drop: 'length' });
    expect(decodeAdvert(good, v4, { ...expected, version: 3 })).toEqual({ drop: 'version' });
    expect(decodeAdvert(good, v4, { ...expected, auth: { type: 'pass', password: '2222' } })).toEqual({ drop: 'auth' });
    expect(decodeAdvert(good, v4, { ...expected, auth: { type: 'none', password: '' } })).toEqual({ drop: 'auth-type' });
    expect(decodeAdvert(good, v4, { ...expected, intervalCs: 200 })).toEqual({ drop: 'interval' });
    const corrupt = Uint8Array.from(good);
    corrupt[2] = 99;
    expect(decodeAdvert(corrupt, v4, expected)).toEqual({ drop: 'checksum' });
    expect(decodeAdvert(good, v4, { ...expected, vrid: 52 })).toEqual({ drop: 'vrid' });
    // Ethernet padding after the message is tolerated.
    expect(decodeAdvert(Uint8Array.from([...good, 0, 0, 0, 0]), v4, expected)).toMatchObject({ advert: {} });
  });

  it('compares primary addresses as keepalived does', () => {
    expect(compareAddresses('10.0.0.2', '10.0.0.10')).toBeLessThan(0);
    expect(compareAddresses('10.0.1.1', '10.0.0.255')).toBeGreaterThan(0);
  });

  it('never throws on arbitrary bytes (100,000 of them)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), fc.constantFrom(2, 3), (bytes, six, version) => {
        const meta = six ? { family: 6 as const, source: 'fe80::1', destination: 'ff02::12', ttl: 255, multicast: true } : v4;
        const out = decodeAdvert(bytes, meta, { version: version as 2 | 3, vrid: bytes[1] ?? 1, intervalCs: 100 });
        expect('advert' in out || 'drop' in out).toBe(true);
      }),
      { numRuns: 100_000 },
    );
  });
});
