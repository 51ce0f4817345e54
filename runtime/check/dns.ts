/**
 * DNS_CHECK (check_dns.c): one query over a connected UDP socket, with a
 * random id and recursion desired. keepalived waits for a reply with the same
 * id and the QR bit set (anything else is ignored), and then counts it up
 * when its RCODE is 0: it does not look at the answer count, so an empty
 * NOERROR answer is up and NXDOMAIN is down. An ICMP port unreachable ends
 * the attempt as a failure (the socket's receive error).
 */
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { notRun } from './tcp.ts';
import { type Attempt, errorText, type Outcome, runAttempt, type Target } from './types.ts';

/** check_dns.h: the record types keepalived knows. */
export const DNS_TYPES: Record<string, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28, RRSIG: 46, DNSKEY: 48 };

/** keepalived's dns_make_query: header (RD set, one question), the name label by label, type, class IN. */
export function dnsQuery(id: number, name: string, type: number): Buffer {
  const labels: Buffer[] = [];
  // Labels as keepalived splits them: "." is the root alone, a trailing dot adds no empty label.
  for (let s = 0; s < name.length; ) {
    const dot = name.indexOf('.', s);
    const e = dot < 0 ? name.length : dot;
    const label = Buffer.from(name.slice(s, e), 'latin1');
    labels.push(Buffer.from([label.length & 0xff]), label);
    s = dot < 0 ? e : e + 1;
  }
  if (name !== '.') labels.push(Buffer.from([0]));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(1, 2);
  return Buffer.concat([header, ...labels, tail]);
}

/**
 * What keepalived makes of a datagram (dns_recv_thread): 'ignore' for one
 * shorter than 8 bytes (it compares against the size of a pointer), with
 * another id, or without QR; else the reply's RCODE.
 */
export function dnsReply(id: number, reply: Buffer): 'ignore' | { rcode: number } {
  if (reply.length < 8 || reply.readUInt16BE(0) !== id) return 'ignore';
  const flags = reply.readUInt16BE(2);
  if (!(flags & 0x8000)) return 'ignore';
  return { rcode: flags & 0x000f };
}

export interface DnsOptions {
  target: Target;
  /** connect_timeout. */
  timeoutMs: number;
  /** The record type number (type; default SOA). */
  type: number;
  /** name; default the root. */
  name: string;
}

/** One DNS_CHECK attempt. */
export function dnsProbe(o: DnsOptions, signal: AbortSignal): Promise<Outcome> {
  const where = `${o.target.host}:${o.target.port}`;
  return runAttempt(signal, o.timeoutMs, (finish): Attempt => {
    const id = randomInt(0x10000);
    const socket = createSocket(o.target.family === 6 ? 'udp6' : 'udp4');
    let connected = false;
    socket.on('error', (e) => {
      if (!connected && notRun(e)) finish({ up: false, skip: true, detail: `UDP socket bind failed (${errorText(e)}), rescheduling` });
      else finish({ up: false, detail: `DNS_CHECK ${where}: ${connected ? 'failed to read socket' : 'connection failure'} (${errorText(e)})` });
    });
    socket.on('message', (message) => {
      const r = dnsReply(id, message);
      if (r === 'ignore') return;
      finish(r.rcode === 0 ? { up: true, detail: `DNS_CHECK ${where} succeeded` } : { up: false, detail: `DNS_CHECK ${where}: read error occurred (rcode = ${r.rcode})` });
    });
    const query = () =>
      socket.connect(o.target.port, o.target.host, () => {
        connected = true;
        socket.send(dnsQuery(id, o.name, o.type));
      });
    if (o.target.localAddress !== undefined) socket.bind({ address: o.target.localAddress, port: o.target.localPort ?? 0 }, query);
    else query();
    return {
      onTimeout: () => ({ up: false, detail: `DNS_CHECK ${where}: read timeout from socket` }),
      close: () => {
        try {
          socket.close();
        } catch {
          // Closed already.
        }
      },
    };
  });
}
