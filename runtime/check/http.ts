/**
 * HTTP_GET and SSL_GET (check_http.c, check_ssl.c, lib/html.c): one attempt
 * fetches one url block's path and checks the status code, the MD5 digest
 * and the regex, in that order.
 *
 * The request is written on a plain node:net socket (node:tls on top of it
 * for SSL_GET) rather than through node:http: keepalived sends exactly
 * "GET path HTTP/1.x", User-Agent, an optional Connection: close and Host,
 * reads until the server closes, and parses the reply with its own rules (a
 * status line must read "VERSION CODE REASON", Content-Length is found
 * case-sensitively, headers must fit its 4 KB buffer). node:http would add
 * headers, keep connections alive, and refuse or accept other replies.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { notRun, openTcp } from './tcp.ts';
import { type Attempt, errorText, type Outcome, runAttempt, type Target } from './types.ts';

export type HttpProtocol = '1.0' | '1.0C' | '1.1';

export interface UrlRegex {
  re: RegExp;
  /** regex_no_match: succeed when it does not match. */
  noMatch: boolean;
  /** Bytes decoded as UTF-8 (regex_options utf) rather than one character per byte. */
  utf8: boolean;
  /** regex_min_offset: the first offset where a match may start. */
  minOffset: number;
  /** regex_max_offset: the last offset where a match may start. */
  maxOffset?: number;
}

export interface HttpUrl {
  path: string;
  /** Accepted status codes, as inclusive ranges (status_code; default 200-299). */
  status: [number, number][];
  /** digest, lower-case hex. */
  digest?: string;
  /** The Host header: url, else checker, else real server, else virtual server virtualhost. */
  virtualhost?: string;
  /** SNI (enable_sni only): url, else checker, else virtual server virtualhost. */
  sni?: string;
  regex?: UrlRegex;
  /** SSL_GET tls_compliant (url or checker): close the session with close_notify. */
  tlsCompliant: boolean;
}

export interface TlsIdentity {
  cert?: Buffer;
  key?: Buffer;
  passphrase?: string;
}

export interface HttpOptions {
  target: Target;
  /** connect_timeout, here the bound of the whole attempt. */
  timeoutMs: number;
  protocol: HttpProtocol;
  urls: HttpUrl[];
  /** SSL_GET: the client identity of the root SSL block; undefined for HTTP_GET. */
  tls?: TlsIdentity;
}

/** keepalived's MAX_BUFFER_LENGTH − 1: the status line and headers must arrive within it. */
const HEADER_LIMIT = 4095;

/** The request keepalived writes (`request_template`, `request_template_ipv6`). */
export function httpRequest(o: Pick<HttpOptions, 'target' | 'protocol'>, url: Pick<HttpUrl, 'path' | 'virtualhost'>): string {
  const address = o.target.host.replace(/%.*$/, '');
  const host = url.virtualhost ?? (o.target.family === 6 ? `[${address}]:${o.target.port}` : `${address}:${o.target.port}`);
  const close = o.protocol === '1.0' ? '' : 'Connection: close\r\n';
  return `GET ${url.path} HTTP/1.${o.protocol === '1.1' ? 1 : 0}\r\nUser-Agent: KeepAliveClient\r\n${close}Host: ${host}\r\n\r\n`;
}

/** keepalived's extract_status_code: the three digits between the first space and the next one, else 0. */
export function statusCode(head: string): number {
  let i = 0;
  while (i < head.length && head[i] !== ' ' && head[i] !== '\r') i++;
  if (head[i] !== ' ') return 0;
  i++;
  if (i + 3 >= head.length || head[i] === ' ' || head[i + 3] !== ' ') return 0;
  const digits = head.slice(i, i + 3);
  return /^\d{3}$/.test(digits) ? Number(digits) : 0;
}

/** keepalived's extract_content_length: the number after the first "Content-Length:" (case-sensitive), if the line holds only that. */
export function contentLength(head: string): number | undefined {
  const at = head.indexOf('Content-Length:');
  if (at < 0) return undefined;
  const m = /^[ \t\n\v\f\r]*[+-]?(\d+)([\s\S]?)/.exec(head.slice(at + 15));
  if (!m || (m[2] !== '' && m[2] !== '\r' && m[2] !== '\n')) return undefined;
  return Number(m[1]);
}

/** Index just past the blank line ending the headers, within keepalived's buffer, or -1. */
function headerEnd(buffer: Buffer): number {
  const at = buffer.subarray(0, HEADER_LIMIT).indexOf('\r\n\r\n');
  return at < 0 ? -1 : at + 4;
}

/** The response as keepalived judges it once the server has closed. */
export function judge(url: HttpUrl, response: Buffer): Outcome {
  const end = headerEnd(response);
  if (end < 0) return { up: false, detail: 'Read, no data received' };
  const head = response.subarray(0, end).toString('latin1');
  const code = statusCode(head);
  if (!url.status.some(([lo, hi]) => code >= lo && code <= hi)) return { up: false, detail: `HTTP status code error (${code || 'none'})` };
  let detail = `HTTP status code ${code}`;
  if (url.digest) {
    // keepalived hashes no more of the body than Content-Length announces.
    const length = contentLength(head);
    const body = response.subarray(end, length === undefined ? undefined : end + length);
    const digest = createHash('md5').update(body).digest('hex');
    if (digest !== url.digest) return { up: false, detail: `MD5 digest error (${digest})` };
    detail = 'MD5 digest';
  }
  if (url.regex) {
    const r = url.regex;
    // keepalived matches from the start of the response, headers included.
    const subject = response.toString(r.utf8 ? 'utf8' : 'latin1');
    r.re.lastIndex = r.minOffset;
    const m = r.re.exec(subject);
    const matched = !!m && (r.maxOffset === undefined || m.index <= r.maxOffset);
    if (matched === r.noMatch) return { up: false, detail: 'Regex match failed' };
    detail = 'Regex match';
  }
  return { up: true, detail: `${detail} success, url ${url.path}` };
}

/** One HTTP_GET / SSL_GET attempt on url block `index`. */
export function httpProbe(o: HttpOptions, index: number, signal: AbortSignal): Promise<Outcome> {
  const url = o.urls[index];
  if (!url) return Promise.resolve({ up: false, detail: `no url ${index}` });
  const where = `${o.target.host}:${o.target.port}${url.path}`;
  return runAttempt(signal, o.timeoutMs, (finish): Attempt => {
    const tcp = openTcp(o.target);
    let stream: Socket | TLSSocket = tcp;
    let connected = false;
    let complete = false;
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => chunks.push(chunk);
    const onEnd = () => {
      complete = true;
      finish(judge(url, Buffer.concat(chunks)));
    };
    const send = () => {
      connected = true;
      stream.on('data', onData);
      stream.once('end', onEnd);
      stream.write(httpRequest(o, url));
    };
    tcp.on('error', (e) => {
      if (!connected && notRun(e)) finish({ up: false, skip: true, detail: `WEB socket bind failed (${errorText(e)}), rescheduling` });
      else if (!o.tls || !connected) finish({ up: false, detail: `${connected ? 'Read error with' : 'Connection failed to'} ${where} (${errorText(e)})` });
    });
    tcp.once('connect', () => {
      if (!o.tls) return send();
      const sni = url.sni !== undefined && !isIP(url.sni) ? { servername: url.sni } : {};
      // keepalived never calls SSL_CTX_set_verify: the server's certificate is not checked, even with `ca`.
      const tls = tlsConnect({ socket: tcp, rejectUnauthorized: false, ...sni, ...o.tls });
      stream = tls;
      tls.once('secureConnect', send);
      tls.on('error', (e) => {
        // After the handshake keepalived treats an SSL error like the end of the stream.
        if (connected) onEnd();
        else finish({ up: false, detail: `SSL handshake/communication error connecting to ${where} (${errorText(e)})` });
      });
    });
    return {
      onTimeout: () => ({ up: false, detail: `Timeout ${connected ? 'HTTP read' : 'connecting'} ${where}` }),
      close: () => {
        if (stream !== tcp && complete && url.tlsCompliant) {
          stream.once('close', () => tcp.destroy());
          (stream as TLSSocket).destroySoon();
        } else {
          stream.destroy();
          tcp.destroy();
        }
      },
    };
  });
}

/** keepalived's regex_options that JavaScript expresses as flags. */
const REGEX_FLAGS: Record<string, string> = { caseless: 'i', multiline: 'm', dotall: 's', utf: 'u' };
/** Options that only tune PCRE2's compilation or that JavaScript already behaves as. */
const REGEX_NEUTRAL = new Set([
  'no_auto_possess',
  'no_start_optimize',
  'no_dotstar_anchor',
  'auto_callout',
  'never_utf',
  'never_ucp',
  'never_backslash_c',
  'use_offset_limit',
  'allow_empty_class',
  'dollar_endonly',
  'alt_verbnames',
  'dupnames',
  'no_auto_capture',
]);

/**
 * A url's regex as a JavaScript RegExp: an approximation of PCRE2 (no inline
 * options, possessive quantifiers or atomic groups; `$` matches only at the
 * very end unless multiline). Returns what could not be carried over.
 */
export function compileRegex(pattern: string, options: readonly string[]): { re?: RegExp; utf8: boolean; problems: string[] } {
  const problems: string[] = [];
  let flags = 'g';
  for (const option of new Set(options)) {
    const flag = REGEX_FLAGS[option];
    if (flag) flags += flag;
    else if (!REGEX_NEUTRAL.has(option)) problems.push(`regex_options ${option} has no JavaScript equivalent and is ignored`);
  }
  try {
    return { re: new RegExp(pattern, flags), utf8: flags.includes('u'), problems };
  } catch (e) {
    problems.push(`regex '${pattern}' is not a valid JavaScript regular expression (${(e as Error).message}): the url always fails`);
    return { utf8: false, problems };
  }
}
