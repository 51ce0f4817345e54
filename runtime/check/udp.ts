/**
 * UDP_CHECK (check_udp.c, layer4.c): sends the payload on a connected UDP
 * socket and waits connect_timeout. An ICMP destination unreachable (Node
 * reports it as an error of the connected socket, ECONNREFUSED for a closed
 * port) fails the check. Without require_reply, silence until the timeout is
 * success; with it, a reply is needed, and with a pattern the reply must have
 * min_reply_length..max_reply_length bytes and match the pattern on the
 * bytes both have (x / X nibbles match anything).
 */
import { createSocket } from 'node:dgram';
import { type Attempt, errorText, type Outcome, runAttempt, type Target } from './types.ts';

/** keepalived's set_buf: what it sends when no payload is configured (UDP_BUFSIZE bytes). */
export function keepalivedFiller(length: number): Buffer {
  const text = 'keepalived check - ';
  return Buffer.from(text.repeat(Math.ceil(length / text.length)).slice(0, length), 'latin1');
}

export interface HexPattern {
  data: Buffer;
  /** Set bits are wildcard nibbles. */
  mask?: Buffer;
}

/**
 * keepalived's read_hex_str: hex digits two by two, blanks between groups
 * allowed (a lone digit before a blank is one byte), x / X as wildcard
 * nibbles when `wildcards`. Undefined when keepalived rejects the text.
 */
export function parseHex(text: string, wildcards: boolean): HexPattern | undefined {
  const nibble = (c: string | undefined): number => {
    if (c === undefined) return 0xff;
    if (/[0-9a-fA-F]/.test(c)) return parseInt(c, 16);
    return wildcards && (c === 'x' || c === 'X') ? 0xfe : 0xff;
  };
  const data: number[] = [];
  const mask: number[] = [];
  let wild = false;
  let i = 0;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i >= text.length) break;
    let v = nibble(text[i++]);
    if (v === 0xff) return undefined;
    let m = 0;
    if (v === 0xfe) [v, m, wild] = [0, 0x0f, true];
    if (i < text.length && text[i] !== ' ') {
      let w = nibble(text[i++]);
      if (w === 0xff) return undefined;
      let n = 0;
      if (w === 0xfe) [w, n, wild] = [0, 0x0f, true];
      [v, m] = [(v << 4) | w, (m << 4) | n];
    }
    data.push(v);
    mask.push(m);
  }
  if (!data.length) return undefined;
  return wild ? { data: Buffer.from(data), mask: Buffer.from(mask) } : { data: Buffer.from(data) };
}

export interface UdpOptions {
  target: Target;
  /** connect_timeout. */
  timeoutMs: number;
  /** payload; keepalived's 32-byte filler when absent. */
  payload?: Buffer;
  requireReply: boolean;
  /** require_reply's hex pattern. */
  reply?: HexPattern;
  minReplyLength: number;
  maxReplyLength: number;
}

/** keepalived's check_udp_reply: whether a reply passes (only called when a pattern is set). */
export function udpReplyMatches(o: Pick<UdpOptions, 'reply' | 'minReplyLength' | 'maxReplyLength'>, received: Buffer): boolean {
  // keepalived receives into max_reply_length + 1 bytes, so a longer datagram is cut to one too many.
  const reply = received.subarray(0, o.maxReplyLength + 1);
  if (reply.length < o.minReplyLength || reply.length > o.maxReplyLength) return false;
  if (!o.reply) return true;
  const n = Math.min(reply.length, o.reply.data.length);
  for (let i = 0; i < n; i++) if ((reply[i]! ^ o.reply.data[i]!) & ~(o.reply.mask?.[i] ?? 0) & 0xff) return false;
  return true;
}

/** One UDP_CHECK attempt. */
export function udpProbe(o: UdpOptions, signal: AbortSignal): Promise<Outcome> {
  const where = `${o.target.host}:${o.target.port}`;
  return runAttempt(signal, o.timeoutMs, (finish): Attempt => {
    const socket = createSocket(o.target.family === 6 ? 'udp6' : 'udp4');
    socket.on('error', (e) => finish({ up: false, detail: `UDP connection to ${where} failed (${errorText(e)})` }));
    socket.on('message', (message) => {
      if (o.reply && !udpReplyMatches(o, message)) finish({ up: false, detail: `UDP check to ${where} reply data mismatch` });
      else finish({ up: true, detail: `UDP connection to ${where} success` });
    });
    const send = () =>
      socket.connect(o.target.port, o.target.host, () => {
        socket.send(o.payload ?? keepalivedFiller(32));
      });
    if (o.target.localAddress !== undefined) socket.bind({ address: o.target.localAddress, port: o.target.localPort ?? 0 }, send);
    else send();
    return {
      // Without require_reply, no ICMP error within the timeout is keepalived's success.
      onTimeout: () => (o.requireReply ? { up: false, detail: `UDP connection to ${where}: no reply` } : { up: true, detail: `UDP connection to ${where} success (no error)` }),
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
