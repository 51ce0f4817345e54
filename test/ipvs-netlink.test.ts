/**
 * IPVS over generic netlink: the bytes of every request against layouts built
 * here from the uapi headers' numbers (linux/netlink.h, linux/genetlink.h,
 * linux/ip_vs.h, written out below and not taken from the implementation),
 * the decoding of crafted kernel answers, and the addon's netlink transport
 * against the running kernel: the controller answers for nlctrl; IPVS, when
 * the kernel has it, is programmed in a throw-away network namespace and read
 * back, and when it has not, the dataplane says so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeAttributes,
  decodeDestinations,
  decodeFamily,
  decodeServices,
  destinationsDumpRequest,
  encodeAttributes,
  familyRequest,
  flushRequest,
  ipvsErrorText,
  NetlinkError,
  operationRequest,
  parseMessage,
  readReplies,
  servicesDumpRequest,
} from '../runtime/dataplane/ipvs-netlink.ts';
import { IpvsDataplane, ipvsAvailable } from '../runtime/dataplane/ipvs.ts';
import type { Destination, ServiceState, VirtualService } from '../runtime/dataplane/types.ts';
import { loadVrrpIo, type NetlinkIo } from '../runtime/io.ts';

// linux/netlink.h
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const NLM_F_REQUEST = 1;
const NLM_F_MULTI = 2;
const NLM_F_ACK = 4;
const NLM_F_DUMP = 0x300;
const NLM_F_CAPPED = 0x100;
const NLM_F_ACK_TLVS = 0x200;
const NLMSGERR_ATTR_MSG = 1;
const NLA_F_NESTED = 0x8000;
// linux/genetlink.h
const GENL_ID_CTRL = 0x10;
const CTRL_CMD_NEWFAMILY = 1;
const CTRL_CMD_GETFAMILY = 3;
const CTRL_ATTR_FAMILY_ID = 1;
const CTRL_ATTR_FAMILY_NAME = 2;
// linux/ip_vs.h
const IPVS_GENL_VERSION = 1;
const CMD = { NEW_SERVICE: 1, SET_SERVICE: 2, DEL_SERVICE: 3, GET_SERVICE: 4, NEW_DEST: 5, SET_DEST: 6, DEL_DEST: 7, GET_DEST: 8, FLUSH: 17 };
const IPVS_CMD_ATTR_SERVICE = 1;
const IPVS_CMD_ATTR_DEST = 2;
const SVC = { AF: 1, PROTOCOL: 2, ADDR: 3, PORT: 4, FWMARK: 5, SCHED_NAME: 6, FLAGS: 7, TIMEOUT: 8, NETMASK: 9, STATS: 10, PE_NAME: 11, STATS64: 12 };
const DEST = { ADDR: 1, PORT: 2, FWD_METHOD: 3, WEIGHT: 4, U_THRESH: 5, L_THRESH: 6, ACTIVE_CONNS: 7, INACT_CONNS: 8, PERSIST_CONNS: 9, STATS: 10, ADDR_FAMILY: 11, STATS64: 12, TUN_TYPE: 13 };
const F = { PERSISTENT: 0x1, HASHED: 0x2, ONEPACKET: 0x4, SCHED1: 0x8, SCHED2: 0x10, SCHED3: 0x20 };
const CONN = { MASQ: 0, TUNNEL: 2, DROUTE: 3 };
const AF_INET = 2;
const AF_INET6 = 10;
const IPPROTO = { TCP: 6, UDP: 17, SCTP: 132 };

// Netlink integers are host-order; ports and the IPv4 netmask big-endian.
const LE = endianness() === 'LE';
const h16 = (v: number) => {
  const b = Buffer.alloc(2);
  LE ? b.writeUInt16LE(v) : b.writeUInt16BE(v);
  return b;
};
const h32 = (v: number) => {
  const b = Buffer.alloc(4);
  LE ? b.writeUInt32LE(v >>> 0) : b.writeUInt32BE(v >>> 0);
  return b;
};
const be16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const str = (s: string) => Buffer.from(`${s}\0`);
/** struct nlattr, padded to 4. */
const nla = (type: number, payload: Buffer) => {
  const len = 4 + payload.length;
  return Buffer.concat([h16(len), h16(type), payload, Buffer.alloc((4 - (len % 4)) % 4)]);
};
const nest = (type: number, ...members: Buffer[]) => nla(type | NLA_F_NESTED, Buffer.concat(members));
/** nlmsghdr (port 0) + genlmsghdr + attributes. */
const genl = (type: number, flags: number, seq: number, cmd: number, version: number, ...attrs: Buffer[]) => {
  const body = Buffer.concat([Buffer.from([cmd, version, 0, 0]), ...attrs]);
  return Buffer.concat([h32(16 + body.length), h16(type), h16(flags), h32(seq), h32(0), body]);
};
/** A kernel answer: nlmsghdr + payload. */
const reply = (type: number, flags: number, seq: number, payload: Buffer) => Buffer.concat([h32(16 + payload.length), h16(type), h16(flags), h32(seq), h32(4242), payload]);
const ack = (seq: number, error = 0, flags = NLM_F_CAPPED, tlvs = Buffer.alloc(0)) =>
  reply(NLMSG_ERROR, flags, seq, Buffer.concat([h32(error), h32(36), h16(0x1d), h16(5), h32(seq), h32(0), tlvs]));
const addr4 = (...octets: number[]) => Buffer.concat([Buffer.from(octets), Buffer.alloc(12)]);
const FAMILY = 0x1d;

const service = (over: Partial<VirtualService> = {}): VirtualService => ({
  id: 'tcp|192.0.2.1|80',
  family: 4,
  protocol: 'tcp',
  address: '192.0.2.1',
  port: 80,
  scheduler: 'wrr',
  flags: [],
  label: 'virtual_server 192.0.2.1 80',
  ...over,
});

/** The IPv4 TCP service above as ipvs_nl_fill_service_attr lays it out, with the given tail. */
const web = (flags = 0, timeout = 0, netmask = hex('ffffffff'), sched = 'wrr') =>
  nest(
    IPVS_CMD_ATTR_SERVICE,
    nla(SVC.AF, h16(AF_INET)),
    nla(SVC.PROTOCOL, h16(IPPROTO.TCP)),
    nla(SVC.ADDR, addr4(192, 0, 2, 1)),
    nla(SVC.PORT, be16(80)),
    nla(SVC.SCHED_NAME, str(sched)),
    nla(SVC.FLAGS, Buffer.concat([h32(flags), h32(0xffffffff)])),
    nla(SVC.TIMEOUT, h32(timeout)),
    nla(SVC.NETMASK, netmask),
  );

describe('attributes', () => {
  it('pads payloads to 4 bytes, keeps the unpadded length in nla_len, and flags nests with NLA_F_NESTED', () => {
    const bytes = encodeAttributes([
      [1, Buffer.from([0xaa])],
      [2, Buffer.alloc(0)],
      [3, [[4, Buffer.from('abcde')], [5, [[6, Buffer.from([1, 2, 3, 4])]]]]],
    ]);
    expect(bytes.toString('hex')).toBe(
      Buffer.concat([
        h16(5), h16(1), hex('aa000000'),
        h16(4), h16(2),
        // A nest's length counts its members' padding: 4 + 12 + 12.
        h16(28), h16(3 | 0x8000),
        h16(9), h16(4), Buffer.from('abcde'), hex('000000'),
        h16(12), h16(5 | 0x8000), h16(8), h16(6), hex('01020304'),
      ]).toString('hex'),
    );
    const top = decodeAttributes(bytes);
    expect([...top.keys()]).toEqual([1, 2, 3]);
    expect(top.get(1)!.toString('hex')).toBe('aa');
    expect(top.get(2)!.length).toBe(0);
    const inner = decodeAttributes(top.get(3)!);
    expect(inner.get(4)!.toString()).toBe('abcde');
    expect(decodeAttributes(inner.get(5)!).get(6)!.toString('hex')).toBe('01020304');
  });

  it('refuses an attribute that runs past its buffer or is shorter than its header', () => {
    expect(() => decodeAttributes(Buffer.concat([h16(12), h16(1), hex('0000')]))).toThrow('malformed attribute at byte 0');
    expect(() => decodeAttributes(Buffer.concat([h16(8), h16(1), hex('00000000'), h16(2), h16(2)]))).toThrow('malformed attribute at byte 8');
  });
});

describe('requests', () => {
  it.runIf(LE)('CTRL_CMD_GETFAMILY for IPVS, byte for byte on a little-endian host', () => {
    expect(familyRequest('IPVS', 7).toString('hex')).toBe(
      // nlmsg_len 32 (padding included), type GENL_ID_CTRL, flags REQUEST|ACK, seq 7, pid 0 | cmd 3, version 1 |
      // FAMILY_NAME: nla_len 9, "IPVS\0", 3 bytes of padding
      '20000000' + '1000' + '0500' + '07000000' + '00000000' + '03010000' + '0900' + '0200' + '4950565300' + '000000',
    );
  });

  it('CTRL_CMD_GETFAMILY as libnl asks it', () => {
    expect(familyRequest('nlctrl', 1)).toEqual(genl(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, 1, CTRL_CMD_GETFAMILY, 1, nla(CTRL_ATTR_FAMILY_NAME, str('nlctrl'))));
  });

  it('an IPv4 TCP service: family, protocol, 16-byte address, big-endian port, scheduler, flags with an all-ones mask, timeout, netmask', () => {
    const op = { op: 'add-service', service: service() } as const;
    expect(operationRequest(FAMILY, op, 3)).toEqual(genl(FAMILY, NLM_F_REQUEST | NLM_F_ACK, 3, CMD.NEW_SERVICE, IPVS_GENL_VERSION, web()));
    expect(operationRequest(FAMILY, { ...op, op: 'edit-service' }, 4)).toEqual(genl(FAMILY, NLM_F_REQUEST | NLM_F_ACK, 4, CMD.SET_SERVICE, IPVS_GENL_VERSION, web()));
    expect(operationRequest(FAMILY, { ...op, op: 'delete-service' }, 5)).toEqual(genl(FAMILY, NLM_F_REQUEST | NLM_F_ACK, 5, CMD.DEL_SERVICE, IPVS_GENL_VERSION, web()));
  });

  it('persistence: the persistent flag, the timeout, and an IPv4 granularity as a big-endian mask; sh flags as keepalived maps them', () => {
    const sh = service({ scheduler: 'sh', persistence: { timeout: 300, netmask: '255.255.255.0' }, flags: ['sh-fallback', 'sh-port'] });
    expect(operationRequest(FAMILY, { op: 'add-service', service: sh }, 1)).toEqual(
      genl(FAMILY, NLM_F_REQUEST | NLM_F_ACK, 1, CMD.NEW_SERVICE, 1, web(F.PERSISTENT | F.SCHED1 | F.SCHED2, 300, hex('ffffff00'), 'sh')),
    );
    // Without a granularity the mask stays all ones; mh-*, flag-3 and ops.
    const mh = service({ scheduler: 'mh', persistence: { timeout: 30 }, flags: ['mh-port', 'mh-fallback', 'flag-3', 'ops'] });
    expect(operationRequest(FAMILY, { op: 'add-service', service: mh }, 1)).toEqual(
      genl(FAMILY, NLM_F_REQUEST | NLM_F_ACK, 1, CMD.NEW_SERVICE, 1, web(F.PERSISTENT | F.SCHED2 | F.SCHED1 | F.SCHED3 | F.ONEPACKET, 30, hex('ffffffff'), 'mh')),
    );
    // flag-1..3 are the bits themselves; a zero timeout is no persistence, whatever the granularity.
    const flagged = service({ persistence: { timeout: 0, netmask: '255.255.0.0' }, flags: ['flag-1', 'flag-2'] });
    expect(operationRequest(FAMILY, { op: 'add-service', service: flagged }, 1)).toEqual(genl(FAMILY, NLM_F_REQUEST | NLM_F_ACK, 1, CMD.NEW_SERVICE, 1, web(F.SCHED1 | F.SCHED2)));
  });

  it('an IPv6 UDP service: AF_INET6, the whole address, a host-order prefix length as netmask (128 unless given)', () => {
    const v6 = service({ family: 6, protocol: 'udp', address: '2001:db8::1:0:5', port: 53, scheduler: 'rr' });
    const expected = (netmask: number, flags = 0, timeout = 0) =>
      nest(
        IPVS_CMD_ATTR_SERVICE,
        nla(SVC.AF, h16(AF_INET6)),
        nla(SVC.PROTOCOL, h16(IPPROTO.UDP)),
        nla(SVC.ADDR, hex('20010db8 00000000 00000001 00000005')),
        nla(SVC.PORT, be16(53)),
        nla(SVC.SCHED_NAME, str('rr')),
        nla(SVC.FLAGS, Buffer.concat([h32(flags), h32(0xffffffff)])),
        nla(SVC.TIMEOUT, h32(timeout)),
        nla(SVC.NETMASK, h32(netmask)),
      );
    expect(operationRequest(FAMILY, { op: 'add-service', service: v6 }, 9)).toEqual(genl(FAMILY, NLM_F_REQUEST | NLM_F_ACK, 9, CMD.NEW_SERVICE, 1, expected(128)));
    const persistent = { ...v6, persistence: { timeout: 60, netmask: 64 } };
    expect(operationRequest(FAMILY, { op: 'add-service', service: persistent }, 9)).toEqual(genl(FAMILY, NLM_F_REQUEST | NLM_F_ACK, 9, CMD.NEW_SERVICE, 1, expected(64, F.PERSISTENT, 60)));
  });

  it('an SCTP service carries protocol 132; a ::ffff:a.b.c.d address its 16 bytes', () => {
    const s = service({ family: 6, protocol: 'sctp', address: '::ffff:192.0.2.7', port: 9 });
    const attrs = decodeAttributes(decodeAttributes(parseMessage(operationRequest(FAMILY, { op: 'add-service', service: s }, 1)).payload.subarray(4)).get(IPVS_CMD_ATTR_SERVICE)!);
    expect(attrs.get(SVC.PROTOCOL)).toEqual(h16(IPPROTO.SCTP));
    expect(attrs.get(SVC.ADDR)!.toString('hex')).toBe('00000000000000000000ffffc0000207');
  });

  it('fwmark services: the family and the mark, no protocol, address or port', () => {
    const mark = (family: 4 | 6, af: number, netmask: Buffer) =>
      expect(operationRequest(FAMILY, { op: 'add-service', service: service({ family, fwmark: 5, address: undefined, port: 0, scheduler: 'wlc' }) }, 2)).toEqual(
        genl(
          FAMILY,
          NLM_F_REQUEST | NLM_F_ACK,
          2,
          CMD.NEW_SERVICE,
          1,
          nest(
            IPVS_CMD_ATTR_SERVICE,
            nla(SVC.AF, h16(af)),
            nla(SVC.FWMARK, h32(5)),
            nla(SVC.SCHED_NAME, str('wlc')),
            nla(SVC.FLAGS, Buffer.concat([h32(0), h32(0xffffffff)])),
            nla(SVC.TIMEOUT, h32(0)),
            nla(SVC.NETMASK, netmask),
          ),
        ),
      );
    mark(4, AF_INET, hex('ffffffff'));
    mark(6, AF_INET6, h32(128));
  });

  it('destinations: the service, then family, address, port, method, weight, thresholds', () => {
    const dest = (d: Destination, op: 'add-destination' | 'edit-destination' | 'delete-destination' = 'add-destination') => operationRequest(FAMILY, { op, service: service(), destination: d }, 11);
    const expected = (cmd: number, method: number, weight: number, upper = 0, lower = 0) =>
      genl(
        FAMILY,
        NLM_F_REQUEST | NLM_F_ACK,
        11,
        cmd,
        1,
        web(),
        nest(
          IPVS_CMD_ATTR_DEST,
          nla(DEST.ADDR_FAMILY, h16(AF_INET)),
          nla(DEST.ADDR, addr4(10, 0, 0, 2)),
          nla(DEST.PORT, be16(8080)),
          nla(DEST.FWD_METHOD, h32(method)),
          nla(DEST.WEIGHT, h32(weight)),
          nla(DEST.U_THRESH, h32(upper)),
          nla(DEST.L_THRESH, h32(lower)),
        ),
      );
    const nat: Destination = { address: '10.0.0.2', port: 8080, weight: 3, forwarding: 'NAT' };
    expect(dest(nat)).toEqual(expected(CMD.NEW_DEST, CONN.MASQ, 3));
    expect(dest({ ...nat, weight: 0, upperThreshold: 100, lowerThreshold: 20 }, 'edit-destination')).toEqual(expected(CMD.SET_DEST, CONN.MASQ, 0, 100, 20));
    expect(dest({ ...nat, forwarding: 'DR' }, 'delete-destination')).toEqual(expected(CMD.DEL_DEST, CONN.DROUTE, 3));
  });

  it('a tunnelled IPv4 real server behind an IPv6 service: its own family, and the IPIP tunnel type keepalived sends', () => {
    const v6 = service({ family: 6, address: '2001:db8::1' });
    const body = parseMessage(operationRequest(FAMILY, { op: 'add-destination', service: v6, destination: { address: '10.0.0.2', port: 80, weight: 1, forwarding: 'TUN' } }, 1)).payload;
    const destNest = decodeAttributes(body.subarray(4)).get(IPVS_CMD_ATTR_DEST)!;
    expect(destNest).toEqual(
      Buffer.concat([
        nla(DEST.ADDR_FAMILY, h16(AF_INET)),
        nla(DEST.ADDR, addr4(10, 0, 0, 2)),
        nla(DEST.PORT, be16(80)),
        nla(DEST.FWD_METHOD, h32(CONN.TUNNEL)),
        nla(DEST.WEIGHT, h32(1)),
        nla(DEST.TUN_TYPE, Buffer.from([0])),
        nla(DEST.U_THRESH, h32(0)),
        nla(DEST.L_THRESH, h32(0)),
      ]),
    );
    expect(nla(DEST.TUN_TYPE, Buffer.from([0])).length).toBe(8);
  });

  it('flush and dumps: FLUSH acknowledged; GET_SERVICE and GET_DEST as dumps, GET_DEST naming the service by its key only', () => {
    expect(flushRequest(FAMILY, 3)).toEqual(genl(FAMILY, NLM_F_REQUEST | NLM_F_ACK, 3, CMD.FLUSH, 1));
    expect(servicesDumpRequest(FAMILY, 4)).toEqual(genl(FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 4, CMD.GET_SERVICE, 1));
    expect(destinationsDumpRequest(FAMILY, service(), 5)).toEqual(
      genl(FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 5, CMD.GET_DEST, 1, nest(IPVS_CMD_ATTR_SERVICE, nla(SVC.AF, h16(AF_INET)), nla(SVC.PROTOCOL, h16(IPPROTO.TCP)), nla(SVC.ADDR, addr4(192, 0, 2, 1)), nla(SVC.PORT, be16(80)))),
    );
    expect(destinationsDumpRequest(FAMILY, { family: 6, protocol: 'tcp', port: 0, fwmark: 9 }, 6)).toEqual(
      genl(FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 6, CMD.GET_DEST, 1, nest(IPVS_CMD_ATTR_SERVICE, nla(SVC.AF, h16(AF_INET6)), nla(SVC.FWMARK, h32(9)))),
    );
  });

  it('refuses what the kernel would misread', () => {
    const add = (s: Partial<VirtualService>) => () => operationRequest(FAMILY, { op: 'add-service', service: service(s) }, 1);
    expect(add({ flags: ['sh-bogus'] })).toThrow('virtual_server 192.0.2.1 80: unknown lb_flags sh-bogus');
    expect(add({ scheduler: 'a-scheduler-name-too-long' })).toThrow('bad scheduler name');
    expect(add({ address: '2001:db8::1' })).toThrow('a service needs a fwmark or an IPv4 address');
    expect(add({ address: undefined })).toThrow('a service needs a fwmark or an IPv4 address');
    expect(add({ port: 65536 })).toThrow('port 65536 outside [0, 65535]');
    expect(add({ persistence: { timeout: 60, netmask: 24 } })).toThrow('an IPv4 persistence granularity is a netmask');
    expect(add({ family: 6, address: '2001:db8::1', persistence: { timeout: 60, netmask: 'ffff::' } })).toThrow('an IPv6 persistence granularity is a prefix length');
    expect(add({ family: 6, address: '2001:db8::1', persistence: { timeout: 60, netmask: 129 } })).toThrow('outside [1, 128]');
    const dest = (d: Partial<Destination>) => () => operationRequest(FAMILY, { op: 'add-destination', service: service(), destination: { address: '10.0.0.2', port: 80, weight: 1, forwarding: 'NAT', ...d } }, 1);
    expect(dest({ weight: -1 })).toThrow('weight -1 outside');
    expect(dest({ weight: 1.5 })).toThrow('weight 1.5 outside');
    expect(dest({ address: 'host.example' })).toThrow('not an IP address: host.example');
  });
});

describe('answers', () => {
  it('an ACK ends the answer and gives the messages before it', () => {
    const data = reply(FAMILY, 0, 3, hex('01010000'));
    expect(readReplies([data, ack(3)])).toEqual([{ type: FAMILY, flags: 0, seq: 3, payload: hex('01010000') }]);
    expect(readReplies([ack(3)])).toEqual([]);
  });

  it('an error ACK throws its errno, with the extended ACK message when the kernel gave one', () => {
    const plain = (() => {
      try {
        readReplies([ack(1, -17)]);
      } catch (e) {
        return e;
      }
    })() as NetlinkError;
    expect(plain).toBeInstanceOf(NetlinkError);
    expect([plain.errno, plain.code, plain.reason]).toEqual([17, 'EEXIST', undefined]);
    const tlv = nla(NLMSGERR_ATTR_MSG, str('Attribute failed policy validation'));
    expect(() => readReplies([ack(1, -22, NLM_F_CAPPED | NLM_F_ACK_TLVS, tlv)])).toThrow(expect.objectContaining({ errno: 22, code: 'EINVAL', reason: 'Attribute failed policy validation' }));
    // Not capped: the whole request sits between nlmsgerr and the TLVs.
    const request = familyRequest('IPVS', 1);
    const uncapped = reply(NLMSG_ERROR, NLM_F_ACK_TLVS, 1, Buffer.concat([h32(-2), request, tlv]));
    expect(() => readReplies([uncapped])).toThrow(expect.objectContaining({ errno: 2, code: 'ENOENT', reason: 'Attribute failed policy validation' }));
  });

  it('a dump ends at NLMSG_DONE, whose error a failed dump carries; an answer without an end throws', () => {
    const a = reply(FAMILY, NLM_F_MULTI, 5, hex('01010000'));
    const b = reply(FAMILY, NLM_F_MULTI, 5, hex('01010000'));
    expect(readReplies([a, b, reply(NLMSG_DONE, NLM_F_MULTI, 5, h32(0))])).toHaveLength(2);
    expect(() => readReplies([a, reply(NLMSG_DONE, NLM_F_MULTI, 5, h32(-12))])).toThrow(expect.objectContaining({ errno: 12, code: 'ENOMEM' }));
    expect(() => readReplies([a, b])).toThrow('the answer ended without an ACK or NLMSG_DONE');
    expect(() => readReplies([a.subarray(0, 10)])).toThrow('message shorter than its header');
    expect(() => readReplies([Buffer.concat([h32(64), a.subarray(4)])])).toThrow('message length 64 does not fit its 20 bytes');
  });

  it('the controller names the family id', () => {
    const newFamily = reply(GENL_ID_CTRL, 0, 1, Buffer.concat([Buffer.from([CTRL_CMD_NEWFAMILY, 2, 0, 0]), nla(CTRL_ATTR_FAMILY_ID, h16(0x2a)), nla(CTRL_ATTR_FAMILY_NAME, str('IPVS'))]));
    expect(decodeFamily(readReplies([newFamily, ack(1)]))).toBe(0x2a);
    expect(() => decodeFamily(readReplies([ack(1)]))).toThrow('no family id');
  });

  it("a GET_SERVICE dump as the kernel writes it: HASHED set, statistics, names for the scheduler's flags", () => {
    const stats = nest(SVC.STATS, nla(1, h32(10)), nla(2, h32(20)));
    const svc = (...attrs: Buffer[]) => reply(FAMILY, NLM_F_MULTI, 2, Buffer.concat([Buffer.from([CMD.NEW_SERVICE, 1, 0, 0]), nest(IPVS_CMD_ATTR_SERVICE, ...attrs)]));
    const tail = (sched: string, flags: number, timeout: number, netmask: Buffer) => [
      nla(SVC.SCHED_NAME, str(sched)),
      nla(SVC.FLAGS, Buffer.concat([h32(flags | F.HASHED), h32(0xffffffff)])),
      nla(SVC.TIMEOUT, h32(timeout)),
      nla(SVC.NETMASK, netmask),
      stats,
    ];
    const messages = readReplies([
      svc(nla(SVC.AF, h16(AF_INET)), nla(SVC.PROTOCOL, h16(IPPROTO.TCP)), nla(SVC.ADDR, addr4(192, 0, 2, 1)), nla(SVC.PORT, be16(443)), ...tail('sh', F.PERSISTENT | F.SCHED1 | F.SCHED2, 300, hex('ffffff00'))),
      svc(nla(SVC.AF, h16(AF_INET6)), nla(SVC.FWMARK, h32(5)), ...tail('wlc', F.SCHED1 | F.SCHED3, 0, h32(128))),
      svc(nla(SVC.AF, h16(AF_INET6)), nla(SVC.PROTOCOL, h16(IPPROTO.UDP)), nla(SVC.ADDR, hex('20010db8000000000000000000000001')), nla(SVC.PORT, be16(53)), ...tail('mh', F.PERSISTENT | F.SCHED2 | F.ONEPACKET, 60, h32(128))),
      reply(NLMSG_DONE, NLM_F_MULTI, 2, h32(0)),
    ]);
    expect(decodeServices(messages)).toEqual([
      { family: 4, protocol: 'tcp', address: '192.0.2.1', port: 443, scheduler: 'sh', flags: ['sh-fallback', 'sh-port'], persistence: { timeout: 300, netmask: '255.255.255.0' } },
      { family: 6, protocol: 'tcp', port: 0, fwmark: 5, scheduler: 'wlc', flags: ['flag-1', 'flag-3'] },
      { family: 6, protocol: 'udp', address: '2001:db8::1', port: 53, scheduler: 'mh', flags: ['ops', 'mh-port'], persistence: { timeout: 60 } },
    ]);
    expect(() => decodeServices(readReplies([svc(nla(SVC.AF, h16(AF_INET)), nla(SVC.FWMARK, h32(1))), ack(2)]))).toThrow('scheduler missing');
    expect(() => decodeServices(readReplies([svc(nla(SVC.AF, h16(7))), ack(2)]))).toThrow('IPVS address family 7');
  });

  it('a GET_DEST dump: each destination with its own family, counters ignored, thresholds only when set', () => {
    const dest = (...attrs: Buffer[]) => reply(FAMILY, NLM_F_MULTI, 2, Buffer.concat([Buffer.from([CMD.NEW_DEST, 1, 0, 0]), nest(IPVS_CMD_ATTR_DEST, ...attrs)]));
    const common = (method: number, weight: number, upper: number, lower: number) => [
      nla(DEST.FWD_METHOD, h32(method)),
      nla(DEST.WEIGHT, h32(weight)),
      nla(DEST.U_THRESH, h32(upper)),
      nla(DEST.L_THRESH, h32(lower)),
      nla(DEST.ACTIVE_CONNS, h32(3)),
      nla(DEST.INACT_CONNS, h32(1)),
      nla(DEST.PERSIST_CONNS, h32(0)),
    ];
    const messages = readReplies([
      dest(nla(DEST.ADDR, addr4(10, 0, 0, 2)), nla(DEST.PORT, be16(8080)), ...common(CONN.MASQ, 3, 0, 0), nla(DEST.ADDR_FAMILY, h16(AF_INET))),
      dest(nla(DEST.ADDR, hex('20010db8000000000000000000000002')), nla(DEST.PORT, be16(80)), ...common(CONN.DROUTE, 0, 100, 20), nla(DEST.ADDR_FAMILY, h16(AF_INET6))),
      // No family attribute (older kernels): the service's.
      dest(nla(DEST.ADDR, hex('20010db8000000000000000000000003')), nla(DEST.PORT, be16(0)), ...common(CONN.TUNNEL, 1, 0, 0)),
      reply(NLMSG_DONE, NLM_F_MULTI, 2, h32(0)),
    ]);
    expect(decodeDestinations(messages, 6)).toEqual([
      { address: '10.0.0.2', port: 8080, weight: 3, forwarding: 'NAT' },
      { address: '2001:db8::2', port: 80, weight: 0, forwarding: 'DR', upperThreshold: 100, lowerThreshold: 20 },
      { address: '2001:db8::3', port: 0, weight: 1, forwarding: 'TUN' },
    ]);
    const local = dest(nla(DEST.ADDR, addr4(10, 0, 0, 2)), nla(DEST.PORT, be16(80)), ...common(1, 1, 0, 0));
    expect(() => decodeDestinations(readReplies([local, ack(2)]), 4)).toThrow('forwarding method 1, which keepalived never sets');
  });

  it('round trip: what a request says of a service or destination decodes back to it', () => {
    // The kernel's dump nests a service or destination exactly as a request does.
    const asReply = (request: Buffer) => readReplies([request, ack(parseMessage(request).seq)]);
    const services: VirtualService[] = [
      service(),
      service({ scheduler: 'sh', flags: ['sh-fallback', 'sh-port'], persistence: { timeout: 300, netmask: '255.255.240.0' } }),
      service({ family: 6, protocol: 'udp', address: '2001:db8::1', port: 53, scheduler: 'mh', flags: ['ops', 'mh-fallback'], persistence: { timeout: 60, netmask: 48 } }),
      service({ family: 6, fwmark: 77, address: undefined, port: 0, scheduler: 'rr', flags: ['flag-3'] }),
      service({ protocol: 'sctp', persistence: { timeout: 5 } }),
    ];
    for (const s of services) {
      const { id: _id, label: _label, ...expected } = s;
      expect(decodeServices(asReply(operationRequest(FAMILY, { op: 'add-service', service: s }, 1)))).toEqual([expected]);
    }
    const destinations: Destination[] = [
      { address: '10.0.0.2', port: 80, weight: 3, forwarding: 'NAT' },
      { address: '2001:db8::a', port: 443, weight: 0, forwarding: 'DR', upperThreshold: 7, lowerThreshold: 2 },
      { address: '10.0.0.3', port: 0, weight: 65535, forwarding: 'TUN' },
    ];
    for (const d of destinations) {
      const request = operationRequest(FAMILY, { op: 'add-destination', service: service({ family: 6, address: '2001:db8::1' }), destination: d }, 1);
      expect(decodeDestinations(asReply(request), 6)).toEqual([d]);
    }
  });

  it("keepalived's words for IPVS errors, by operation", () => {
    expect(ipvsErrorText('add-service', 17)).toBe('Service already exists');
    expect(ipvsErrorText('add-service', 2)).toBe('Scheduler or persistence engine not found');
    expect(ipvsErrorText('add-destination', 17)).toBe('Destination already exists');
    expect(ipvsErrorText('delete-destination', 2)).toBe('No such destination');
    expect(ipvsErrorText('delete-service', 3)).toBe('No such service');
    expect(ipvsErrorText('flush', 1)).toBe('Permission denied (you must be root)');
    expect(ipvsErrorText('delete-service', 2)).toBeUndefined();
  });
});

describe('IpvsDataplane on a stand-in kernel', () => {
  /** Answers the controller with family 0x1d and every IPVS request per `answer`; records the commands. */
  function fake(answer: (cmd: number, seq: number) => Buffer[]) {
    const commands: number[] = [];
    const io: NetlinkIo = {
      netlink(protocol, request) {
        expect(protocol).toBe(16);
        const m = parseMessage(request);
        if (m.type === GENL_ID_CTRL) return [reply(GENL_ID_CTRL, 0, m.seq, Buffer.concat([Buffer.from([CTRL_CMD_NEWFAMILY, 2, 0, 0]), nla(CTRL_ATTR_FAMILY_ID, h16(FAMILY))])), ack(m.seq)];
        expect(m.type).toBe(FAMILY);
        commands.push(m.payload[0]!);
        return answer(m.payload[0]!, m.seq);
      },
    };
    return { io, commands };
  }
  const state = (weight: number): ServiceState[] => [{ service: service(), destinations: [{ address: '10.0.0.2', port: 80, weight, forwarding: 'NAT' }] }];

  it('resolves the family once, applies the diff in order, and close() deletes the services only', async () => {
    let resolutions = 0;
    const { io, commands } = fake((_cmd, seq) => [ack(seq)]);
    const counting: NetlinkIo = {
      netlink(protocol, request) {
        if (parseMessage(request).type === GENL_ID_CTRL) resolutions++;
        return io.netlink(protocol, request);
      },
    };
    const plane = new IpvsDataplane(counting);
    await plane.apply(state(3));
    await plane.apply(state(0));
    await plane.apply(state(0));
    await plane.close();
    await plane.close();
    expect(commands).toEqual([CMD.NEW_SERVICE, CMD.NEW_DEST, CMD.SET_DEST, CMD.DEL_SERVICE]);
    expect(resolutions).toBe(1);
  });

  it('keeps only what the kernel acknowledged: a refused service skips its destinations and is tried again', async () => {
    let refuse = true;
    const { io, commands } = fake((cmd, seq) => [ack(seq, refuse && cmd === CMD.NEW_SERVICE ? -2 : 0)]);
    const plane = new IpvsDataplane(io);
    await expect(plane.apply(state(3))).rejects.toThrow('IPVS: cannot add virtual_server 192.0.2.1 80: Scheduler or persistence engine not found');
    expect(commands.splice(0)).toEqual([CMD.NEW_SERVICE]);
    refuse = false;
    await plane.apply(state(3));
    expect(commands.splice(0)).toEqual([CMD.NEW_SERVICE, CMD.NEW_DEST]);
  });

  it('reports every failure, one line each; deletes finding nothing gone count as done', async () => {
    const { io, commands } = fake((cmd, seq) => [ack(seq, cmd === CMD.NEW_DEST ? -17 : cmd === CMD.DEL_DEST ? -2 : cmd === CMD.DEL_SERVICE ? -3 : 0)]);
    const plane = new IpvsDataplane(io);
    const two: ServiceState[] = [
      { service: service(), destinations: [{ address: '10.0.0.2', port: 80, weight: 1, forwarding: 'NAT' }, { address: '2001:db8::2', port: 80, weight: 1, forwarding: 'TUN' }] },
    ];
    await expect(plane.apply(two)).rejects.toThrow(
      'IPVS: cannot add real server 10.0.0.2:80 of virtual_server 192.0.2.1 80: Destination already exists\nIPVS: cannot add real server [2001:db8::2]:80 of virtual_server 192.0.2.1 80: Destination already exists',
    );
    commands.length = 0;
    await plane.apply([]);
    // The service had no acknowledged destinations; its delete met ESRCH and counts.
    expect(commands).toEqual([CMD.DEL_SERVICE]);
    await plane.close();
    expect(commands).toEqual([CMD.DEL_SERVICE]);
  });

  it('flush sends IPVS_CMD_FLUSH and forgets what was applied; a refusal is told in keepalived\'s words', async () => {
    let refuse = false;
    const { io, commands } = fake((_cmd, seq) => [ack(seq, refuse ? -1 : 0)]);
    const plane = new IpvsDataplane(io);
    await plane.apply(state(1));
    await plane.flush();
    await plane.close();
    expect(commands).toEqual([CMD.NEW_SERVICE, CMD.NEW_DEST, CMD.FLUSH]);
    refuse = true;
    await expect(plane.flush()).rejects.toThrow('IPVS: cannot flush: Permission denied (you must be root)');
  });

  it('says IPVS is not available when the controller does not know the family', async () => {
    const io: NetlinkIo = { netlink: (_p, r) => [ack(parseMessage(r).seq, -2)] };
    await expect(new IpvsDataplane(io).apply(state(1))).rejects.toThrow('IPVS is not available: the ip_vs module is not loaded');
    const busy: NetlinkIo = { netlink: (_p, r) => [ack(parseMessage(r).seq, -16)] };
    await expect(new IpvsDataplane(busy).read()).rejects.toThrow(
      expect.objectContaining({ message: 'IPVS: the generic netlink controller refused to name the IPVS family: resource busy or locked', cause: expect.objectContaining({ code: 'EBUSY' }) }),
    );
  });
});

const ADDON = join(import.meta.dirname, '..', 'build/Release/vrrp_io.node');
const transportUnavailable = process.getuid?.() !== 0 ? 'needs root' : !existsSync(ADDON) ? 'needs the addon (npm install)' : undefined;

describe.skipIf(!!transportUnavailable)('the addon netlink transport against the running kernel', () => {
  const load = () => loadVrrpIo();

  it('CTRL_CMD_GETFAMILY for nlctrl: the controller answers with its own id and name, then the ACK', () => {
    const replies = load().netlink(16, familyRequest('nlctrl', 42));
    expect(replies.length).toBeGreaterThanOrEqual(2);
    const last = parseMessage(replies.at(-1)!);
    expect([last.type, last.seq, last.payload.subarray(0, 4)]).toEqual([NLMSG_ERROR, 42, h32(0)]);
    const messages = readReplies(replies);
    expect(decodeFamily(messages)).toBe(GENL_ID_CTRL);
    expect(decodeAttributes(messages[0]!.payload.subarray(4)).get(CTRL_ATTR_FAMILY_NAME)!.toString()).toBe('nlctrl\0');
  });

  it('an unknown family is ENOENT; requests it cannot close, or that are not whole, are refused before sending', () => {
    expect(() => readReplies(load().netlink(16, familyRequest('no-such-family', 1)))).toThrow(expect.objectContaining({ errno: 2, code: 'ENOENT' }));
    const noAck = familyRequest('nlctrl', 1);
    h16(NLM_F_REQUEST).copy(noAck, 6);
    expect(() => load().netlink(16, noAck)).toThrow('netlink: request needs NLM_F_REQUEST and NLM_F_ACK or NLM_F_DUMP');
    expect(() => load().netlink(16, familyRequest('nlctrl', 1).subarray(0, 20))).toThrow('netlink: request length differs from its nlmsg_len');
    expect(() => load().netlink(16, Buffer.alloc(8))).toThrow('netlink: request shorter than a netlink header');
    expect(() => load().netlink(99, familyRequest('nlctrl', 1))).toThrow(/^netlink socket: /);
  });

  it.skipIf(ipvsAvailable())('without IPVS in the kernel the dataplane says the module is not loaded', async () => {
    // read() only asks: nothing is programmed even if asking made the kernel load the module.
    await expect(new IpvsDataplane(load()).read()).rejects.toThrow('IPVS is not available: the ip_vs module is not loaded');
  });

  describe.skipIf(!ipvsAvailable())('with IPVS, in a throw-away network namespace', () => {
    const NS = `kipvs${process.pid.toString(36)}`;
    /** The addon run inside the namespace, one process per request. */
    const inNamespace: NetlinkIo = {
      netlink(protocol, request) {
        const script = `const io = require(${JSON.stringify(ADDON)}); console.log(JSON.stringify(io.netlink(Number(process.argv[1]), Buffer.from(process.argv[2], 'hex')).map((b) => b.toString('hex'))));`;
        const out = execFileSync('ip', ['netns', 'exec', NS, process.execPath, '-e', script, String(protocol), request.toString('hex')], { encoding: 'utf8', timeout: 20_000 });
        return (JSON.parse(out) as string[]).map((h) => Buffer.from(h, 'hex'));
      },
    };
    beforeAll(() => execFileSync('ip', ['netns', 'add', NS]));
    afterAll(() => spawnSync('ip', ['netns', 'del', NS]));

    it('programs services and destinations, reads them back, changes them, and close() removes them', async () => {
      const plane = new IpvsDataplane(inNamespace);
      const mark = service({ id: 'fwmark|6|5', family: 6, fwmark: 5, address: undefined, port: 0, scheduler: 'rr', flags: ['flag-2'], persistence: { timeout: 120, netmask: 64 } });
      const v6 = service({ id: 'udp|2001:db8::1|53', family: 6, protocol: 'udp', address: '2001:db8::1', port: 53, scheduler: 'rr' });
      const desired: ServiceState[] = [
        { service: service({ persistence: { timeout: 300, netmask: '255.255.255.0' } }), destinations: [{ address: '10.0.0.2', port: 8080, weight: 3, forwarding: 'NAT', upperThreshold: 50 }] },
        { service: v6, destinations: [{ address: '2001:db8::2', port: 53, weight: 1, forwarding: 'DR' }] },
        { service: mark, destinations: [{ address: '2001:db8::3', port: 0, weight: 2, forwarding: 'TUN' }] },
      ];
      await plane.apply(desired);
      // The kernel lists services in its hash order.
      const key = (s: { service: Pick<VirtualService, 'fwmark' | 'address' | 'port'> }) => `${s.service.fwmark ?? ''}|${s.service.address ?? ''}|${s.service.port}`;
      const byKey = (a: Parameters<typeof key>[0], b: Parameters<typeof key>[0]) => key(a).localeCompare(key(b));
      const read = async () => (await plane.read()).sort(byKey);
      const expected = (states: ServiceState[]) => states.map(({ service: { id: _id, label: _label, ...s }, destinations }) => ({ service: s, destinations })).sort(byKey);
      expect(await read()).toEqual(expected(desired));

      const changed: ServiceState[] = [
        { service: service({ scheduler: 'wlc' }), destinations: [{ address: '10.0.0.2', port: 8080, weight: 0, forwarding: 'NAT' }, { address: '10.0.0.4', port: 8080, weight: 5, forwarding: 'NAT' }] },
        desired[2]!,
      ];
      await plane.apply(changed);
      expect(await read()).toEqual(expected(changed));

      await expect(plane.apply([{ service: service({ id: 'x', port: 81, scheduler: 'nosuch', label: 'virtual_server 192.0.2.1 81' }), destinations: [] }, ...changed])).rejects.toThrow(
        'IPVS: cannot add virtual_server 192.0.2.1 81: Scheduler or persistence engine not found',
      );
      await plane.close();
      expect(await plane.read()).toEqual([]);
    });

    it('flush empties the namespace, services of others included', async () => {
      const plane = new IpvsDataplane(inNamespace);
      await plane.apply([{ service: service(), destinations: [] }]);
      expect(await plane.read()).toHaveLength(1);
      await plane.flush();
      expect(await plane.read()).toEqual([]);
      await plane.close();
    });
  });
});
