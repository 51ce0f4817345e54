/**
 * The real-server health checkers against servers the tests start on
 * 127.0.0.1 (TCP, HTTP, HTTPS, SMTP, DNS, UDP), scripts in a temporary
 * directory and track files; PING_CHECK's messages are checked as bytes,
 * and the check runs on the addon's ICMP socket against 127.0.0.1 and, in a
 * network namespace of its own, against an address where nothing answers.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Block, model, readConfigText } from '../grammar/index.ts';
import { realClock } from '../runtime/clock.ts';
import { dnsQuery, dnsReply } from '../runtime/check/dns.ts';
import { FileCheckMonitor, fileStatus, parseTrackValue } from '../runtime/check/file.ts';
import { addonIcmpEcho } from '../runtime/check/icmp-socket.ts';
import { compileRegex, contentLength, httpRequest, statusCode } from '../runtime/check/http.ts';
import { classifyIcmp, echoRequest, type IcmpEcho, internetChecksum, NO_ICMP_SOCKET, pingProbe } from '../runtime/check/ping.ts';
import { CheckRunner, isRunnable } from '../runtime/check/runner.ts';
import { checkersOf, type CheckerContext } from '../runtime/check/spec.ts';
import { smtpStatus } from '../runtime/check/smtp.ts';
import type { CheckerSpec, Outcome } from '../runtime/check/types.ts';
import { keepalivedFiller, parseHex, udpReplyMatches } from '../runtime/check/udp.ts';
import { loadVrrpIo } from '../runtime/io.ts';
import { smtpServer } from './helpers/smtp-server.ts';

// A self-signed certificate made once with openssl; SSL_GET does not verify certificates, as keepalived does not.
const CERT = `-----BEGIN CERTIFICATE-----
MIIBhDCCASmgAwIBAgIULILlNYKn6Kl+Vj/i8dfoKFyeSf0wCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLa2FsaW50LXRlc3QwIBcNMjYxMTI0MTQyMzQ3WhgPMjEyNjEw
MzExNDIzNDdaMBYxFDASBgNVBAMMC2thbGludC10ZXN0MFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAEF0IplQkczeRJCqbojympwa+LkCGosfY8EgngYFengOhJrt7o
uhE57VPK5ymw/gvtsa5iy2x+VCg+TogPulc8wqNTMFEwHQYDVR0OBBYEFFJfbDub
bCD5OqWco8w/nEdyRTPvMB8GA1UdIwQYMBaAFFJfbDubbCD5OqWco8w/nEdyRTPv
MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAKc/Im/5jEqbJBv3
ZvgZlcb6TpI3zmOsm5r1SXuCCkgIAiEArAWLo57KUHeXw/0frPoa/RcawpB62sZM
/Kkukgcku+0=
-----END CERTIFICATE-----
`;
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgnUxZzQgH2EwNc2WA
6DChUwEWnq9kbT5lFUt2P0h121uhRANCAAQXQimVCRzN5EkKpuiPKanBr4uQIaix
9jwSCeBgV6eA6Emu3ui6ETntU8rnKbD+C+2xrmLLbH5UKD5OiA+6VzzC
-----END PRIVATE KEY-----
`;

const AS_DAEMON: CheckerContext = { scriptPolicy: { security: false, defaultUserFailed: false } };

/** The checkers of the first real server of the first virtual server in `text`. */
function checkersIn(text: string, context: CheckerContext = AS_DAEMON): { checkers: CheckerSpec[]; problems: string[] } {
  const { config } = readConfigText(text, '/t/keepalived.conf');
  const vs = config.children.find((n): n is Block => n.type === 'Block' && n.blockId === 'virtual_server')!;
  const service = model.serviceOf(vs, config)!;
  const server = service.realServers[0]!;
  return checkersOf(server.node as Block, service, server, config, context);
}

/** One checker block on real server 127.0.0.1 `port`. */
function checker(port: number, block: string, vsExtra = '', rsExtra = ''): CheckerSpec {
  const { checkers } = checkersIn(`virtual_server 10.0.0.1 80 {\n lvs_method NAT\n protocol TCP\n${vsExtra}\n real_server 127.0.0.1 ${port} {\n${rsExtra}\n${block}\n }\n}\n`);
  expect(checkers).toHaveLength(1);
  return checkers[0]!;
}

const once = (spec: CheckerSpec, url?: number): Promise<Outcome> => spec.probe(new AbortController().signal, url);

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

interface Seen {
  request: string;
  servername?: string | false | null;
  remote?: string;
}

/** An HTTP server of raw bytes: `reply` answers a request (undefined: never answers); it records what it saw. */
function rawHttp(reply: (request: string) => string | Buffer | undefined, tls = false) {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const handle = (socket: Socket | TLSSocket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk;
      if (!buffer.includes('\r\n\r\n')) return;
      seen.push({ request: buffer, servername: (socket as TLSSocket).servername, remote: socket.remoteAddress ?? '' });
      const answer = reply(buffer);
      if (answer !== undefined) socket.end(answer);
    });
  };
  const server = tls ? createTlsServer({ cert: CERT, key: KEY }, handle) : createServer(handle);
  return {
    server,
    seen,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}

const BODY = 'hello world';
const MD5 = createHash('md5').update(BODY).digest('hex');

function site(request: string): string | undefined {
  const path = request.split(' ')[1];
  if (path === '/hang') return undefined;
  if (path === '/error') return 'HTTP/1.0 500 Internal Server Error\r\n\r\noops';
  if (path === '/moved') return 'HTTP/1.0 302 Found\r\nLocation: /\r\n\r\n';
  if (path === '/bare') return `HTTP/1.0 200\r\n\r\n${BODY}`;
  if (path === '/long') return `HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\n${BODY}`;
  return `HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n${BODY}`;
}

describe('the spec of a real server\'s checkers', () => {
  it('inherits delay_loop, retry, delay_before_retry, warmup and connect_timeout: checker, else real server, else virtual server, else the defaults', () => {
    const { checkers } = checkersIn(`virtual_server 10.0.0.1 80 {
  lvs_method NAT
  protocol TCP
  delay_loop 20
  retry 4
  connect_timeout 7
  real_server 10.0.0.2 8080 {
    delay_before_retry 2
    TCP_CHECK { }
    TCP_CHECK {
      delay_loop 3
      retry 0
      connect_timeout 0.5
      warmup 1
    }
  }
}
`);
    expect(checkers.map((c) => [c.timing, c.timeoutMs])).toEqual([
      [{ delayLoopMs: 20_000, connectTimeoutMs: 7000, retry: 4, delayBeforeRetryMs: 2000, warmupMs: 20_000, alpha: false, logAllFailures: false }, 7000],
      [{ delayLoopMs: 3000, connectTimeoutMs: 500, retry: 0, delayBeforeRetryMs: 2000, warmupMs: 1000, alpha: false, logAllFailures: false }, 500],
    ]);
  });

  it('gives each checker type its own defaults: retry 1 (DNS 3, MISC 0), delay_before_retry 1 s (HTTP/SSL 3 s, DNS delay_loop)', () => {
    const { checkers } = checkersIn(`virtual_server 10.0.0.1 80 {
  lvs_method NAT
  protocol TCP
  delay_loop 9
  real_server 10.0.0.2 {
    TCP_CHECK { }
    HTTP_GET { url { path / } }
    DNS_CHECK { }
    MISC_CHECK { misc_path /bin/true }
  }
}
`);
    expect(checkers.map((c) => [c.kind, c.timing!.retry, c.timing!.delayBeforeRetryMs, c.timing!.connectTimeoutMs])).toEqual([
      ['TCP_CHECK', 1, 1000, 5000],
      ['HTTP_GET', 1, 3000, 5000],
      ['DNS_CHECK', 3, 9000, 5000],
      ['MISC_CHECK', 0, 1000, undefined],
    ]);
  });

  it("inherits alpha from the real server and the virtual server's flag, and log_all_failures from global_defs", () => {
    const spec = (vs: string, rs: string, own: string, globals = '') =>
      checkersIn(`${globals}\nvirtual_server 10.0.0.1 80 {\n lvs_method NAT\n protocol TCP\n ${vs}\n real_server 10.0.0.2 80 {\n ${rs}\n TCP_CHECK {\n ${own}\n }\n }\n}\n`).checkers[0]!.timing!;
    expect(spec('', '', '').alpha).toBe(false);
    expect(spec('alpha', '', '').alpha).toBe(true);
    expect(spec('alpha', 'alpha off', '').alpha).toBe(false);
    expect(spec('', 'alpha', 'alpha no').alpha).toBe(false);
    expect(spec('', '', 'alpha').alpha).toBe(true);
    expect(spec('', '', '').logAllFailures).toBe(false);
    expect(spec('', '', 'log_all_failures').logAllFailures).toBe(true);
    expect(spec('', '', '', 'global_defs {\n checker_log_all_failures\n}').logAllFailures).toBe(true);
  });

  it('connects to the real server at the port written, connect_ip keeping it and connect_port replacing it', () => {
    const targets = checkersIn(`virtual_server 10.0.0.1 80 {
  lvs_method NAT
  protocol TCP
  real_server 10.0.0.2 8080 {
    TCP_CHECK { }
    TCP_CHECK { connect_ip 10.0.0.9 }
    TCP_CHECK {
      connect_port 9000
      connect_ip 10.0.0.9
    }
    TCP_CHECK {
      bindto 10.0.0.3
      bind_port 5000
    }
  }
}
`).checkers.map((c) => c.target);
    expect(targets).toEqual([
      { host: '10.0.0.2', family: 4, port: 8080 },
      { host: '10.0.0.9', family: 4, port: 8080 },
      { host: '10.0.0.9', family: 4, port: 9000 },
      { host: '10.0.0.2', family: 4, port: 8080, localAddress: '10.0.0.3', localPort: 5000 },
    ]);
  });

  it("applies SMTP_CHECK host blocks as keepalived 2.2 does: their options go to the checker, and each adds a checker of the real server", () => {
    const { checkers, problems } = checkersIn(`virtual_server 10.0.0.1 25 {
  lvs_method NAT
  protocol TCP
  connect_timeout 4
  real_server 10.0.0.2 25 {
    SMTP_CHECK {
      helo_name mx.example
      host {
        connect_ip 10.0.0.7
        connect_timeout 2
      }
      host {
        connect_port 2525
      }
    }
    SMTP_CHECK {
      host {
      }
    }
  }
}
`);
    expect(checkers.map((c) => [c.target, c.timeoutMs])).toEqual([
      [{ host: '10.0.0.7', family: 4, port: 2525 }, 2000],
      [{ host: '10.0.0.2', family: 4, port: 25 }, 4000],
      [{ host: '10.0.0.2', family: 4, port: 25 }, 4000],
      [{ host: '10.0.0.2', family: 4, port: 25 }, 4000],
    ]);
    expect(problems).toEqual([expect.stringMatching(/host block is deprecated/), expect.stringMatching(/host block is deprecated/)]);
  });

  it('says what keepalived drops and what Node cannot do: fwmark, bind_if, family mismatches, link-local without bind_if, port 0', () => {
    const { checkers, problems } = checkersIn(`virtual_server 10.0.0.1 80 {
  lvs_method DR
  protocol TCP
  real_server 10.0.0.2 {
    TCP_CHECK {
      connect_port 80
      fwmark 7
    }
    TCP_CHECK {
      connect_port 80
      bind_if eth0
    }
    TCP_CHECK {
      connect_port 80
      bindto 10.0.0.3
      connect_ip fd00::1
    }
    TCP_CHECK {
      connect_port 80
      connect_ip fe80::1
    }
    TCP_CHECK {
      connect_port 80
      connect_ip fe80::1
      bind_if eth1
    }
    TCP_CHECK { }
    HTTP_GET { }
    BFD_CHECK { name x }
  }
}
`);
    expect(checkers.map((c) => c.target?.host)).toEqual(['10.0.0.2', '10.0.0.2', 'fe80::1%eth1', '10.0.0.2']);
    expect(problems).toEqual([
      expect.stringMatching(/fwmark 7: Node cannot set SO_MARK/),
      expect.stringMatching(/bind_if eth0: Node cannot bind a socket to an interface/),
      expect.stringMatching(/connect_ip fd00::1 is not of the family of bindto: keepalived never runs this checker/),
      expect.stringMatching(/link local address fe80::1 requires a bind_if/),
      expect.stringMatching(/no connect_port and the real server has no port: keepalived connects to port 0/),
      expect.stringMatching(/HTTP_GET: no urls specified/),
      expect.stringMatching(/BFD_CHECK is not run by kalint/),
    ]);
  });
});

describe('TCP_CHECK', () => {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  let port = 0;
  beforeAll(async () => (port = await listen(server)));
  afterAll(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });

  it('is up when the connection opens, down when it is refused', async () => {
    expect(await once(checker(port, 'TCP_CHECK { connect_timeout 2 }'))).toMatchObject({ up: true });
    expect(await once(checker(await closedPort(), 'TCP_CHECK { connect_timeout 2 }'))).toMatchObject({ up: false, detail: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('connects from bindto and bind_port', async () => {
    const seen = new Promise<string>((resolve) => server.once('connection', (s: Socket) => resolve(`${s.remoteAddress}:${s.remotePort}`)));
    const free = await closedPort();
    expect(await once(checker(port, `TCP_CHECK {\n bindto 127.0.0.2\n bind_port ${free}\n}`))).toMatchObject({ up: true });
    expect(await seen).toBe(`127.0.0.2:${free}`);
  });

  it('reports a bindto the host does not have as a check that could not run, as keepalived reschedules it', async () => {
    expect(await once(checker(port, 'TCP_CHECK { bindto 192.0.2.1 }'))).toMatchObject({ up: false, skip: true });
  });
});

describe('HTTP_GET', () => {
  const web = rawHttp(site);
  let port = 0;
  beforeAll(async () => (port = await listen(web.server)));
  afterAll(() => web.close());
  const get = (urls: string, extra = '', vsExtra = '', rsExtra = '') => checker(port, `HTTP_GET {\n connect_timeout 2\n ${extra}\n ${urls}\n}`, vsExtra, rsExtra);

  it('sends the request keepalived sends', async () => {
    await once(get('url { path /ok }'));
    expect(web.seen.at(-1)!.request).toBe(`GET /ok HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    await once(get('url { path /ok }', 'http_protocol 1.1'));
    expect(web.seen.at(-1)!.request).toBe(`GET /ok HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(httpRequest({ target: { host: 'fd00::1', family: 6, port: 80 }, protocol: '1.0C' }, { path: '/x' })).toBe(
      'GET /x HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: [fd00::1]:80\r\n\r\n',
    );
  });

  it('checks the status code: 200-299 by default, else the codes and ranges listed', async () => {
    expect(await once(get('url { path /ok }'))).toMatchObject({ up: true });
    expect(await once(get('url { path /error }'))).toMatchObject({ up: false, detail: expect.stringMatching(/status code error \(500\)/) });
    expect(await once(get('url { path /moved }'))).toMatchObject({ up: false });
    expect(await once(get('url {\n path /moved\n status_code 200 300-399\n}'))).toMatchObject({ up: true });
    expect(await once(get('url {\n path /error\n status_code 500\n}'))).toMatchObject({ up: true });
    // keepalived wants "VERSION CODE REASON": a status line without a reason phrase is no status.
    expect(await once(get('url { path /bare }'))).toMatchObject({ up: false });
  });

  it('checks the MD5 digest of the body, within Content-Length', async () => {
    expect(await once(get(`url {\n path /ok\n digest ${MD5.toUpperCase()}\n}`))).toMatchObject({ up: true, detail: expect.stringMatching(/MD5 digest/) });
    expect(await once(get(`url {\n path /ok\n digest ${'0'.repeat(32)}\n}`))).toMatchObject({ up: false, detail: expect.stringMatching(/MD5 digest error/) });
    const hello = createHash('md5').update('hello').digest('hex');
    expect(await once(get(`url {\n path /long\n digest ${hello}\n}`))).toMatchObject({ up: true });
  });

  it('checks the regex over the response, and regex_no_match', async () => {
    expect(await once(get('url {\n path /ok\n regex "wor.d$"\n}'))).toMatchObject({ up: true, detail: expect.stringMatching(/Regex match/) });
    expect(await once(get('url {\n path /ok\n regex "planet"\n}'))).toMatchObject({ up: false, detail: 'Regex match failed' });
    expect(await once(get('url {\n path /ok\n regex "planet"\n regex_no_match\n}'))).toMatchObject({ up: true });
    expect(await once(get('url {\n path /ok\n regex "HELLO"\n regex_options caseless\n}'))).toMatchObject({ up: true });
    // keepalived matches from the start of the response: the headers too.
    expect(await once(get('url {\n path /ok\n regex "text/plain"\n}'))).toMatchObject({ up: true });
    expect(await once(get('url {\n path /ok\n regex "text/plain"\n regex_min_offset 40\n}'))).toMatchObject({ up: false });
  });

  it('sends the virtualhost of the url, else of the checker, else of the real server, else of the virtual server', async () => {
    const host = async (urls: string, extra: string, vs: string, rs: string, url = 0) => {
      await once(get(urls, extra, vs, rs), url);
      return /Host: (.*)\r\n/.exec(web.seen.at(-1)!.request)![1];
    };
    const urls = 'url {\n path /a\n virtualhost url.example\n}\nurl { path /b }';
    expect(await host(urls, 'virtualhost checker.example', 'virtualhost vs.example', 'virtualhost rs.example')).toBe('url.example');
    expect(await host(urls, 'virtualhost checker.example', 'virtualhost vs.example', 'virtualhost rs.example', 1)).toBe('checker.example');
    expect(await host(urls, '', 'virtualhost vs.example', 'virtualhost rs.example', 1)).toBe('rs.example');
    expect(await host(urls, '', 'virtualhost vs.example', '', 1)).toBe('vs.example');
  });

  it('fails when the server accepts and never answers within connect_timeout', async () => {
    const started = Date.now();
    const outcome = await once(checker(port, 'HTTP_GET {\n connect_timeout 0.3\n url { path /hang }\n}'));
    expect(outcome).toMatchObject({ up: false, detail: expect.stringMatching(/^Timeout HTTP read/) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails on a refused connection, and an abort ends the attempt at once', async () => {
    expect(await once(checker(await closedPort(), 'HTTP_GET { url { path / } }'))).toMatchObject({ up: false, detail: expect.stringMatching(/Connection failed/) });
    const controller = new AbortController();
    const pending = get('url { path /hang }').probe(controller.signal, 0);
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toMatchObject({ up: false, detail: expect.stringMatching(/^Timeout/) });
  });

  it('parses the status line and Content-Length as keepalived does', () => {
    expect(statusCode('HTTP/1.1 204 No Content\r\n\r\n')).toBe(204);
    expect(statusCode('HTTP/1.1 204\r\n\r\n')).toBe(0);
    expect(statusCode('HTTP/1.1 2044 x\r\n\r\n')).toBe(0);
    expect(contentLength('HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\n')).toBe(12);
    expect(contentLength('HTTP/1.0 200 OK\r\ncontent-length: 12\r\n\r\n')).toBeUndefined();
    expect(contentLength('HTTP/1.0 200 OK\r\nContent-Length: 12 \r\n\r\n')).toBeUndefined();
  });

  it('approximates PCRE2 with JavaScript and says what it cannot carry over', () => {
    expect(compileRegex('a.b', ['caseless', 'dotall', 'no_auto_possess'])).toMatchObject({ problems: [] });
    expect(compileRegex('a.b', ['caseless']).re!.flags).toBe('gi');
    expect(compileRegex('a b', ['extended']).problems).toEqual(['regex_options extended has no JavaScript equivalent and is ignored']);
    expect(compileRegex('(?i)abc', []).problems[0]).toMatch(/not a valid JavaScript regular expression/);
  });
});

describe('SSL_GET', () => {
  const web = rawHttp(site, true);
  let port = 0;
  beforeAll(async () => (port = await listen(web.server)));
  afterAll(() => web.close());

  it('fetches over TLS without verifying the certificate, as keepalived', async () => {
    const outcome = await once(checker(port, `SSL_GET {\n connect_timeout 2\n url {\n path /ok\n digest ${MD5}\n}\n}`));
    expect(outcome).toMatchObject({ up: true });
    expect(web.seen.at(-1)!.request).toMatch(/^GET \/ok HTTP\/1.0\r\n/);
    expect(await once(checker(port, 'SSL_GET {\n connect_timeout 2\n url { path /error }\n}'))).toMatchObject({ up: false });
  });

  it('sends SNI only with enable_sni, from the virtualhost', async () => {
    await once(checker(port, 'SSL_GET {\n virtualhost www.example\n url { path /ok }\n}'));
    expect(web.seen.at(-1)!.servername).toBeFalsy();
    await once(checker(port, 'SSL_GET {\n enable_sni\n virtualhost www.example\n url { path /ok }\n}'));
    expect(web.seen.at(-1)!.servername).toBe('www.example');
    expect(web.seen.at(-1)!.request).toMatch(/Host: www.example\r\n/);
  });

  it('fails the handshake against a server that does not speak TLS', async () => {
    const plain = rawHttp(site);
    const plainPort = await listen(plain.server);
    expect(await once(checker(plainPort, 'SSL_GET {\n connect_timeout 0.3\n url { path /ok }\n}'))).toMatchObject({ up: false });
    await plain.close();
  });
});

describe('MISC_CHECK', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kalint-misc-'));
  const script = (name: string, body: string) => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };
  const exit = script('exit.sh', 'exit "$1"');
  const slow = script('slow.sh', 'sleep 5');
  const misc = (body: string) => checker(80, `MISC_CHECK {\n ${body}\n}`);

  it('is up on exit 0 and down otherwise', async () => {
    expect(await once(misc(`misc_path "${exit} 0"`))).toEqual({ up: true, detail: 'succeeded' });
    expect(await once(misc(`misc_path "${exit} 1"`))).toMatchObject({ up: false, detail: 'failed (exited with status 1)' });
    expect(await once(misc(`misc_path "${exit} 7"`))).toMatchObject({ up: false });
  });

  it('with misc_dynamic, takes 2..255 as up with weight code − 2, and 1 as down', async () => {
    expect(await once(misc(`misc_path "${exit} 7"\n misc_dynamic`))).toMatchObject({ up: true, weight: 5 });
    expect(await once(misc(`misc_path "${exit} 2"\n misc_dynamic`))).toMatchObject({ up: true, weight: 0 });
    expect(await once(misc(`misc_path "${exit} 1"\n misc_dynamic`))).toMatchObject({ up: false });
    expect(await once(misc(`misc_path "${exit} 0"\n misc_dynamic`))).toEqual({ up: true, detail: 'succeeded' });
  });

  it('kills the script at misc_timeout and counts it as timed out', async () => {
    const started = Date.now();
    const spec = misc(`misc_path ${slow}\n misc_timeout 1`);
    expect(spec.timeoutMs).toBe(1000);
    expect(await once(spec)).toEqual({ up: false, detail: 'timed out' });
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("times out after the virtual server's delay_loop without misc_timeout", () => {
    const { checkers } = checksWithDelay();
    expect(checkers.map((c) => c.timeoutMs)).toEqual([30_000, 30_000]);
    function checksWithDelay() {
      return checkersIn(`virtual_server 10.0.0.1 80 {\n lvs_method NAT\n protocol TCP\n delay_loop 30\n real_server 10.0.0.2 80 {\n delay_loop 5\n MISC_CHECK { misc_path ${exit} }\n MISC_CHECK { misc_path ${exit}\n misc_timeout 0 }\n }\n}\n`);
    }
  });

  it('drops a script keepalived would not run', () => {
    const { checkers, problems } = checkersIn(`virtual_server 10.0.0.1 80 {\n lvs_method NAT\n protocol TCP\n real_server 10.0.0.2 80 {\n MISC_CHECK { misc_path ${join(dir, 'missing.sh')} }\n MISC_CHECK { misc_dynamic }\n }\n}\n`);
    expect(checkers).toEqual([]);
    expect(problems).toEqual([expect.stringMatching(/insecure, missing or not executable/), expect.stringMatching(/no misc_path/)]);
  });
});

describe('SMTP_CHECK', () => {
  const helos: string[] = [];
  const good = smtpServer(() => {});
  good.on('connection', (s: Socket) => s.on('data', (d) => /^HELO (.*)\r\n/m.test(String(d)) && helos.push(/^HELO (.*)\r\n/m.exec(String(d))![1]!)));
  const greeting = (banner: string) => createServer((s) => s.on('error', () => {}).end(banner));
  let port = 0;
  beforeAll(async () => (port = await listen(good)));
  afterAll(() => good.close());

  it('greets the server and quits: up, with helo_name or keepalived\'s default', async () => {
    expect(await once(checker(port, 'SMTP_CHECK { connect_timeout 2 }'))).toMatchObject({ up: true });
    expect(await once(checker(port, 'SMTP_CHECK {\n helo_name mail.example\n}'))).toMatchObject({ up: true });
    expect(helos).toEqual(['smtpchecker.keepalived.org', 'mail.example']);
  });

  it('fails on a greeting other than "220 …", a multi-line one included', async () => {
    for (const banner of ['554 go away\r\n', '220-first\r\n220 second\r\n', '220\r\n']) {
      const server = greeting(banner);
      const bad = await listen(server);
      expect(await once(checker(bad, 'SMTP_CHECK { connect_timeout 2 }'))).toMatchObject({ up: false });
      server.close();
    }
    expect(smtpStatus('220 ok\r\n')).toBe(220);
    expect(smtpStatus('220-ok\r\n')).toBe(-1);
  });

  it('fails when the connection is refused or the server stays silent', async () => {
    expect(await once(checker(await closedPort(), 'SMTP_CHECK { connect_timeout 2 }'))).toMatchObject({ up: false, detail: expect.stringMatching(/Could not connect/) });
    const silent = createServer(() => {});
    const quiet = await listen(silent);
    expect(await once(checker(quiet, 'SMTP_CHECK { connect_timeout 0.2 }'))).toMatchObject({ up: false, detail: expect.stringMatching(/Read timeout/) });
    silent.close();
  });
});

/** A DNS server answering each query with `flags` (and the query's id unless `id` says otherwise). */
function dnsServer(answer: (query: Buffer) => Buffer[] | undefined) {
  const socket = createSocket('udp4');
  const queries: Buffer[] = [];
  socket.on('message', (q, from) => {
    queries.push(q);
    for (const reply of answer(q) ?? []) socket.send(reply, from.port, from.address);
  });
  const port = new Promise<number>((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket.address().port)));
  return { socket, queries, port };
}

const reply = (query: Buffer, flags: number, id = query.readUInt16BE(0)) => {
  const r = Buffer.from(query);
  r.writeUInt16BE(id, 0);
  r.writeUInt16BE(flags, 2);
  return r;
};

describe('DNS_CHECK', () => {
  let rcode = 0;
  const server = dnsServer((q) => (rcode < 0 ? undefined : [reply(q, 0x8180, q.readUInt16BE(0) ^ 1), reply(q, 0x0100), reply(q, 0x8180 | rcode)]));
  afterAll(() => server.socket.close());

  it('sends one recursive query, SOA for the root by default', async () => {
    const port = await server.port;
    rcode = 0;
    expect(await once(checker(port, 'DNS_CHECK { connect_timeout 2 }'))).toMatchObject({ up: true });
    const q = server.queries.at(-1)!;
    expect(q.subarray(2).toString('hex')).toBe('0100' + '0001' + '0000'.repeat(3) + '00' + '0006' + '0001');
    await once(checker(port, 'DNS_CHECK {\n type aaaa\n name www.example.com.\n}'));
    expect(server.queries.at(-1)!.subarray(12).toString('latin1')).toBe('\x03www\x07example\x03com\x00\x00\x1c\x00\x01');
  });

  it('ignores replies with another id or without QR, and is down on a non-zero RCODE', async () => {
    const port = await server.port;
    rcode = 3;
    expect(await once(checker(port, 'DNS_CHECK { connect_timeout 2 }'))).toMatchObject({ up: false, detail: expect.stringMatching(/rcode = 3/) });
    expect(dnsReply(7, reply(dnsQuery(7, '.', 6), 0x8180))).toEqual({ rcode: 0 });
    expect(dnsReply(7, Buffer.from([0, 7, 0x81, 0x80]))).toBe('ignore');
  });

  it('is down on timeout, and at once on a closed port', async () => {
    const port = await server.port;
    rcode = -1;
    expect(await once(checker(port, 'DNS_CHECK { connect_timeout 0.2 }'))).toMatchObject({ up: false, detail: expect.stringMatching(/read timeout/) });
    const started = Date.now();
    expect(await once(checker(await closedPort(), 'DNS_CHECK { connect_timeout 5 }'))).toMatchObject({ up: false, detail: expect.stringMatching(/ECONNREFUSED/) });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('UDP_CHECK', () => {
  let answer: Buffer | undefined;
  const received: Buffer[] = [];
  const server: UdpSocket = createSocket('udp4');
  server.on('message', (m, from) => {
    received.push(m);
    if (answer) server.send(answer, from.port, from.address);
  });
  let port = 0;
  beforeAll(() => new Promise<void>((resolve) => server.bind(0, '127.0.0.1', () => ((port = server.address().port), resolve()))));
  afterAll(() => server.close());

  it('sends the payload, or keepalived\'s filler', async () => {
    answer = Buffer.from('pong');
    await once(checker(port, 'UDP_CHECK {\n payload 01 0203 ff\n}'));
    expect(received.at(-1)!.toString('hex')).toBe('010203ff');
    await once(checker(port, 'UDP_CHECK { }'));
    expect(received.at(-1)!.toString()).toBe('keepalived check - keepalived ch');
    expect(keepalivedFiller(32)).toEqual(received.at(-1));
  });

  it('without require_reply is up on silence, down on port unreachable', async () => {
    answer = undefined;
    expect(await once(checker(port, 'UDP_CHECK { connect_timeout 0.2 }'))).toMatchObject({ up: true });
    expect(await once(checker(await closedPort(), 'UDP_CHECK { connect_timeout 2 }'))).toMatchObject({ up: false, detail: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('with require_reply needs a reply that matches the pattern, x nibbles matching anything, within the lengths', async () => {
    answer = undefined;
    expect(await once(checker(port, 'UDP_CHECK {\n connect_timeout 0.2\n require_reply\n}'))).toMatchObject({ up: false });
    answer = Buffer.from([0x01, 0x2f, 0x03, 0x04]);
    expect(await once(checker(port, 'UDP_CHECK {\n require_reply\n}'))).toMatchObject({ up: true });
    expect(await once(checker(port, 'UDP_CHECK {\n require_reply 01 x f 03\n}'))).toMatchObject({ up: false });
    expect(await once(checker(port, 'UDP_CHECK {\n require_reply 01 xf 03\n}'))).toMatchObject({ up: true });
    expect(await once(checker(port, 'UDP_CHECK {\n require_reply 01 Xf 04\n}'))).toMatchObject({ up: false, detail: expect.stringMatching(/mismatch/) });
    expect(await once(checker(port, 'UDP_CHECK {\n require_reply 01\n max_reply_length 3\n}'))).toMatchObject({ up: false });
    expect(await once(checker(port, 'UDP_CHECK {\n require_reply 01\n min_reply_length 5\n}'))).toMatchObject({ up: false });
  });

  it('reads hex strings as keepalived does', () => {
    expect(parseHex('01 2 3f', false)).toEqual({ data: Buffer.from([0x01, 0x02, 0x3f]) });
    expect(parseHex('0x', false)).toBeUndefined();
    expect(parseHex('0x', true)).toEqual({ data: Buffer.from([0x00]), mask: Buffer.from([0x0f]) });
    expect(parseHex('', true)).toBeUndefined();
    // keepalived compares only the bytes both have.
    expect(udpReplyMatches({ reply: { data: Buffer.from([1, 2, 3]) }, minReplyLength: 0, maxReplyLength: 255 }, Buffer.from([1, 2]))).toBe(true);
  });
});

describe('PING_CHECK', () => {
  it('builds echo requests with keepalived\'s 128-byte payload, the IPv4 one checksummed', () => {
    const v4 = echoRequest(4, 0x1234, 7);
    expect(v4.length).toBe(136);
    expect(v4.subarray(0, 2).toString('hex')).toBe('0800');
    expect(v4.subarray(4, 8).toString('hex')).toBe('12340007');
    expect(internetChecksum(v4)).toBe(0);
    expect(v4.subarray(8, 27).toString()).toBe('keepalived check - ');
    const v6 = echoRequest(6, 0x1234, 7);
    expect(v6.subarray(0, 8).toString('hex')).toBe('8000000012340007');
    // The RFC 1071 example: 0001 f203 f4f5 f6f7 sums to ddf2, checksum 220d.
    expect(internetChecksum(Buffer.from('0001f203f4f5f6f7', 'hex'))).toBe(0x220d);
  });

  const echo = (family: 4 | 6, request: Buffer) => {
    const r = Buffer.from(request);
    r[0] = family === 4 ? 0 : 129;
    r.writeUInt16BE(0, 2);
    if (family === 4) r.writeUInt16BE(internetChecksum(r), 2);
    return r;
  };

  it('recognises its echo reply and a destination unreachable quoting its request', () => {
    const req4 = echoRequest(4, 9, 1);
    expect(classifyIcmp(4, echo(4, req4), 9, 1)).toBe('reply');
    expect(classifyIcmp(4, echo(4, echoRequest(4, 9, 2)), 9, 1)).toBeUndefined();
    const corrupt = echo(4, req4);
    corrupt[20]! ^= 0xff;
    expect(classifyIcmp(4, corrupt, 9, 1)).toBeUndefined();
    const ipHeader = Buffer.alloc(20);
    ipHeader[0] = 0x45;
    expect(classifyIcmp(4, Buffer.concat([Buffer.from([3, 3, 0, 0, 0, 0, 0, 0]), ipHeader, req4.subarray(0, 8)]), 9, 1)).toBe('unreachable');
    const req6 = echoRequest(6, 9, 1);
    expect(classifyIcmp(6, echo(6, req6), 9, 1)).toBe('reply');
    const ip6 = Buffer.alloc(40);
    ip6[6] = 58;
    expect(classifyIcmp(6, Buffer.concat([Buffer.from([1, 4, 0, 0, 0, 0, 0, 0]), ip6, req6.subarray(0, 8)]), 9, 1)).toBe('unreachable');
  });

  it('runs over the injected ICMP socket, and says so when there is none', async () => {
    const signal = new AbortController().signal;
    expect(await pingProbe({ address: '127.0.0.1', family: 4, timeoutMs: 100 }, signal)).toEqual({ up: false, detail: NO_ICMP_SOCKET });
    const answering: IcmpEcho = async (_address, family, request, accept) => {
      const r = echo(family, request);
      return accept(r) ? r : undefined;
    };
    expect(await pingProbe({ address: '127.0.0.1', family: 4, timeoutMs: 100, icmpEcho: answering }, signal)).toMatchObject({ up: true });
    expect(await pingProbe({ address: '::1', family: 6, timeoutMs: 100, icmpEcho: answering }, signal)).toMatchObject({ up: true });
    expect(await pingProbe({ address: '127.0.0.1', family: 4, timeoutMs: 100, icmpEcho: async () => undefined }, signal)).toMatchObject({ up: false, detail: expect.stringMatching(/timeout/) });
    const { checkers, problems } = checkersIn('virtual_server 10.0.0.1 80 {\n lvs_method NAT\n protocol TCP\n real_server 10.0.0.2 80 {\n PING_CHECK { }\n }\n}\n');
    expect(problems).toEqual([expect.stringContaining(NO_ICMP_SOCKET)]);
    expect(await once(checkers[0]!)).toEqual({ up: false, detail: NO_ICMP_SOCKET });
  });
});

const ROOT = join(import.meta.dirname, '..');
const ADDON = join(ROOT, 'build/Release/vrrp_io.node');

/** Prints the problems and the outcome of one attempt of the checkers of every real server of the configuration in argv[2]. */
const PING_DRIVER = `
import { createRequire } from 'node:module';
import { type Block, model, readConfigText } from './grammar/index.ts';
import { addonIcmpEcho } from './runtime/check/icmp-socket.ts';
import { checkersOf } from './runtime/check/spec.ts';
import type { IcmpIo } from './runtime/io.ts';

const icmpEcho = addonIcmpEcho(createRequire(import.meta.url)(process.env.KALINT_ADDON!) as IcmpIo);
const { config } = readConfigText(process.argv[2]!, '/t/keepalived.conf');
const vs = config.children.find((n): n is Block => n.type === 'Block' && n.blockId === 'virtual_server')!;
const service = model.serviceOf(vs, config)!;
const servers = await Promise.all(
  service.realServers.map(async (server) => {
    const { checkers, problems } = checkersOf(server.node as Block, service, server, config, { scriptPolicy: { security: false, defaultUserFailed: false }, icmpEcho });
    return { problems, outcomes: await Promise.all(checkers.map((c) => c.probe(new AbortController().signal))) };
  }),
);
console.log(JSON.stringify(servers));
`;

describe.skipIf(process.getuid?.() !== 0 || !existsSync(ADDON))('PING_CHECK on the addon\'s ICMP socket', () => {
  const pingCheck = (servers: string[]) =>
    `virtual_server 10.0.0.1 80 {\n lvs_method NAT\n protocol TCP\n${servers.map((s) => ` real_server ${s} 80 {\n  PING_CHECK {\n   connect_timeout 1\n  }\n }\n`).join('')}}\n`;

  it('is up against 127.0.0.1', async () => {
    const { checkers, problems } = checkersIn(pingCheck(['127.0.0.1']), { ...AS_DAEMON, icmpEcho: addonIcmpEcho(loadVrrpIo()) });
    expect(problems).toEqual([]);
    expect(await once(checkers[0]!)).toEqual({ up: true, detail: 'ICMP connection to 127.0.0.1 success' });
  });

  it('is down against an address where nothing answers, in a network namespace of its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kalint-ping-'));
    const name = `chk${process.pid.toString(36)}`;
    try {
      await build({ stdin: { contents: PING_DRIVER, resolveDir: ROOT, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: join(dir, 'driver.mjs'), logLevel: 'silent' });
      const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
      ip('netns', 'add', name);
      // 10.98.0.2 is on a veth pair with both ends in the namespace; the far end has no address, so nothing answers.
      ip('-n', name, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'far');
      ip('-n', name, 'addr', 'add', '10.98.0.1/24', 'dev', 'eth0');
      for (const dev of ['lo', 'eth0', 'far']) ip('-n', name, 'link', 'set', 'dev', dev, 'up');
      const out = execFileSync('ip', ['netns', 'exec', name, process.execPath, join(dir, 'driver.mjs'), pingCheck(['127.0.0.1', '10.98.0.2'])], {
        encoding: 'utf8',
        timeout: 20_000,
        env: { ...process.env, KALINT_ADDON: ADDON },
      });
      expect(JSON.parse(out)).toEqual([
        { problems: [], outcomes: [{ up: true, detail: 'ICMP connection to 127.0.0.1 success' }] },
        { problems: [], outcomes: [{ up: false, detail: 'ICMP connection to 10.98.0.2 timeout' }] },
      ]);
    } finally {
      spawnSync('ip', ['netns', 'del', name]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('FILE_CHECK', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kalint-file-'));
  const path = join(dir, 'weight');
  const config = (check: string, tf = 'weight 2') =>
    checkersIn(`track_file tf {\n file ${path}\n ${tf}\n}\nvirtual_server 10.0.0.1 80 {\n lvs_method NAT\n protocol TCP\n real_server 10.0.0.2 80 {\n weight 10\n FILE_CHECK {\n track_file tf\n ${check}\n }\n }\n}\n`);

  it("takes the track_file's weight unless FILE_CHECK has its own", () => {
    expect(config('').checkers[0]!.file).toMatchObject({ path, weight: 2, reverse: false, baseWeight: 10 });
    expect(config('weight -3 reverse').checkers[0]!.file).toMatchObject({ weight: -3, reverse: true });
    expect(config('', 'weight 2 reverse\n init_file 4 overwrite').checkers[0]!.file).toMatchObject({ reverse: true, init: { value: 4, overwrite: true } });
    expect(checkersIn(`virtual_server 10.0.0.1 80 {\n lvs_method NAT\n protocol TCP\n real_server 10.0.0.2 80 {\n FILE_CHECK { track_file nope }\n }\n}\n`).problems).toEqual([expect.stringMatching(/track_file nope not found/)]);
  });

  it('adds value × weight to the server weight; down at weight 0 with a non-zero value, or below the 32-bit range', async () => {
    const spec = config('').checkers[0]!;
    expect(spec.timing).toBeUndefined();
    writeFileSync(path, '5\n');
    expect(await once(spec)).toMatchObject({ up: true, weight: 20 });
    writeFileSync(path, '-4');
    expect(await once(spec)).toMatchObject({ up: true, weight: 2 });
    writeFileSync(path, '0x10');
    expect(await once(spec)).toMatchObject({ up: true, weight: 42 });
    writeFileSync(path, '-1073741824');
    expect(await once(spec)).toMatchObject({ up: false });
    writeFileSync(path, '3');
    expect(await once(config('weight 0').checkers[0]!)).toMatchObject({ up: false });
    writeFileSync(path, '0');
    expect(await once(config('weight 0').checkers[0]!)).toMatchObject({ up: true, weight: 10 });
    expect(await once(config('weight 0 reverse').checkers[0]!)).toMatchObject({ up: false });
    expect(fileStatus(7, 0, true)).toBe(0);
    expect(fileStatus(2 ** 30, 4, false)).toBe(2 ** 31 - 1);
    expect([parseTrackValue('  12abc'), parseTrackValue('010'), parseTrackValue('x'), parseTrackValue('4294967296')]).toEqual([12, 8, 0, undefined]);
  });

  it('follows the file and reports weight changes and state changes', async () => {
    const events: string[] = [];
    const spec = config('').checkers[0]!;
    writeFileSync(path, '1\n');
    const monitor = new FileCheckMonitor(spec.file!, { onChange: (up) => events.push(up ? 'up' : 'down'), onWeight: (d) => events.push(`weight ${d}`) });
    monitor.start();
    expect([monitor.up, monitor.weightDelta]).toEqual([true, 2]);
    writeFileSync(path, '3\n');
    await expect.poll(() => events, { timeout: 3000 }).toEqual(['weight 6']);
    writeFileSync(path, '-1073741824\n');
    monitor.refresh();
    await expect.poll(() => events, { timeout: 3000 }).toEqual(['weight 6', 'weight 0', 'down']);
    writeFileSync(path, '0\n');
    monitor.refresh();
    expect(events).toEqual(['weight 6', 'weight 0', 'down', 'up']);
    monitor.stop();
  });

  it('writes init_file at start', () => {
    const initPath = join(dir, 'init');
    const monitor = new FileCheckMonitor({ name: 'tf', path: initPath, weight: 1, reverse: false, baseWeight: 1, init: { value: -2, overwrite: false } }, { onChange: () => {} });
    monitor.start();
    monitor.stop();
    expect([monitor.up, monitor.weightDelta]).toEqual([true, -2]);
  });
});

describe('a checker on the real clock', () => {
  it('retries a failing HTTP_GET, delay_before_retry apart, before marking it down, and comes back up', async () => {
    let failing = false;
    const web = rawHttp((request) => (failing ? site(request.replace('/ok', '/error')) : site(request)));
    const port = await listen(web.server);
    const spec = checker(port, 'HTTP_GET {\n delay_loop 0.15\n retry 2\n delay_before_retry 0.05\n warmup 0\n connect_timeout 1\n url { path /ok }\n}');
    expect(isRunnable(spec)).toBe(true);
    if (!isRunnable(spec)) return;
    const changes: [boolean, number][] = [];
    const runner = new CheckRunner(spec, realClock, { onChange: (up) => changes.push([up, web.seen.length]) });
    runner.start();
    await expect.poll(() => web.seen.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    failing = true;
    const before = web.seen.length;
    await expect.poll(() => changes.length, { timeout: 5000 }).toBe(1);
    // 1 + retry failed requests, each retry 50 ms after the previous one.
    expect(changes[0]).toEqual([false, before + 3]);
    failing = false;
    await expect.poll(() => changes.length, { timeout: 5000 }).toBe(2);
    expect(changes[1]![0]).toBe(true);
    runner.stop();
    await web.close();
  });
});
