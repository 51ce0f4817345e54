/**
 * LVS part of the keyword schema: the checker SSL context, virtual server
 * groups, virtual servers, real servers and their health checkers.
 *
 * Source of truth: keepalived HEAD, `check/check_parser.c:init_check_keywords`
 * and the `install_*_check_keyword` functions of `check/check_*.c`. `since` is
 * per block: the first release tag whose sources register the keyword in that
 * block (a keyword shared by several blocks often arrived in each at a
 * different release).
 */
import {
  block,
  blockDef,
  flag,
  group,
  hex,
  ifname,
  int,
  INT32_MAX,
  ip,
  list,
  name,
  oneOf,
  opt,
  OPTIONAL_BOOL,
  p,
  path,
  port,
  ref,
  reportedBy,
  rest,
  script,
  scriptStmt,
  stmt,
  strict,
  syntax,
  text,
  timer,
  uint,
  UINT32_MAX,
  user,
  word,
} from './dsl.ts';
import { compareVersions } from './version.ts';
import type {
  ItemDef,
  KeywordDef,
  OptionDef,
  RemovedKeyword,
  SchemaPart,
  StatementKeyword,
  Syntax,
  SyntaxForms,
  Version,
} from './types.ts';

// Limits taken from keepalived's headers
const IPVS_WEIGHT_LIMIT = INT32_MAX;
/** `LVS_MAX_TIMEOUT`: 31 days. */
const LVS_MAX_TIMEOUT = 86400 * 31;
/** `read_timer` counts microseconds; its smallest non-zero value. */
const MICROSECOND = 0.000001;
/** `TIMER_MAXIMUM` (ULONG_MAX - 1 microseconds), in seconds: what `read_timer` allows when given no maximum. */
const TIMER_MAXIMUM = 18446744073709.551614;
/** `strtoul` on a 64-bit build. */
const ULONG_MAX = 2 ** 64 - 1;

const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'sh', 'mh', 'dh', 'fo', 'ovf', 'lblcr', 'sed', 'nq', 'twos'];
const DNS_TYPES = ['A', 'NS', 'CNAME', 'SOA', 'MX', 'TXT', 'AAAA', 'RRSIG', 'DNSKEY'];
const REGEX_OPTIONS = [
  'allow_empty_class',
  'alt_bsux',
  'auto_callout',
  'caseless',
  'dollar_endonly',
  'dotall',
  'dupnames',
  'extended',
  'firstline',
  'match_unset_backref',
  'multiline',
  'never_ucp',
  'never_utf',
  'no_auto_capture',
  'no_auto_possess',
  'no_dotstar_anchor',
  'no_start_optimize',
  'ucp',
  'ungreedy',
  'utf',
  'never_backslash_c',
  'alt_circumflex',
  'alt_verbnames',
  'use_offset_limit',
];

const SCHED_FLAGS = ['IP_VS_SVC_F_SCHED1'];
const REGEX = ['_WITH_REGEX_CHECK_'];
const SNI = ['_HAVE_SSL_SET_TLSEXT_HOST_NAME_'];

// Shared syntaxes

/** `IP [PORT]` of virtual, real and sorry servers; `inet_stosockaddr` takes numeric addresses only, port 0 means none. */
const SERVER_ADDRESS: Syntax = syntax([
  reportedBy({ prefix: 'virtual-server-address-prefix' }, p('address', ip({ prefix: 'never' }))),
  opt('port', port(true)),
]);

const SCHEDULER = reportedBy({ enum: 'lvs-scheduler-unknown' }, p('scheduler', oneOf(SCHEDULERS)));

/** `svr_forwarding_handler`: method, then tunnel options; any other word is an error. */
const FORWARDING: Syntax = syntax(
  [p('method', oneOf(['NAT', 'DR', 'TUN']))],
  [
    {
      name: 'type',
      params: [p('tunnel', oneOf(['ipip', 'gue', 'gre']))],
      summary: 'TUN encapsulation, ipip by default (gre needs a kernel with GRE tunnel support)',
    },
    { name: 'port', params: [p('port', port())], summary: 'UDP port of a gue tunnel: required with gue, refused otherwise' },
    { name: 'nocsum', excludes: ['csum', 'remcsum'], summary: 'No checksum in the tunnel header (the default)' },
    { name: 'csum', excludes: ['nocsum', 'remcsum'], summary: 'Checksum the tunnel header (gue and gre only)' },
    { name: 'remcsum', excludes: ['nocsum', 'csum'], summary: 'Remote checksum offload (gue only)' },
  ] satisfies OptionDef[],
  'error',
);

const virtualServerHeader: SyntaxForms = {
  forms: [
    { syntax: SERVER_ADDRESS, summary: 'Service on an IP address and optional port (0 or none: every port, which forces persistence)' },
    { when: 'fwmark', syntax: syntax([p('mark', uint(0, UINT32_MAX))]), summary: 'Service matching packets with this firewall mark' },
    {
      when: 'group',
      syntax: syntax([p('group', ref('virtual_server_group'))]),
      summary: 'One service for every entry of a virtual_server_group',
    },
  ],
};

// Health checker keywords shared by the checker blocks

type CommonKeyword =
  | 'connect_ip'
  | 'connect_port'
  | 'bindto'
  | 'bind_port'
  | 'bind_if'
  | 'connect_timeout'
  | 'fwmark'
  | 'retry'
  | 'delay_before_retry'
  | 'warmup'
  | 'delay_loop'
  | 'alpha'
  | 'log_all_failures';

/** Defaults that differ between checkers (`queue_checker` and each checker's handler). */
interface CheckerDefaults {
  retry: string;
  delayBeforeRetry: string;
}

/**
 * First group of `install_checker_common_keywords`; every checker but MISC_CHECK has it.
 * Dated to 1.3.7, when the checkers started sharing them.
 */
const CONNECTION_KEYWORDS: readonly StatementKeyword[] = [
  stmt('connect_ip', 'Address the checker connects to', '1.3.7', [p('address', ip({ prefix: 'never' }))], {
    default: 'the real server address',
  }),
  stmt('connect_port', 'Port the checker connects to', '1.3.7', [p('port', port())], { default: 'the real server port' }),
  stmt('bindto', 'Source address of the check connection (same family as connect_ip)', '1.3.7', [
    p('address', ip({ prefix: 'never' })),
  ]),
  stmt('bind_port', 'Source port of the check connection', '1.3.7', [p('port', port())]),
  stmt('bind_if', 'Interface of the check connection; needed for IPv6 link-local targets', '1.3.7', [p('interface', ifname)]),
  stmt('connect_timeout', 'Time allowed for the check connection', '1.3.7', [p('seconds', timer(MICROSECOND))], {
    default: "the real server's, else the virtual server's (5 s)",
  }),
  stmt('fwmark', 'Firewall mark set on the check packets', '1.3.7', [p('mark', uint(0, UINT32_MAX))], { build: ['_WITH_SO_MARK_'] }),
];

/** Second group of `install_checker_common_keywords`, which MISC_CHECK gets too. */
function timingKeywords(defaults: CheckerDefaults): StatementKeyword[] {
  return [
    stmt('retry', 'Failed attempts in a row before the service counts as down', '1.3.7', [p('count', uint(0, UINT32_MAX))], {
      default: `the real or virtual server's, else ${defaults.retry}`,
    }),
    stmt('delay_before_retry', 'Pause between a failed attempt and the next one', '1.3.7', [p('seconds', timer(0, TIMER_MAXIMUM))], {
      default: `the real or virtual server's, else ${defaults.delayBeforeRetry}`,
    }),
    stmt('warmup', 'Upper bound of the random delay before the first check (0: none)', '1.3.7', [p('seconds', timer(0, TIMER_MAXIMUM))], {
      default: "the real or virtual server's, else delay_loop",
    }),
    stmt('delay_loop', 'Interval between checks', '1.3.7', [p('seconds', timer(MICROSECOND, TIMER_MAXIMUM))], {
      default: "the real server's, else the virtual server's (60 s)",
    }),
    stmt('alpha', 'Start with this check failed until it first succeeds', '1.3.7', OPTIONAL_BOOL, { default: "the real server's" }),
    stmt('log_all_failures', 'Log every failed attempt, not only state changes', '2.0.11', OPTIONAL_BOOL, {
      default: 'global checker_log_all_failures',
    }),
  ];
}

const latest = (a: Version, b: Version): Version => (compareVersions(a, b) >= 0 ? a : b);

/** Shared keywords dated for one checker: not before `floor`, earlier where that checker had its own handler before 1.3.7. */
function datedFor(keywords: readonly StatementKeyword[], floor: Version, earlier: Partial<Record<CommonKeyword, Version>> = {}) {
  return keywords.map((k) => ({ ...k, since: earlier[k.name as CommonKeyword] ?? latest(k.since, floor) }));
}

/** The 13 common keywords of a checker with connection options. */
const checkerCommon = (defaults: CheckerDefaults, floor: Version, earlier: Partial<Record<CommonKeyword, Version>> = {}) =>
  datedFor([...CONNECTION_KEYWORDS, ...timingKeywords(defaults)], floor, earlier);

const DEFAULT_TIMING: CheckerDefaults = { retry: '1', delayBeforeRetry: '1 s' };
const HTTP_TIMING: CheckerDefaults = { retry: '1', delayBeforeRetry: '3 s' };

/** HTTP_GET and SSL_GET registered common keywords of their own before 1.3.7. */
const HTTP_EARLIER: Partial<Record<CommonKeyword, Version>> = {
  connect_ip: '1.2.13',
  connect_port: '1.1.0',
  bindto: '1.1.2',
  bind_port: '1.2.13',
  connect_timeout: '1.1.0',
  fwmark: '1.2.13',
  delay_before_retry: '1.1.0',
  warmup: '1.2.13',
};

// HTTP_GET / SSL_GET and their url blocks

function httpKeywords(checker: 'HTTP_GET' | 'SSL_GET'): KeywordDef[] {
  const ssl = checker === 'SSL_GET';
  return [
    ...checkerCommon(HTTP_TIMING, '1.1.0', HTTP_EARLIER),
    stmt('nb_get_retry', 'Old spelling of retry for HTTP and SSL checks', '1.1.0', [p('count', uint(0, UINT32_MAX))], {
      aliasOf: 'retry',
      deprecated: {
        since: '1.3.7',
        replacement: 'retry',
        keepalived: 'error',
        message: "replaced by the common checker keyword 'retry' in 1.3.7; keepalived reports it since 2.0.15 but still uses the value.",
      },
    }),
    stmt('virtualhost', 'Host header sent with every url of this checker', '1.3.6', [p('host', text())], {
      repeat: 'error',
      default: "the real or virtual server's virtualhost",
    }),
    stmt('http_protocol', 'HTTP version of the request (1.0C: 1.0 with Connection: close)', '2.0.17', [
      p('version', oneOf(['1.0', '1.0C', '1.0c', '1.1'])),
    ], { default: '1.0' }),
    stmt('enable_sni', 'Send the server name (SNI) in the TLS handshake', '1.4.3', OPTIONAL_BOOL, { build: SNI }),
    stmt('sni_name', 'Server name sent as SNI; alone, take it from virtualhost (implies enable_sni)', '2.4.4', [opt('server_name', word)], {
      build: SNI,
      repeat: 'error',
    }),
    stmt('fast_recovery', 'Mark the service up again after one successful check', '2.0.17', OPTIONAL_BOOL),
    ...(ssl ? [stmt('tls_compliant', 'Close the TLS session cleanly, as strict servers expect', '2.2.8', OPTIONAL_BOOL)] : []),
    block('url', 'One page to fetch and verify; at least one is required', '1.1.0', syntax(), `${checker}.url`, { required: true }),
  ];
}

function urlKeywords(checker: 'HTTP_GET' | 'SSL_GET'): KeywordDef[] {
  const ssl = checker === 'SSL_GET';
  return [
    stmt('path', 'Path part of the URL to request; required', '1.1.0', [p('path', text())], { repeat: 'error', required: true }),
    stmt('digest', 'MD5 the page body must hash to', '1.1.0', [p('md5', hex(32))], { repeat: 'error' }),
    stmt('status_code', 'Accepted HTTP status codes or ranges (LO-HI), each within 100..599', '1.1.0', [rest('code', word)], {
      repeat: 'append',
      default: '200-299',
    }),
    stmt('virtualhost', 'Host header for this url only', '1.3.6', [p('host', text())], {
      repeat: 'error',
      default: "the checker's virtualhost",
    }),
    stmt('regex', 'PCRE2 pattern the page body must match (quote it when it holds spaces)', '2.0.7', [], {
      syntax: strict(p('pattern', text())),
      build: REGEX,
      repeat: 'error',
    }),
    flag('regex_no_match', 'Succeed when the regex does not match instead', '2.0.7', { build: REGEX }),
    stmt('regex_options', 'PCRE2 compile options for the regex', '2.0.7', [rest('option', oneOf(REGEX_OPTIONS))], {
      build: REGEX,
      repeat: 'append',
    }),
    stmt('regex_min_offset', 'Byte offset in the body where a match may start', '2.0.7', [], {
      build: REGEX,
      syntax: strict(p('offset', uint(0, ULONG_MAX))),
    }),
    stmt('regex_max_offset', 'Last byte offset in the body where a match may start', '2.0.7', [], {
      build: REGEX,
      syntax: strict(p('offset', uint(0, ULONG_MAX))),
    }),
    stmt('regex_stack', 'Initial and maximum size of the PCRE2 JIT stack (start <= max)', '2.0.7', [], {
      build: [...REGEX, '!PCRE2_DONT_USE_JIT'],
      syntax: strict(p('start', uint(0, ULONG_MAX)), p('max', uint(0, ULONG_MAX))),
    }),
    ...(ssl ? [stmt('tls_compliant', 'Close the TLS session cleanly for this url', '2.2.8', OPTIONAL_BOOL)] : []),
  ];
}

// Blocks

const sslKeywords: KeywordDef[] = [
  stmt('password', 'Password of the private key', '1.1.0', [p('password', text())], { repeat: 'error' }),
  stmt('ca', 'CA certificate file', '1.1.0', [p('file', path())], { repeat: 'error' }),
  stmt('certificate', 'Client certificate file', '1.1.0', [p('file', path())], { repeat: 'error' }),
  stmt('key', 'Private key file of the client certificate', '1.1.0', [p('file', path())], { repeat: 'error' }),
];

const virtualServerKeywords: KeywordDef[] = [
  stmt('ip_family', 'Address family of a fwmark or group service', '1.2.20', [p('family', oneOf(['inet', 'inet6']))], {
    default: 'taken from the addresses',
  }),
  stmt('retry', 'Default retry count for the checkers of this service', '1.3.7', [p('count', uint(1, UINT32_MAX))], {
    default: "each checker's own default",
  }),
  stmt('delay_before_retry', 'Default pause between failed attempts for the checkers', '1.3.7', [p('seconds', timer(0, TIMER_MAXIMUM))], {
    default: "each checker's own default",
  }),
  stmt('warmup', 'Default upper bound of the random delay before the first check', '1.3.7', [p('seconds', timer(0, TIMER_MAXIMUM))], {
    default: 'delay_loop',
  }),
  stmt('connect_timeout', 'Default connection timeout for the checkers', '2.0.13', [p('seconds', timer(MICROSECOND))], { default: '5 s' }),
  stmt('delay_loop', 'Default interval between checks', '1.1.0', [p('seconds', timer(MICROSECOND, TIMER_MAXIMUM))], { default: '60 s' }),
  flag('inhibit_on_failure', 'Set failed real servers to weight 0 instead of removing them; takes no value here', '1.3.7'),
  stmt('lb_algo', 'Old spelling of lvs_sched', '1.1.0', [SCHEDULER], {
    aliasOf: 'lvs_sched',
    deprecated: {
      since: '1.3.8',
      replacement: 'lvs_sched',
      keepalived: 'silent',
      message: 'the old name of lvs_sched; both still work.',
    },
  }),
  stmt('lvs_sched', 'IPVS scheduling algorithm', '1.1.5', [SCHEDULER], {
    default: 'wlc (reported as an error when missing)',
  }),
  flag('hashed', 'Former IPVS hashed flag; no effect', '1.3.0', {
    deprecated: {
      since: '2.1.4',
      keepalived: 'error',
      message:
        'no effect since 2.1.4 (the kernel does not take the flag from user space); ' +
        "keepalived reports 'hashed only applies to sh scheduler' unless lvs_sched is sh or mh. Delete it.",
    },
  }),
  flag('ops', 'One-packet scheduling: schedule each UDP datagram on its own (UDP services only)', '1.2.8'),
  flag('flag-1', 'Set scheduler flag 1 (meaning depends on the scheduler)', '1.3.0', { build: SCHED_FLAGS }),
  flag('flag-2', 'Set scheduler flag 2 (meaning depends on the scheduler)', '1.3.0', { build: SCHED_FLAGS }),
  flag('flag-3', 'Set scheduler flag 3 (meaning depends on the scheduler)', '1.3.0', { build: SCHED_FLAGS }),
  flag('sh-port', 'sh scheduler: hash the source port too; only after lvs_sched sh', '1.3.0', { build: SCHED_FLAGS }),
  flag('sh-fallback', 'sh scheduler: pick another server when the hashed one is unavailable; only after lvs_sched sh', '1.3.0', {
    build: SCHED_FLAGS,
  }),
  flag('mh-port', 'mh scheduler: hash the source port too; only after lvs_sched mh', '2.0.20', { build: SCHED_FLAGS }),
  flag('mh-fallback', 'mh scheduler: pick another server when the hashed one is unavailable; only after lvs_sched mh', '2.0.20', {
    build: SCHED_FLAGS,
  }),
  stmt('lb_kind', 'Old spelling of lvs_method', '1.1.0', [], {
    syntax: FORWARDING,
    aliasOf: 'lvs_method',
    deprecated: {
      since: '1.3.8',
      replacement: 'lvs_method',
      keepalived: 'silent',
      message: 'the old name of lvs_method; both still work.',
    },
  }),
  stmt('lvs_method', 'Default forwarding method for the real servers, with tunnel options for TUN', '1.1.5', [], {
    syntax: FORWARDING,
    default: 'NAT (reported as an error when missing)',
  }),
  stmt('persistence_engine', 'IPVS persistence engine, such as sip', '1.2.20', [p('engine', text(16, 'truncated'))]),
  stmt('persistence_timeout', 'Keep a client on the same real server for this long', '1.1.0', [opt('seconds', uint(1, LVS_MAX_TIMEOUT))], {
    default: 'no persistence; the keyword alone means 360 s',
  }),
  stmt('persistence_granularity', 'Netmask (IPv4) or prefix length 1..128 (IPv6) grouping clients for persistence', '1.1.0', [
    p('granularity', word),
  ], { default: 'single client address; setting it turns on persistence (360 s)' }),
  stmt('protocol', 'Transport protocol of an address or group service', '1.1.0', [p('protocol', oneOf(['TCP', 'UDP', 'SCTP'], true))], {
    default: 'UDP, reported as an error (ignored for fwmark services)',
  }),
  flag('ha_suspend', 'Stop the checkers while the virtual address is absent from this host (not for fwmark services)', '1.1.0'),
  stmt('smtp_alert', 'Send e-mail alerts on state changes of this service', '2.0.0', OPTIONAL_BOOL, {
    default: 'global smtp_alert_checker / smtp_alert',
  }),
  stmt('virtualhost', 'Default Host header for HTTP_GET and SSL_GET checkers', '1.1.0', [p('host', text())], { repeat: 'error' }),
  stmt('snmp_name', 'Name of the service in SNMP', '2.2.3', [], {
    syntax: strict(p('name', text())),
    build: ['_WITH_SNMP_CHECKER_'],
    repeat: 'error',
  }),
  flag('alpha', 'Start with every real server down until its checks pass; takes no value here', '1.1.16'),
  flag('omega', 'Also run the down notifications when the service is removed or keepalived stops', '1.1.16'),
  scriptStmt('quorum_up', 'Script run when the weight of live servers reaches the quorum', '1.1.16'),
  scriptStmt('quorum_down', 'Script run when the weight of live servers drops below the quorum', '1.1.16'),
  stmt('quorum', 'Minimum total weight of live real servers for the service to be up', '1.1.16', [p('weight', uint(1, UINT32_MAX))], {
    default: '1',
  }),
  stmt('hysteresis', 'Weight margin around the quorum that damps flapping; must stay below quorum', '1.1.16', [
    p('weight', uint(0, UINT32_MAX)),
  ], { default: '0' }),
  stmt('weight', 'Default weight of real servers that set none', '1.3.7', [p('weight', uint(1, IPVS_WEIGHT_LIMIT))], { default: '1' }),
  stmt('sorry_server', 'Server that takes the traffic when no real server is up', '1.1.0', [], { syntax: SERVER_ADDRESS }),
  flag('sorry_server_inhibit', 'Keep the sorry server in the table at weight 0 while unused; only after sorry_server', '1.2.13'),
  stmt('sorry_server_lvs_method', 'Forwarding method of the sorry server; only after sorry_server', '1.3.6', [], {
    syntax: FORWARDING,
    default: "the virtual server's lvs_method",
  }),
  block('real_server', 'A real server of this service and its health checks', '1.1.0', SERVER_ADDRESS, 'real_server', { required: true }),
];

const realServerKeywords: KeywordDef[] = [
  stmt('weight', 'IPVS weight of this server (0: no new connections)', '1.1.0', [p('weight', uint(0, IPVS_WEIGHT_LIMIT))], {
    default: "the virtual server's weight (1)",
  }),
  stmt('lvs_method', 'Forwarding method of this server', '1.3.6', [], { syntax: FORWARDING, default: "the virtual server's" }),
  stmt('uthreshold', 'Stop sending new connections above this many', '1.1.13', [p('connections', uint(0, UINT32_MAX))], {
    default: '0 (no limit)',
  }),
  stmt('lthreshold', 'Resume sending new connections below this many', '1.1.13', [p('connections', uint(0, UINT32_MAX))], {
    default: '0 (no limit)',
  }),
  stmt('inhibit_on_failure', 'On failure set the weight to 0 instead of removing the server', '1.1.0', OPTIONAL_BOOL, {
    default: "the virtual server's",
  }),
  scriptStmt('notify_up', 'Script run when the server comes up', '1.1.0'),
  scriptStmt('notify_down', 'Script run when the server goes down', '1.1.0'),
  stmt('alpha', 'Start with the server down until its checks pass', '1.3.7', OPTIONAL_BOOL, { default: "the virtual server's" }),
  stmt('retry', 'Default retry count for the checkers of this server', '1.3.7', [p('count', uint(1, UINT32_MAX))], {
    default: "the virtual server's, else each checker's",
  }),
  stmt('delay_before_retry', 'Default pause between failed attempts for the checkers', '1.3.7', [p('seconds', timer(0, TIMER_MAXIMUM))], {
    default: "the virtual server's",
  }),
  stmt('warmup', 'Default upper bound of the random delay before the first check', '1.3.7', [p('seconds', timer(0, TIMER_MAXIMUM))], {
    default: "the virtual server's",
  }),
  stmt('connect_timeout', 'Default connection timeout for the checkers', '2.0.13', [p('seconds', timer(MICROSECOND))], {
    default: "the virtual server's (5 s)",
  }),
  stmt('delay_loop', 'Default interval between checks', '1.3.7', [p('seconds', timer(MICROSECOND, TIMER_MAXIMUM))], {
    default: "the virtual server's (60 s)",
  }),
  stmt('smtp_alert', 'Send e-mail alerts when this server changes state', '2.0.0', OPTIONAL_BOOL, {
    default: 'global smtp_alert_checker / smtp_alert',
  }),
  stmt('virtualhost', 'Default Host header for the HTTP_GET and SSL_GET checkers', '1.3.6', [p('host', text())], {
    repeat: 'error',
    default: "the virtual server's",
  }),
  stmt('snmp_name', 'Name of the server in SNMP', '2.2.3', [], {
    syntax: strict(p('name', text())),
    build: ['_WITH_SNMP_CHECKER_'],
    repeat: 'error',
  }),
  block('MISC_CHECK', 'Run a script; its exit status decides', '1.1.0', syntax(), 'MISC_CHECK'),
  block('SMTP_CHECK', 'Connect to an SMTP server and greet it', '1.1.8', syntax(), 'SMTP_CHECK'),
  block('TCP_CHECK', 'Open a TCP connection', '1.1.0', syntax(), 'TCP_CHECK'),
  block('PING_CHECK', 'Send an ICMP echo request', '2.1.0', syntax(), 'PING_CHECK'),
  block('UDP_CHECK', 'Send a UDP datagram, optionally checking the reply', '2.1.0', syntax(), 'UDP_CHECK'),
  block('HTTP_GET', 'Fetch web pages over HTTP and verify them', '1.1.0', syntax(), 'HTTP_GET'),
  block('SSL_GET', 'Fetch web pages over HTTPS and verify them', '1.1.0', syntax(), 'SSL_GET'),
  block('DNS_CHECK', 'Send a DNS query', '1.3.0', syntax(), 'DNS_CHECK'),
  block('FILE_CHECK', 'Follow the value in a track_file', '2.1.0', syntax(), 'FILE_CHECK'),
  block('BFD_CHECK', 'Follow the state of a BFD session', '2.0.0', syntax(), 'BFD_CHECK', { build: ['_WITH_BFD_'] }),
];

const miscKeywords: KeywordDef[] = [
  ...datedFor(timingKeywords({ retry: '0', delayBeforeRetry: '1 s' }), '1.3.7', { warmup: '1.2.13' }),
  stmt('misc_path', 'Command to run; exit 0 means up; required', '1.1.0', [p('script', script)], { quoted: true, required: true }),
  stmt('misc_timeout', 'Seconds before the script is killed and counted as failed', '1.1.0', [p('seconds', uint(0, 4294))], {
    default: "0: the virtual server's delay_loop",
  }),
  flag('misc_dynamic', 'Exit codes 2..255 set the server weight to code - 2', '1.1.8'),
  stmt('user', 'User and group to run the script as', '1.3.0', [p('user', user), opt('group', group)], { default: 'global script_user' }),
];

const smtpHostEarlier: Partial<Record<CommonKeyword, Version>> = {
  connect_ip: '1.1.8',
  connect_port: '1.1.8',
  bindto: '1.1.8',
  bind_port: '1.2.13',
  connect_timeout: '1.2.13',
  fwmark: '1.2.13',
};

const smtpKeywords: KeywordDef[] = [
  stmt('helo_name', 'Name sent in the HELO command', '1.1.8', [p('name', text())], {
    repeat: 'error',
    default: 'smtpchecker.keepalived.org',
  }),
  ...checkerCommon(DEFAULT_TIMING, '1.1.8', {
    connect_ip: '1.2.17',
    connect_port: '1.2.17',
    bindto: '1.2.17',
    bind_port: '1.2.17',
    connect_timeout: '1.1.8',
    fwmark: '1.2.17',
    retry: '1.1.8',
    delay_before_retry: '1.1.8',
    warmup: '1.2.13',
  }),
  block('host', 'Old way to check several SMTP servers from one SMTP_CHECK', '1.1.8', syntax(), 'SMTP_CHECK.host', {
    deprecated: {
      since: '1.3.7',
      replacement: 'one SMTP_CHECK block per server',
      keepalived: 'log',
      message: 'write one SMTP_CHECK per server, with its connect_ip and connect_port.',
    },
  }),
];

const udpKeywords: KeywordDef[] = [
  ...checkerCommon(DEFAULT_TIMING, '2.1.0'),
  stmt('payload', 'Datagram to send, in hex digits (spaces allowed)', '2.2.0', [p('hex', hex()), rest('more', hex())]),
  stmt('require_reply', 'Require a reply, optionally matching these hex digits (x: any nibble)', '2.1.0', [rest('pattern', word)]),
  stmt('min_reply_length', 'Shortest acceptable reply in bytes', '2.2.0', [p('bytes', uint(0, 65535))], { default: '0' }),
  stmt('max_reply_length', 'Longest acceptable reply in bytes', '2.2.0', [p('bytes', uint(0, 65535))], { default: '255' }),
];

const dnsKeywords: KeywordDef[] = [
  ...checkerCommon({ retry: '3', delayBeforeRetry: 'delay_loop' }, '1.3.0', {
    connect_ip: '1.3.0',
    connect_port: '1.3.0',
    bindto: '1.3.0',
    bind_port: '1.3.0',
    connect_timeout: '1.3.0',
    fwmark: '1.3.0',
    retry: '1.3.0',
  }),
  stmt('type', 'Record type to query', '1.3.0', [p('type', oneOf(DNS_TYPES, true))], { default: 'SOA' }),
  stmt('name', 'Domain name to query (no empty labels)', '1.3.0', [p('domain', text())], { repeat: 'error', default: 'the root (.)' }),
];

const fileKeywords: KeywordDef[] = [
  stmt('track_file', 'The track_file whose value sets the server weight; required', '2.1.0', [p('track_file', ref('track_file'))], {
    required: true,
  }),
  stmt('weight', 'Multiplier of the file value; reverse makes a higher value lower the weight', '2.1.0', [], {
    syntax: syntax(
      [p('weight', int(-IPVS_WEIGHT_LIMIT, IPVS_WEIGHT_LIMIT))],
      [
        { name: 'reverse', excludes: ['noreverse'], summary: 'Subtract instead of add' },
        { name: 'noreverse', excludes: ['reverse'], summary: 'Add (the default)' },
      ],
      'error',
    ),
    default: "the track_file's weight",
  }),
];

const bfdKeywords: KeywordDef[] = [
  stmt('name', 'The bfd_instance to follow; required', '2.0.0', [], {
    syntax: strict(p('bfd_instance', ref('bfd_instance'))),
    repeat: 'error',
    required: true,
  }),
  stmt('alpha', 'Start with the check failed until the session is up', '2.0.0', OPTIONAL_BOOL, { default: "the real server's" }),
];

const blocks = [
  blockDef('SSL', 'SSL context of the SSL_GET checkers (none: one is generated)', sslKeywords),
  blockDef('virtual_server', 'An IPVS service: scheduling, persistence, quorum and its real servers', virtualServerKeywords),
  blockDef('real_server', 'A real server of a virtual server and its health checkers', realServerKeywords),
  blockDef('MISC_CHECK', 'Script health check', miscKeywords),
  blockDef('SMTP_CHECK', 'SMTP health check', smtpKeywords),
  blockDef(
    'SMTP_CHECK.host',
    'Deprecated per-host connection options of an SMTP_CHECK (at HEAD the keywords act on the enclosing SMTP_CHECK)',
    checkerCommon(DEFAULT_TIMING, '1.1.8', smtpHostEarlier),
  ),
  blockDef(
    'TCP_CHECK',
    'TCP connect health check',
    checkerCommon(DEFAULT_TIMING, '1.1.0', {
      connect_ip: '1.2.13',
      connect_port: '1.1.0',
      bindto: '1.1.2',
      bind_port: '1.2.13',
      connect_timeout: '1.1.0',
      fwmark: '1.2.13',
      retry: '1.2.20',
      delay_before_retry: '1.2.20',
      warmup: '1.2.13',
    }),
  ),
  blockDef('PING_CHECK', 'ICMP echo health check', checkerCommon(DEFAULT_TIMING, '2.1.0')),
  blockDef('UDP_CHECK', 'UDP health check', udpKeywords),
  blockDef('HTTP_GET', 'HTTP health check', httpKeywords('HTTP_GET')),
  blockDef('HTTP_GET.url', 'A page fetched by HTTP_GET and how to verify it', urlKeywords('HTTP_GET')),
  blockDef('SSL_GET', 'HTTPS health check', httpKeywords('SSL_GET')),
  blockDef('SSL_GET.url', 'A page fetched by SSL_GET and how to verify it', urlKeywords('SSL_GET')),
  blockDef('DNS_CHECK', 'DNS query health check', dnsKeywords),
  blockDef('FILE_CHECK', 'Real server weight driven by a track_file', fileKeywords),
  blockDef('BFD_CHECK', 'Real server state driven by a BFD session', bfdKeywords),
];

const rootKeywords: KeywordDef[] = [
  block('SSL', 'SSL context for the SSL_GET checkers', '1.1.0', syntax(), 'SSL', { repeat: 'error' }),
  list('virtual_server_group', 'Named set of addresses, ranges and fwmarks served as one virtual server', '1.1.0', 'vsg-entry', {
    syntax: syntax([p('name', name('virtual_server_group'))]),
  }),
  block('virtual_server', 'An IPVS virtual service and its real servers', '1.1.0', virtualServerHeader, 'virtual_server'),
];

const items: ItemDef[] = [
  {
    kind: 'vsg-entry',
    summary:
      'One member of a virtual_server_group: IP, IP-LASTOCTET (10.0.0.1-10), IPSTART-IPEND or IP/PREFIX (host bits zero), ' +
      'each with an optional port (0: none); or, starting with fwmark, fwmark N [inet|inet6]',
    syntax: {
      forms: [
        {
          when: 'fwmark',
          syntax: syntax([p('mark', uint(0, UINT32_MAX)), opt('family', oneOf(['inet', 'inet6']))]),
          summary: 'Firewall-mark member; without a family it follows the real servers',
        },
        { syntax: syntax([p('address', word), opt('port', port(true))]), summary: 'Address, range or prefix with an optional port' },
      ],
    },
  },
];

const removed: RemovedKeyword[] = [
  {
    name: 'nat_mask',
    block: 'virtual_server',
    lastAccepted: '1.2.19',
    message: 'removed after 1.2.19; delete it.',
  },
  {
    name: 'CI-LINUX',
    block: 'real_server',
    lastAccepted: '1.1.4',
    message: 'the CI-LINUX checker (Compaq Cluster Infrastructure, _WITH_CI_LINUX_ builds) was removed after 1.1.4; use another checker.',
  },
  {
    name: 'dynamic',
    block: 'FILE_CHECK',
    message: 'the man page documents FILE_CHECK dynamic, but keepalived never registered it; delete it.',
  },
];

export const lvsPart: SchemaPart = { rootKeywords, blocks, items, removed };
