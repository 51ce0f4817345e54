/**
 * VRRP and the trackers: `vrrp_instance`, `vrrp_sync_group`, `garp_group`,
 * static addresses/routes/rules with their `track_group`, `vrrp_script`,
 * `vrrp_track_process`, `track_file` and `bfd_instance`, with the item
 * syntax of their value blocks.
 *
 * Ground truth: keepalived's `vrrp/vrrp_parser.c:init_vrrp_keywords`,
 * `trackers/track_file.c:add_track_file_keywords`, `bfd/bfd_parser.c:init_bfd_keywords`
 * and the item readers `alloc_ipaddress`, `alloc_route`, `alloc_rule`,
 * `alloc_vrrp_unicast_peer` and `vrrp_track.c`.
 */
import {
  block,
  blockDef,
  decimal,
  either,
  flag,
  group,
  ifname,
  int,
  INT32_MAX,
  ip,
  list,
  mac,
  name,
  oneOf,
  opt,
  option,
  OPTIONAL_BOOL,
  p,
  path,
  ref,
  reportedBy,
  rest,
  script,
  scriptStmt,
  stmt,
  syntax,
  text,
  uint,
  UINT32_MAX,
  user,
  word,
} from './dsl.ts';
import type { BlockKeyword, ItemDef, ObjectKind, OptionDef, Param, SchemaPart, StatementKeyword, Syntax, Version } from './types.ts';

// Build options: the #ifdef around each install_keyword.
const VRRP = ['_WITH_VRRP_'];
const VMAC = ['_HAVE_VRRP_VMAC_'];
const TRACK_PROCESS = ['_WITH_TRACK_PROCESS_'];
const BFD = ['_WITH_BFD_'];
const AUTH = ['_WITH_VRRP_AUTH_'];

/** An option of an item line or statement, with its one-line summary. */
function o(optionName: string, summary: string, params: Param[] = [], extras: Partial<OptionDef> = {}): OptionDef {
  return { ...option(optionName, ...params), summary, ...extras };
}

/** A statement whose words include named options. */
function stmtWith(
  keyword: string,
  summary: string,
  since: Version,
  words: Syntax,
  extras: Partial<StatementKeyword> = {},
): StatementKeyword {
  return stmt(keyword, summary, since, [], { ...extras, syntax: words });
}

/** A top-level block; each occurrence defines one more object. */
function objectBlock(
  keyword: string,
  summary: string,
  since: Version,
  header: Syntax,
  blockId: string,
  extras: Partial<BlockKeyword> = {},
): BlockKeyword {
  return block(keyword, summary, since, header, blockId, { repeat: 'append', build: VRRP, ...extras });
}

/** The header `NAME` of a block keepalived skips when the name is missing or followed by more words. */
const strictName = (kind: ObjectKind): Syntax => syntax([p('name', name(kind))], undefined, 'error');

/** The header `NAME`; keepalived ignores any further words. */
const plainName = (kind: ObjectKind, maxLength?: number): Syntax => syntax([p('name', name(kind, maxLength))]);



/** The `lock` word some route metrics accept before their value. */
const lock = opt('lock', oneOf(['lock']));

/** `weight W [reverse]` of the tracked objects themselves. */
function weighted(limit: number, reverseSummary: string): Syntax {
  return syntax([p('weight', int(-limit, limit))], [o('reverse', reverseSummary)]);
}

/** The `weight W [reverse|noreverse]` tail of tracker entries. */
function weightOptions(limit: number, noreverse: boolean): OptionDef[] {
  const weight = o('weight', 'Priority change while the tracked object is down (up with reverse)', [p('weight', int(-limit, limit))]);
  if (!noreverse) return [weight, o('reverse', 'Apply the weight while the object is up instead', [], { after: 'weight' })];
  return [
    weight,
    o('reverse', 'Apply the weight while the object is up instead', [], { after: 'weight', excludes: ['noreverse'] }),
    o('noreverse', "Cancel the tracked object's own reverse", [], { after: 'weight', excludes: ['reverse'] }),
  ];
}

// Address items (virtual_ipaddress, virtual_ipaddress_excluded, static_ipaddress)

const addressOptions: OptionDef[] = [
  o('dev', 'Interface to add the address to', [p('interface', ifname)]),
  // The value is an IPv4 address, or `+` / `-` to set or clear the host bits.
  o('brd', 'IPv4 broadcast address, or + / - to derive it from the prefix', [p('broadcast', word)], { aliases: ['broadcast'] }),
  o('scope', 'Address scope: global, site, link, host, nowhere, a number or an rt_scopes name (IPv4 only)', [p('scope', word)]),
  o('label', 'Address label, at most 15 characters (IPv4 only)', [p('label', text(15, 'dropped'))]),
  o('peer', 'Address of the other end of a point-to-point link', [p('address', ip({ prefix: 'never' }))]),
  o('home', 'Mark the address as a Mobile IPv6 home address'),
  o('-nodad', 'Skip duplicate address detection (IPv6)'),
  o('mngtmpaddr', 'Let the kernel manage temporary addresses from this prefix (IPv6)'),
  o('noprefixroute', 'Do not add the prefix route for the address'),
  o('autojoin', 'Join the multicast group of a multicast address'),
  // `forever` or a number of seconds.
  o('preferred_lft', 'Preferred lifetime in seconds, or forever (IPv6)', [p('lifetime', word)]),
  o('no_track', 'Do not track the address: a VIP removed by someone else does not cost MASTER state'),
];

const trackGroupOption = o('track_group', "Track group whose instances follow the item's interface; needs an interface", [
  p('group', ref('track_group')),
]);

// Route items (virtual_routes, static_routes)

const routeTypes = [
  'unicast',
  'local',
  'nat',
  'broadcast',
  'brd',
  'anycast',
  'multicast',
  'prohibit',
  'unreachable',
  'blackhole',
  'xresolve',
  'throw',
];

// A destination is ADDR[/PREFIX], `default`, `any`, `all` or the deprecated `default6`.
const routeDestination = either(ip({ prefix: 'optional' }), oneOf(['default', 'any', 'all', 'default6']));
const routeParams = [opt('type', oneOf(routeTypes)), p('destination', routeDestination)];

const routeOptions: OptionDef[] = [
  o('to', 'Optional word before the destination'),
  o('inet', 'Force an IPv4 route', [], { excludes: ['inet6'] }),
  o('inet6', 'Force an IPv6 route', [], { excludes: ['inet'] }),
  o('src', 'Preferred source address for the route', [p('address', ip({ prefix: 'never' }))]),
  o('via', 'Gateway address', [opt('family', oneOf(['inet', 'inet6'])), p('address', ip({ prefix: 'never' }))]),
  o('gw', 'Old spelling of via', [opt('family', oneOf(['inet', 'inet6'])), p('address', ip({ prefix: 'never' }))], {
    deprecated: { since: '1.2.24', replacement: 'via', keepalived: 'error', message: 'use "via" instead.' },
  }),
  o('from', 'Source prefix the route applies to (IPv6 only)', [p('prefix', ip({ family: 6, prefix: 'optional' }))]),
  o('tos', 'Type of service (dsfield) value or name', [p('tos', word)], { aliases: ['dsfield'] }),
  o('table', 'Routing table number or rt_tables name', [p('table', word)]),
  o('protocol', 'Routing protocol number or rt_protos name (tracked routes are forced to keepalived)', [p('protocol', word)]),
  o('scope', 'Route scope number or rt_scopes name', [p('scope', word)]),
  o('metric', 'Route metric', [p('metric', uint())], { aliases: ['priority', 'preference'] }),
  o('dev', 'Output interface', [p('interface', ifname)], { aliases: ['oif'] }),
  o('onlink', 'Treat the gateway as directly reachable on the interface'),
  // mpls LABELS | ip/ip6 with id, dst, src, tos/tc, ttl/hoplimit, flags pairs | ila LOCATOR.
  o('encap', 'Lightweight tunnel encapsulation: mpls, ip, ip6 or ila with their settings', [
    p('type', oneOf(['mpls', 'ip', 'ip6', 'ila'])),
    rest('settings', word),
  ]),
  o('expires', 'Lifetime of the route in seconds (IPv6)', [p('seconds', uint())]),
  o('mtu', 'Path MTU', [lock, p('mtu', uint())]),
  o('hoplimit', 'Hop limit for packets using the route', [p('hoplimit', uint(0, 255))]),
  o('advmss', 'Advertised TCP MSS', [lock, p('mss', uint())]),
  // Times take an optional s/sec/secs or ms suffix and lie within 0.2 s .. 120 s.
  o('rtt', 'Initial TCP round-trip time estimate', [lock, p('time', word)]),
  o('rttvar', 'Initial TCP round-trip time variance', [lock, p('time', word)]),
  o('rto_min', 'Minimum TCP retransmission timeout', [lock, p('time', word)]),
  o('reordering', 'Maximal TCP reordering', [lock, p('packets', uint())]),
  o('window', 'Maximal TCP window', [p('bytes', uint())]),
  o('cwnd', 'TCP congestion window clamp', [lock, p('packets', uint())]),
  o('ssthresh', 'Initial TCP slow start threshold', [lock, p('packets', uint())]),
  o('realms', 'Route realms as [FROM/]TO (IPv4)', [p('realms', word)]),
  o('initcwnd', 'Initial TCP congestion window', [p('packets', uint())]),
  o('initrwnd', 'Initial TCP receive window', [p('packets', uint())]),
  o('features', 'Route features', [p('feature', oneOf(['ecn']))]),
  o('quickack', 'TCP quick ack', [p('enabled', uint(0, 1))]),
  o('congctl', 'TCP congestion control algorithm', [lock, p('algorithm', word)]),
  // low, medium, high or a number.
  o('pref', 'IPv6 router preference: low, medium, high or a number', [p('preference', word)]),
  o('ttl-propagate', 'MPLS TTL propagation', [p('mode', oneOf(['enabled', 'disabled']))]),
  o('fastopen_no_cookie', 'TCP Fast Open without a cookie', [p('enabled', uint(0, 1))]),
  o('add', 'Add the route as ip route add would', [], { excludes: ['prepend', 'append'] }),
  o('prepend', "Add the route ahead of others with the same destination (the kernel's default)", [], { excludes: ['add', 'append'] }),
  o('append', 'Add the route after others with the same destination', [], { excludes: ['add', 'prepend'] }),
  o('no_track', 'Do not track the route (nor force its protocol to keepalived)'),
  o('vrf', 'VRF whose table receives the route', [p('vrf', ifname)]),
  o('or', 'Old form of a second gateway', [p('address', ip({ prefix: 'never' }))], {
    deprecated: {
      since: '1.2.24',
      replacement: 'nexthop',
      keepalived: 'error',
      message: 'use "nexthop via A nexthop via B" instead.',
    },
  }),
  o('as', 'MPLS destination rewrite: [to] ADDR', [opt('to', oneOf(['to'])), p('address', word)], {
    deprecated: { keepalived: 'error', message: 'keepalived does not support it (MPLS only) and ignores it; remove it.' },
  }),
  // Each `nexthop` takes via [inet|inet6] ADDR, dev IFNAME, weight 1..256, onlink, encap ..., realms ...
  o('nexthop', 'Multipath next hops; must come last, one nexthop word per hop', [rest('hops', word)]),
];

// Rule items (virtual_rules, static_rules)

const ruleActions = ['table', 'goto', 'nop', 'blackhole', 'prohibit', 'unreachable', 'l3mdev'];
const otherActions = (action: string): string[] => ruleActions.filter((a) => a !== action);

const rulePrefix = either(ip({ prefix: 'optional' }), oneOf(['all', 'default', 'any']));

const ruleOptions: OptionDef[] = [
  o('inet', 'Force an IPv4 rule', [], { excludes: ['inet6'] }),
  o('inet6', 'Force an IPv6 rule', [], { excludes: ['inet'] }),
  o('from', 'Source prefix to match, or all', [p('prefix', rulePrefix)]),
  o('to', 'Destination prefix to match, or all', [p('prefix', rulePrefix)]),
  o('not', 'Invert the match'),
  o('table', 'Look up this routing table (number other than 0, or rt_tables name)', [p('table', word)], {
    aliases: ['lookup'],
    excludes: otherActions('table'),
  }),
  o('preference', 'Rule priority; keepalived assigns one (with an error) when missing', [p('preference', uint(0, UINT32_MAX, true))], {
    aliases: ['order', 'priority'],
  }),
  o('tos', 'Type of service (dsfield) value or name', [p('tos', word)], { aliases: ['dsfield'] }),
  o('fwmark', 'Firewall mark to match as N[/MASK]', [p('mark', word)]),
  o('realms', 'Realms to match as [FROM/]TO (IPv4, table action only)', [p('realms', word)]),
  o('suppress_prefixlength', 'Ignore routing results with this prefix length or shorter', [p('length', uint(0, INT32_MAX))], {
    aliases: ['sup_pl'],
  }),
  o('suppress_ifgroup', 'Ignore routing results through interfaces of this group', [p('group', word)], { aliases: ['sup_group'] }),
  o('dev', 'Incoming interface to match', [p('interface', ifname)], { aliases: ['iif'] }),
  o('oif', 'Outgoing interface to match', [p('interface', ifname)]),
  o('tunnel-id', 'Tunnel id to match', [p('id', uint(0, 2 ** 64 - 1))]),
  o('uidrange', 'User id range to match as A-B', [p('range', word)]),
  o('l3mdev', 'Look up the table of the L3 master device (VRF)', [], { excludes: otherActions('l3mdev') }),
  o('protocol', 'Protocol number recorded with the rule (tracked rules are forced to keepalived)', [p('protocol', uint(0, 255))]),
  o('ipproto', 'IP protocol to match, by name or number', [p('protocol', word)]),
  o('sport', 'Source port or range N[-M] to match', [p('ports', word)]),
  o('dport', 'Destination port or range N[-M] to match', [p('ports', word)]),
  o('no_track', 'Do not track the rule (nor force its protocol to keepalived)'),
  o('type', 'Optional word before the action'),
  o('goto', 'Jump to the rule with this preference (must be after this rule)', [p('target', uint())], { excludes: otherActions('goto') }),
  o('nop', 'Do nothing', [], { excludes: otherActions('nop') }),
  o('blackhole', 'Drop matching packets silently', [], { excludes: otherActions('blackhole') }),
  o('prohibit', 'Reject matching packets as prohibited', [], { excludes: otherActions('prohibit') }),
  o('unreachable', 'Reject matching packets as unreachable', [], { excludes: otherActions('unreachable') }),
];

const items: ItemDef[] = [
  {
    kind: 'address',
    summary: 'A virtual address: ADDR[/PREFIX] followed by ip address options',
    syntax: syntax(
      [p('address', ip({ prefix: 'optional' }))],
      [...addressOptions, o('use_vmac', "Put the address on a VMAC of its dev's interface")],
      'error',
    ),
  },
  {
    kind: 'static-address',
    summary: 'An address keepalived adds at start-up regardless of VRRP state',
    syntax: syntax([p('address', ip({ prefix: 'optional' }))], [...addressOptions, trackGroupOption], 'error'),
  },
  {
    kind: 'route',
    summary: 'A route installed while the instance is MASTER, in ip route syntax',
    syntax: syntax(routeParams, routeOptions, 'error'),
  },
  {
    kind: 'static-route',
    summary: 'A route keepalived adds at start-up regardless of VRRP state',
    syntax: syntax(routeParams, [...routeOptions, trackGroupOption], 'error'),
  },
  {
    kind: 'rule',
    summary: 'A policy routing rule installed while the instance is MASTER, in ip rule syntax',
    syntax: syntax([], ruleOptions, 'error'),
  },
  {
    kind: 'static-rule',
    summary: 'A policy routing rule keepalived adds at start-up regardless of VRRP state',
    syntax: syntax([], [...ruleOptions, trackGroupOption], 'error'),
  },
  {
    kind: 'unicast-peer',
    summary: 'Address of another VRRP router to send adverts to',
    syntax: syntax(
      [p('address', ip({ prefix: 'never' }))],
      [
        o('min_ttl', 'Discard adverts from this peer arriving with a lower TTL', [p('ttl', uint(0, 255))]),
        o('max_ttl', 'Discard adverts from this peer arriving with a higher TTL', [p('ttl', uint(0, 255))]),
      ],
      'error',
    ),
  },
  {
    kind: 'track-interface',
    summary: 'An interface whose link state changes the priority (weight) or forces FAULT (no weight)',
    syntax: syntax([p('interface', ifname)], weightOptions(253, false)),
  },
  {
    kind: 'track-script',
    summary: 'A vrrp_script whose result changes the priority or forces FAULT',
    syntax: syntax([reportedBy({ undefined: 'track-script-undefined' }, p('script', ref('vrrp_script', 'when-read')))], weightOptions(253, true)),
  },
  {
    kind: 'track-file',
    summary: 'A track_file whose value, times the weight, changes the priority',
    syntax: syntax([p('file', ref('track_file', 'when-read'))], weightOptions(254, true)),
  },
  {
    kind: 'track-process',
    summary: 'A vrrp_track_process whose quorum state changes the priority or forces FAULT',
    syntax: syntax([p('process', ref('vrrp_track_process', 'when-read'))], weightOptions(254, true)),
  },
  {
    kind: 'track-bfd',
    summary: 'A bfd_instance whose session state changes the priority or forces FAULT',
    syntax: syntax([p('bfd', ref('bfd_instance', 'when-read'))], weightOptions(253, true)),
  },
  {
    kind: 'instance-name',
    summary: 'Names of vrrp_instance blocks, one or more per line',
    syntax: syntax([p('instance', ref('vrrp_instance')), rest('more_instances', ref('vrrp_instance'))]),
  },
  {
    kind: 'interface-name',
    summary: 'Interface names, one or more per line',
    syntax: syntax([p('interface', ifname), rest('more_interfaces', ifname)]),
  },
];

// track_group NAME { group { INSTANCE ... } }

const trackGroupBlock = blockDef('track_group', 'A named set of VRRP instances that static addresses, routes and rules follow', [
  list('group', 'The VRRP instances of the track group', '2.0.3', 'instance-name', { repeat: 'error' }),
]);

// vrrp_sync_group NAME { ... }

const syncGroupBlock = blockDef('vrrp_sync_group', 'VRRP instances that change state together', [
  list('group', 'The VRRP instances that make up the sync group (required)', '1.1.0', 'instance-name', { repeat: 'error', required: true }),
  list('track_interface', 'Interfaces tracked on behalf of every member', '2.0.0', 'track-interface', { repeat: 'append' }),
  list('track_script', 'Scripts tracked on behalf of every member', '2.0.0', 'track-script', { repeat: 'append' }),
  list('track_file', 'Track files followed on behalf of every member', '2.0.0', 'track-file', { repeat: 'append' }),
  list('track_process', 'Processes tracked on behalf of every member', '2.0.11', 'track-process', {
    repeat: 'append',
    build: TRACK_PROCESS,
  }),
  list('track_bfd', 'BFD sessions tracked on behalf of every member', '2.0.0', 'track-bfd', { repeat: 'append', build: BFD }),
  scriptStmt('notify_master', 'Script run when the group becomes MASTER', '1.1.0'),
  scriptStmt('notify_backup', 'Script run when the group becomes BACKUP', '1.1.0'),
  scriptStmt('notify_fault', 'Script run when the group enters FAULT', '1.1.0'),
  scriptStmt('notify_stop', 'Script run when the group stops', '2.0.0'),
  scriptStmt('notify', 'Script run on every state change, with GROUP NAME STATE PRIORITY appended', '1.1.2'),
  stmt('smtp_alert', 'Send an e-mail on state changes of the group', '1.1.0', OPTIONAL_BOOL, { default: 'off' }),
  stmt('notify_priority_changes', "Also notify when a member's priority changes", '2.2.0', OPTIONAL_BOOL, {
    default: 'global vrrp_notify_priority_changes',
  }),
  flag('sync_group_tracking_weight', 'Let members keep trackers with weights instead of forcing FAULT', '2.0.0', { default: 'off' }),
  flag('global_tracking', 'Old form of sync_group_tracking_weight', '1.2.3', {
    aliasOf: 'sync_group_tracking_weight',
    deprecated: {
      since: '2.0.0',
      replacement: 'sync_group_tracking_weight',
      keepalived: 'error',
      message: 'put the track_* blocks on the sync group, or use sync_group_tracking_weight.',
    },
  }),
]);

// garp_group { ... }

const garpGroupBlock = blockDef('garp_group', 'Rate limits for gratuitous ARP / unsolicited NA on a set of interfaces', [
  stmt('garp_interval', 'Delay between gratuitous ARPs sent on these interfaces, in seconds', '1.2.21', [
    p('seconds', decimal(6, 0, UINT32_MAX / 1e6)),
  ]),
  stmt('gna_interval', 'Delay between unsolicited neighbour adverts sent on these interfaces, in seconds', '1.2.21', [
    p('seconds', decimal(6, 0, UINT32_MAX / 1e6)),
  ]),
  stmt('interface', 'An interface the limits apply to (not a VMAC)', '1.2.21', [p('interface', ifname)], { repeat: 'append' }),
  list('interfaces', 'Interfaces sharing one aggregate limit', '1.2.21', 'interface-name', { repeat: 'append' }),
]);

// vrrp_instance NAME { ... }

const garpExtraIf = syntax([p('seconds', uint(0, 86400))], [o('all', 'Send on every interface with virtual addresses')]);

const vrrpInstanceBlock = blockDef('vrrp_instance', 'One VRRP virtual router', [
  // Identity, state, timers
  stmt('state', 'Initial state', '1.1.0', [p('state', oneOf(['MASTER', 'BACKUP']))], { default: 'MASTER if priority is 255, else BACKUP' }),
  stmt('interface', 'Interface VRRP adverts are sent and received on', '1.1.0', [p('interface', ifname)]),
  stmt('virtual_router_id', 'VRID shared by all routers of this virtual router (required)', '1.1.0', [reportedBy({ range: 'vrid-out-of-range' }, p('vrid', uint(1, 255)))], {
    required: true,
  }),
  stmt('priority', 'Base priority; 255 makes this router the address owner', '1.1.0', [reportedBy({ range: 'priority-out-of-range' }, p('priority', uint(1, 255)))], {
    default: '100 (255 with state MASTER)',
  }),
  stmt('advert_int', 'Advert interval in seconds', '1.1.0', [p('seconds', decimal(6, 0.01, 255))], { default: '1' }),
  stmt('version', 'VRRP protocol version', '1.2.17', [p('version', int(2, 3))], { default: 'global vrrp_version (2); 3 for IPv6' }),
  flag('native_ipv6', 'Force IPv6 and VRRP version 3', '1.2.1', {
    deprecated: {
      keepalived: 'silent',
      message: 'the address family follows from the addresses; remove it.',
    },
  }),
  flag('preempt', 'Allow a higher priority router to take over', '1.1.0', {
    default: 'on',
    deprecated: {
      keepalived: 'silent',
      message: 'preemption is the default; preempt only cancels an earlier nopreempt. Remove it.',
    },
  }),
  flag('nopreempt', 'Do not take over from a lower priority MASTER', '1.1.8', { default: 'off' }),
  stmt('preempt_delay', 'Seconds after start-up before preempting a lower priority MASTER', '1.1.8', [p('seconds', decimal(6, 0, 1000))], {
    default: '0',
  }),
  stmt('down_timer_adverts', 'Number of missed adverts after which the MASTER is deemed down', '2.2.3', [p('adverts', uint(1, 100))], {
    default: 'global vrrp_down_timer_adverts (3)',
  }),
  stmt(
    'timer_expired_backup',
    'With nopreempt, go BACKUP after running late if a router of up to this priority may have taken over',
    '2.2.8',
    [opt('priority', uint(1, 254))],
    { default: '254 when given without a value' },
  ),
  stmt('thread_timer_expired', 'Old spelling of timer_expired_backup', '2.3.2', [opt('priority', uint(1, 254))], {
    aliasOf: 'timer_expired_backup',
    deprecated: {
      since: '2.3.2',
      replacement: 'timer_expired_backup',
      keepalived: 'error',
      message: 'use timer_expired_backup instead.',
    },
  }),
  stmt('debug', 'Debug level (not implemented)', '1.1.0', [p('level', uint(0, 4))], { default: '0' }),
  stmt('strict_mode', 'Enforce strict RFC compliance for this instance', '1.2.20', OPTIONAL_BOOL, { default: 'global vrrp_strict' }),
  stmt(
    'skip_check_adv_addr',
    'Skip checking the addresses in adverts from the current MASTER (even false turns it on)',
    '1.2.20',
    OPTIONAL_BOOL,
    { default: 'global vrrp_skip_check_adv_addr' },
  ),
  stmt('lower_prio_no_advert', 'Do not answer lower priority adverts with an advert', '1.2.20', OPTIONAL_BOOL, {
    default: 'global vrrp_lower_prio_no_advert (on in strict mode)',
  }),
  stmt('higher_prio_send_advert', 'Send an advert before giving way to a higher priority router', '1.3.5', OPTIONAL_BOOL, {
    default: 'global vrrp_higher_prio_send_advert (off in strict mode)',
  }),
  stmt('owner_ignore_adverts', 'As address owner, ignore adverts from other routers', '2.3.3', OPTIONAL_BOOL, {
    default: 'global vrrp_owner_ignore_adverts (on for an owner in strict mode)',
  }),
  stmtWith('kernel_rx_buf_size', 'Kernel receive buffer size of the VRRP socket', '2.0.3', syntax([p('bytes', uint())], undefined, 'error')),

  // Addressing and transport
  list('virtual_ipaddress', 'Virtual addresses carried in adverts and added while MASTER', '1.1.0', 'address', { repeat: 'append' }),
  list('virtual_ipaddress_excluded', 'Addresses added while MASTER but left out of adverts (any family)', '1.1.0', 'address', {
    repeat: 'append',
  }),
  flag('no_virtual_ipaddress', 'Allow an instance without virtual addresses', '2.2.8'),
  list('virtual_routes', 'Routes added while MASTER', '1.1.0', 'route', { repeat: 'append' }),
  list('virtual_rules', 'Policy routing rules added while MASTER', '1.2.20', 'rule', { repeat: 'append' }),
  flag('promote_secondaries', 'Set promote_secondaries on the interface so deleting one address keeps the others', '1.3.0'),
  stmt('mcast_src_ip', 'Source address of adverts', '1.1.0', [p('address', ip({ prefix: 'never' }))], {
    default: 'primary address of the interface',
  }),
  stmt('unicast_src_ip', 'Source address of unicast adverts', '1.2.10', [p('address', ip({ prefix: 'never' }))], {
    default: 'primary address of the interface',
  }),
  stmt('mcast_dst_ip', 'Multicast group adverts are sent to', '2.2.5', [p('address', ip({ multicast: true, prefix: 'never' }))], {
    default: 'global vrrp_mcast_group4 / vrrp_mcast_group6 (224.0.0.18 / ff02::12)',
  }),
  list('unicast_peer', 'Routers to send unicast adverts to instead of multicast', '1.2.8', 'unicast-peer', { repeat: 'append' }),
  stmt('unicast_ttl', 'TTL / hop limit of unicast adverts', '2.1.0', [p('ttl', uint(0, 255))], { default: '255' }),
  flag('unicast_fault_no_peer', 'Stay in FAULT rather than fall back to multicast when there are no unicast peers', '2.2.5'),
  flag('check_unicast_src', 'Accept unicast adverts only from configured peers', '2.1.0'),
  stmt('old_unicast_checksum', 'Use the pre-1.3.6 unicast VRRPv3 checksum (never: stop detecting it)', '1.3.7', [
    opt('mode', oneOf(['never'])),
  ], { build: ['_WITH_UNICAST_CHKSUM_COMPAT_'] }),
  stmt('v3_checksum_as_v2', 'Leave the IPv4 pseudo-header out of VRRPv3 checksums', '2.2.8', OPTIONAL_BOOL, {
    default: 'global v3_checksum_as_v2',
  }),
  flag('track_src_ip', 'Go to FAULT when the configured source address disappears', '2.0.0'),
  stmt('vrf', 'VRF interface for a unicast instance without an interface', '2.2.5', [p('vrf', ifname)], {
    repeat: 'error',
    build: ['_HAVE_VRF_'],
  }),
  flag('dont_track_primary', 'Ignore faults of the instance interface', '1.1.8'),
  flag('accept', 'Accept packets to the virtual addresses while MASTER', '1.2.17', {
    default: 'on, except in strict mode below priority 255',
  }),
  flag('no_accept', 'Drop packets to the virtual addresses while MASTER', '1.3.0', { build: ['_WITH_FIREWALL_'] }),
  // The interface name and the MAC (5 octets: the VRID is the 6th) may come in any order.
  stmtWith(
    'use_vmac',
    'Use a macvlan interface with the VRRP MAC address',
    '1.2.3',
    syntax(
      [opt('interface', ifname), opt('mac', mac())],
      [
        o('name', 'Name of the VMAC interface', [p('interface', ifname)]),
        o('netlink_notify_msg', 'Send a netlink message when the VMAC is created'),
        o('group', 'Interface group for the VMAC', [p('group', word)]),
      ],
    ),
    { default: 'interface vrrp.VRID (prefix from global vmac_prefix)', build: VMAC },
  ),
  flag('use_vmac_addr', 'Also create VMACs on the interfaces of virtual addresses with their own dev', '2.2.0', {
    build: VMAC,
  }),
  flag('vmac_xmit_base', 'Send and receive adverts on the base interface instead of the VMAC', '1.2.10', {
    build: VMAC,
  }),
  stmtWith(
    'use_ipvlan',
    'Use an ipvlan interface for the virtual addresses',
    '2.0.17',
    syntax(
      [opt('interface', ifname), opt('address', ip({ prefix: 'optional' }))],
      [
        o('name', 'Name of the ipvlan interface', [p('interface', ifname)]),
        o('bridge', 'ipvlan bridge mode', [], { excludes: ['private', 'vepa'] }),
        o('private', 'ipvlan private mode', [], { excludes: ['bridge', 'vepa'] }),
        o('vepa', 'ipvlan VEPA mode', [], { excludes: ['bridge', 'private'] }),
        o('group', 'Interface group for the ipvlan', [p('group', word)]),
      ],
    ),
    { repeat: 'error', build: ['_HAVE_VRRP_IPVLAN_'] },
  ),
  stmt('garp_master_delay', 'Seconds after becoming MASTER before the second gratuitous ARP burst', '1.1.0', [p('seconds', uint(0, 4294))], {
    default: 'global vrrp_garp_master_delay (5)',
  }),
  stmt('garp_master_repeat', 'Gratuitous ARPs sent in each burst', '1.2.14', [p('count', uint(1, UINT32_MAX))], {
    default: 'global vrrp_garp_master_repeat (5)',
  }),
  stmt('garp_master_refresh', 'Seconds between gratuitous ARP refreshes while MASTER (0 = none)', '1.2.10', [p('seconds', uint())], {
    default: 'global vrrp_garp_master_refresh (0)',
  }),
  stmt('garp_master_refresh_repeat', 'Gratuitous ARPs sent at each refresh', '1.2.14', [p('count', uint(1, UINT32_MAX))], {
    default: 'global vrrp_garp_master_refresh_repeat (1)',
  }),
  stmt('garp_lower_prio_delay', 'Seconds before the second burst after a lower priority advert', '1.2.20', [p('seconds', uint(0, 4294))], {
    default: 'global vrrp_garp_lower_prio_delay (0 in strict mode)',
  }),
  stmt('garp_lower_prio_repeat', 'Gratuitous ARPs sent after a lower priority advert', '1.2.20', [p('count', uint(0, INT32_MAX))], {
    default: 'global vrrp_garp_lower_prio_repeat (0 in strict mode)',
  }),
  stmtWith('garp_extra_if', 'Seconds between gratuitous ARPs on the base interface of a VMAC (or all interfaces)', '2.2.3', garpExtraIf, {
    default: 'global vrrp_garp_extra_if',
    build: VMAC,
  }),
  stmtWith('vmac_garp_intvl', 'Old spelling of garp_extra_if', '2.2.0', garpExtraIf, {
    aliasOf: 'garp_extra_if',
    build: VMAC,
    deprecated: {
      since: '2.2.3',
      replacement: 'garp_extra_if',
      keepalived: 'error',
      message: 'use garp_extra_if instead.',
    },
  }),
  flag('linkbeat_use_polling', 'Poll the link state of the instance interface', '2.0.0', {
    build: ['_WITH_LINKBEAT_'],
    deprecated: {
      since: '2.0.13',
      replacement: 'linkbeat_interfaces',
      keepalived: 'error',
      message: 'inside vrrp_instance it is deprecated; list the interface in a top-level linkbeat_interfaces block.',
    },
  }),
  stmt('lvs_sync_daemon_interface', 'Interface of the IPVS sync daemon driven by this instance', '1.1.0', [p('interface', ifname)], {
    repeat: 'error',
    build: ['_WITH_LVS_'],
    deprecated: {
      since: '1.2.20',
      replacement: 'global_defs { lvs_sync_daemon IFNAME inst INSTANCE }',
      keepalived: 'error',
      message: "use 'lvs_sync_daemon IFNAME inst INSTANCE' in global_defs instead.",
    },
  }),

  // Tracking
  list('track_interface', 'Interfaces whose link state affects this instance', '1.1.0', 'track-interface', { repeat: 'append' }),
  list('track_script', 'vrrp_scripts whose results affect this instance', '1.1.13', 'track-script', { repeat: 'append' }),
  list('track_file', 'track_files whose values affect this instance', '2.0.0', 'track-file', { repeat: 'append' }),
  list('track_process', 'vrrp_track_processes whose state affects this instance', '2.0.11', 'track-process', {
    repeat: 'append',
    build: TRACK_PROCESS,
  }),
  list('track_bfd', 'bfd_instances whose session state affects this instance', '2.0.0', 'track-bfd', {
    repeat: 'append',
    build: BFD,
  }),

  // Notification
  scriptStmt('notify_master', 'Script run when the instance becomes MASTER', '1.1.0'),
  scriptStmt('notify_backup', 'Script run when the instance becomes BACKUP', '1.1.0'),
  scriptStmt('notify_fault', 'Script run when the instance enters FAULT', '1.1.0'),
  scriptStmt('notify_stop', 'Script run when the instance stops', '1.1.13'),
  scriptStmt('notify_master_rx_lower_pri', 'Script run when the MASTER receives an advert of lower priority', '2.0.6'),
  scriptStmt('notify', 'Script run on every state change, with INSTANCE NAME STATE PRIORITY appended', '1.1.2'),
  stmt('notify_deleted', 'Report DELETED rather than FAULT when a reload removes the instance, optionally running a script', '2.1.0', [
    opt('script', script),
    opt('user', user),
    opt('group', group),
  ], { quoted: true, repeat: 'error' }),
  stmt('smtp_alert', 'Send an e-mail on state changes of the instance', '1.1.0', OPTIONAL_BOOL, {
    default: 'global smtp_alert_vrrp, else smtp_alert, else off',
  }),
  stmt('notify_priority_changes', 'Also notify when the priority changes', '2.0.16', OPTIONAL_BOOL, {
    default: 'sync group setting, else global vrrp_notify_priority_changes',
  }),

  // Authentication
  block('authentication', 'Legacy VRRPv2 authentication', '1.1.0', syntax(), 'authentication', { build: AUTH }),
  block('auth_hmac', 'HMAC-SHA256 authentication of adverts (keepalived extension)', '2.4.0', syntax(), 'auth_hmac', {
    build: AUTH,
  }),
]);

const authenticationBlock = blockDef('authentication', 'Legacy VRRPv2 authentication (not for VRRPv3 or strict mode)', [
  stmt('auth_type', 'Authentication method: PASS (clear text) or AH (IPv4 only)', '1.1.0', [p('type', oneOf(['PASS', 'AH']))]),
  stmt('auth_pass', 'Password; only the first 8 characters are used', '1.1.0', [reportedBy({ length: 'auth-pass-too-long' }, p('password', text(8, 'truncated')))]),
]);

const authHmacBlock = blockDef('auth_hmac', 'HMAC-SHA256 authentication of adverts', [
  // VALUE is ASCII, hex:HEX or file:PATH holding either form; 32 to 64 bytes once decoded.
  stmt('key', 'A key: id 1..255 and its value (text, hex:HEX or file:PATH, 32 to 64 bytes)', '2.4.0', [
    p('id', uint(1, 255)),
    p('value', word),
  ], { repeat: 'append' }),
  stmt('active_key', 'Id of the key used to sign adverts (must be defined)', '2.4.0', [p('id', uint(1, 255))]),
  stmt('anti_replay', 'Replay protection based on wall-clock time or a monotonic counter', '2.4.0', [
    p('method', oneOf(['time', 'monotonic'])),
  ], { default: 'time' }),
  stmt('time_window', 'Accepted clock skew in seconds for time-based replay protection', '2.4.0', [p('seconds', uint(1, 300))], {
    default: 'three advert intervals, at least 5, at most 300',
  }),
  stmt('mode', 'How to treat adverts that fail verification', '2.4.0', [p('mode', oneOf(['enforce', 'permissive', 'receive-only']))], {
    default: 'enforce (forced in strict mode)',
  }),
]);

// vrrp_script NAME { ... }

const vrrpScriptBlock = blockDef('vrrp_script', 'A command run periodically whose exit status is tracked', [
  stmt('script', 'Command to run (required)', '1.1.13', [p('script', script)], { quoted: true, required: true }),
  stmt('interval', 'Seconds between runs', '1.1.13', [p('seconds', decimal(3, 0.001, 4294))], { default: '1' }),
  stmt('timeout', 'Seconds after which a run counts as failed', '1.2.6', [p('seconds', decimal(3, 0.001, 4294))], {
    default: 'the interval',
  }),
  stmtWith(
    'weight',
    'Priority change while the script fails (succeeds with reverse)',
    '1.1.13',
    weighted(253, 'Apply the weight while the script succeeds'),
    { default: '0 (failure forces FAULT)' },
  ),
  stmt('rise', 'Successes in a row needed to count as up', '1.1.18', [p('count', uint(1, INT32_MAX))], { default: '1' }),
  stmt('fall', 'Failures in a row needed to count as down', '1.1.18', [p('count', uint(1, INT32_MAX))], { default: '1' }),
  stmt('user', 'User and group to run the script as', '1.3.0', [p('user', user), opt('group', group)], { default: 'global script_user' }),
  flag('init_fail', 'Start in the failed state', '1.3.2', { default: 'starts as succeeded' }),
]);

// vrrp_track_process NAME { ... }

const trackProcessBlock = blockDef('vrrp_track_process', 'A process whose number of running instances is tracked', [
  stmt('process', 'Process name, optionally followed by the parameters to match (required)', '2.0.11', [
    p('name', word),
    rest('parameter', word),
  ], { repeat: 'error', required: true }),
  stmt('param_match', 'How the parameters are matched: exactly, as the initial ones, or anywhere', '2.0.16', [
    opt('mode', oneOf(['initial', 'partial'])),
  ], { default: 'exact' }),
  flag('full_command', 'Match against the full command line instead of the process name', '2.0.11'),
  stmtWith(
    'weight',
    'Priority change while the quorum is not met (met with reverse)',
    '2.0.11',
    weighted(254, 'Apply the weight while the quorum is met'),
    { repeat: 'error', default: '0 (quorum loss forces FAULT)' },
  ),
  stmt('quorum', 'Minimum number of running processes', '2.0.11', [p('count', uint(1, 65535))], { default: '1' }),
  stmt('quorum_max', 'Maximum number of running processes (0: none may run)', '2.0.16', [p('count', uint(0, 65535))], {
    default: 'no maximum',
  }),
  stmt('delay', 'Seconds to wait before acting on a process start or exit', '2.0.11', [p('seconds', decimal(6, 0.000001, 3600))], {
    default: '0',
  }),
  stmt('terminate_delay', 'Seconds to wait before acting on a process exit', '2.0.16', [p('seconds', decimal(6, 0.000001, 3600))], {
    default: '0',
  }),
  stmt('fork_delay', 'Seconds to wait before acting on a process start', '2.0.16', [p('seconds', decimal(6, 0.000001, 3600))], {
    default: '0',
  }),
]);

// track_file NAME { ... }

const trackFileBlock = blockDef('track_file', 'A file holding a number that adjusts the priority', [
  stmt('file', 'Path of the watched file (required)', '2.0.0', [p('path', path())], { repeat: 'error', required: true }),
  stmtWith('weight', 'Multiplier applied to the number in the file', '2.0.0', weighted(254, 'Negate the number in the file'), {
    repeat: 'error',
    default: '1',
  }),
  stmtWith(
    'init_file',
    'Create the file with this value at start-up if it is missing (always with overwrite)',
    '2.0.0',
    syntax([opt('value', int(-254, 254))], [o('overwrite', 'Write the value even if the file exists')], 'error'),
    { default: '0' },
  ),
]);

// bfd_instance NAME { ... }

const bfdInstanceBlock = blockDef('bfd_instance', 'A BFD session with a neighbour', [
  stmt('neighbor_ip', 'Address of the BFD neighbour (required)', '2.0.0', [p('address', ip({ prefix: 'never' }))], { required: true }),
  stmt('neighbour_ip', 'Address of the BFD neighbour (required)', '2.0.0', [p('address', ip({ prefix: 'never' }))], {
    aliasOf: 'neighbor_ip',
  }),
  stmt('source_ip', 'Local source address, of the same family as the neighbour', '2.0.0', [p('address', ip({ prefix: 'never' }))]),
  stmt('min_rx', 'Minimum receive interval in milliseconds', '2.0.0', [p('milliseconds', decimal(3, 1, 4294967))], { default: '10' }),
  stmt('min_tx', 'Minimum transmit interval in milliseconds', '2.0.0', [p('milliseconds', decimal(3, 1, 4294967))], { default: '10' }),
  stmt('idle_tx', 'Transmit interval in milliseconds while the session is down', '2.0.0', [p('milliseconds', decimal(3, 1000, 4294967))], {
    default: '1000',
  }),
  stmt('multiplier', 'Missed packets after which the session goes down', '2.0.0', [p('count', uint(1, 255))], { default: '5' }),
  flag('passive', 'Wait for the neighbour to start the session', '2.0.0', { default: 'active' }),
  stmt('ttl', 'TTL / hop limit of outgoing packets', '2.0.0', [p('ttl', uint(1, 255))], { default: '255 (IPv4), 64 (IPv6)' }),
  stmt('hoplimit', 'TTL / hop limit of outgoing packets', '2.0.0', [p('ttl', uint(1, 255))], { aliasOf: 'ttl' }),
  stmt('max_hops', 'Largest TTL reduction accepted on received packets (255: no check)', '2.0.0', [p('hops', int(-1, 255))], {
    default: '0',
  }),
  stmt('multihop', 'Multihop session on port 4784', '2.2.8', OPTIONAL_BOOL, { default: 'off' }),
  stmtWith(
    'weight',
    'Priority change for tracking instances while the session is down (up with reverse)',
    '2.0.0',
    weighted(253, 'Apply the weight while the session is up'),
    { default: '0 (session down forces FAULT)', build: VRRP },
  ),
  flag('vrrp', 'Report session changes to VRRP (with checker: to both)', '2.0.0', { default: 'VRRP and checker', build: VRRP }),
  flag('checker', 'Report session changes to the checker (with vrrp: to both)', '2.0.0', {
    default: 'VRRP and checker',
    build: ['_WITH_LVS_'],
  }),
]);

const staticList = { repeat: 'append', build: VRRP } as const;

const rootKeywords = [
  objectBlock('track_group', 'VRRP instances that static items can follow', '2.0.3', strictName('track_group'), 'track_group'),
  list('static_ipaddress', 'Addresses added at start-up whatever the VRRP state', '1.1.0', 'static-address', staticList),
  list('static_routes', 'Routes added at start-up whatever the VRRP state', '1.1.0', 'static-route', staticList),
  list('static_rules', 'Policy routing rules added at start-up whatever the VRRP state', '1.2.20', 'static-rule', staticList),
  objectBlock('vrrp_sync_group', 'VRRP instances that change state together', '1.1.0', strictName('vrrp_sync_group'), 'vrrp_sync_group'),
  objectBlock('garp_group', 'Gratuitous ARP / NA rate limits for a set of interfaces', '1.2.21', syntax(), 'garp_group'),
  objectBlock('vrrp_instance', 'A VRRP virtual router', '1.1.0', strictName('vrrp_instance'), 'vrrp_instance'),
  objectBlock('vrrp_script', 'A periodically run check command for VRRP tracking', '1.1.13', plainName('vrrp_script'), 'vrrp_script'),
  objectBlock('vrrp_track_process', 'A process watched by VRRP', '2.0.11', plainName('vrrp_track_process'), 'vrrp_track_process', {
    build: [...VRRP, ...TRACK_PROCESS],
  }),
  block('track_file', 'A file whose number adjusts priorities and weights', '2.1.0', plainName('track_file'), 'track_file', {
    repeat: 'append',
  }),
  objectBlock('vrrp_track_file', 'Old name of track_file', '2.0.0', plainName('track_file'), 'track_file', {
    aliasOf: 'track_file',
    deprecated: {
      since: '2.1.0',
      replacement: 'track_file',
      keepalived: 'log',
      message: 'use track_file instead.',
    },
  }),
  // keepalived ignores the block when the name has 32 characters or more.
  objectBlock('bfd_instance', 'A BFD session that VRRP and checkers can track', '2.0.0', plainName('bfd_instance', 31), 'bfd_instance', {
    build: BFD,
  }),
];

export const vrrpPart: SchemaPart = {
  rootKeywords,
  blocks: [
    trackGroupBlock,
    syncGroupBlock,
    garpGroupBlock,
    vrrpInstanceBlock,
    authenticationBlock,
    authHmacBlock,
    vrrpScriptBlock,
    trackProcessBlock,
    trackFileBlock,
    bfdInstanceBlock,
  ],
  items,
  removed: [],
};
