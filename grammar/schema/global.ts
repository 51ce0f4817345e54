/**
 * Top-level keywords of a global nature and the `global_defs` block
 * (keepalived `core/global_parser.c:init_global_keywords`, plus the root value
 * blocks `linkbeat_interfaces` and `interface_up_down_delays` of `vrrp/vrrp_parser.c`).
 */
import {
  block,
  blockDef,
  decimal,
  email,
  flag,
  group,
  host,
  ifname,
  int,
  INT32_MAX,
  ip,
  list,
  oneOf,
  opt,
  option,
  OPTIONAL_BOOL,
  p,
  path,
  port,
  ref,
  rest,
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
import type { KeywordDef, Param, SchemaPart, Syntax } from './types.ts';

/** The largest whole number of seconds a 32-bit microsecond counter holds (`UINT_MAX / TIMER_HZ`). */
const UINT_MAX_SECS = 4294;
/** The same counter in seconds with microsecond resolution. */
const UINT_MAX_USECS = UINT32_MAX / 1e6;
/** Longest names keepalived accepts: `XT_EXTENSION_MAXNAMELEN`, `IPSET_MAXNAMELEN`, `NFT_TABLE_MAXNAMELEN`, each minus 2. */
const IPTABLES_CHAIN_MAX = 27;
const IPSET_NAME_MAX = 30;
const NFT_TABLE_MAX = 254;
/** Linux SCHED_RR priority range. */
const RT_PRIORITY_MAX = 99;
/** `LVS_MAX_TIMEOUT`: 31 days. */
const LVS_MAX_TIMEOUT = 2678400;
const INCLUDE_CHECKS = ['read', 'match', 'wildcard_match', 'brace_match'];

// Build options: the #ifdef around each install_keyword.
const VRRP = ['_WITH_VRRP_'];
const LVS = ['_WITH_LVS_'];
const BFD = ['_WITH_BFD_'];
const VMAC = ['_WITH_VRRP_', '_HAVE_VRRP_VMAC_'];
const NFT_VRRP = ['_WITH_VRRP_', '_WITH_NFTABLES_'];
const NFT_LVS = ['_WITH_NFTABLES_', '_WITH_LVS_'];
const SNMP = ['_WITH_SNMP_'];
const SNMP_CHECKER = ['_WITH_SNMP_', '_WITH_SNMP_CHECKER_'];
const DBUS = ['_WITH_DBUS_'];
const TRACK_PROCESS = ['_WITH_VRRP_', '_WITH_TRACK_PROCESS_'];

/** Positional words only; keepalived reports any further word as an error. */
/** A FIFO path, then the user and group that own it. */
const fifoArgs = (): Param[] => [p('fifo', path()), opt('user', user), opt('group', group)];
/** A process name; longer than 15 bytes is truncated with an error. */
const processName = (): Param[] => [p('name', text(15, 'truncated'))];
const cpuList = (): Param[] => [p('cpu', int(0, INT32_MAX)), rest('cpus', int(0, INT32_MAX))];
const garpExtraIf = (): Syntax => syntax([p('seconds', uint(1, 86400))], [option('all')], 'error');

const rootKeywords: readonly KeywordDef[] = [
  flag('linkbeat_use_polling', 'Poll the link state of every interface (MII, ethtool or ioctl) instead of using netlink', '1.1.18', {
    build: ['_WITH_LINKBEAT_'],
  }),
  stmt('net_namespace', 'Run keepalived in this network namespace; cannot change on reload', '1.2.24', [p('name', word)], {
    repeat: 'error',
  }),
  stmt('net_namespace_ipvs', 'Network namespace for IPVS; without a name, the default namespace', '2.1.0', [opt('name', word)], {
    repeat: 'error',
  }),
  flag('namespace_with_ipsets', 'Allow ipsets in a network namespace on kernels before 3.13', '1.3.0'),
  flag('use_pid_dir', 'Keep pid files in /run/keepalived', '1.2.24'),
  stmt('instance', 'Instance name, added to pid and data file names; cannot change on reload', '1.2.24', [p('name', word)], {
    repeat: 'error',
  }),
  stmt('child_wait_time', 'Seconds the parent waits for its children to exit when stopping', '2.0.0', [p('seconds', uint())], {
    default: '5',
  }),
  block('global_defs', 'Settings shared by all keepalived processes', '1.1.0', syntax([]), 'global_defs'),
  list('linkbeat_interfaces', 'Interfaces whose link state is polled instead of learned from netlink', '2.0.13', 'linkbeat-interface', {
    build: ['_WITH_VRRP_', '_WITH_LINKBEAT_'],
    repeat: 'append',
  }),
  list('interface_up_down_delays', 'Delays before link down and link up changes of interfaces are acted on', '2.2.3', 'interface-delay', {
    build: VRRP,
    repeat: 'append',
  }),
];

const globalDefs: readonly KeywordDef[] = [
  // Process / identity
  stmt('router_id', 'Name identifying this machine in notifications', '1.1.8', [p('name', text())], { default: 'host name' }),
  flag('process_names', 'Name the children keepalived_vrrp, keepalived_lvs and keepalived_bfd', '2.0.16'),
  stmt('process_name', 'Process name of the parent', '2.0.16', processName()),
  stmt('vrrp_process_name', 'Process name of the VRRP child', '2.0.16', processName(), { build: VRRP }),
  stmt('checker_process_name', 'Process name of the checker child', '2.2.0', processName(), { build: LVS }),
  stmt('lvs_process_name', 'Old name of checker_process_name', '2.0.16', processName(), {
    build: LVS,
    aliasOf: 'checker_process_name',
    deprecated: { since: '2.2.0', replacement: 'checker_process_name', keepalived: 'log', message: 'renamed checker_process_name in 2.2.0; keepalived logs a notice and uses the value.' },
  }),
  stmt('bfd_process_name', 'Process name of the BFD child', '2.0.16', processName(), { build: BFD }),
  stmt('use_symlink_paths', 'Keep symbolic links in script paths instead of resolving them', '2.3.0', OPTIONAL_BOOL, { default: 'false' }),
  stmt('set_supplementary_groups', 'Also set the supplementary groups of the user running a script', '2.4.4', OPTIONAL_BOOL, {
    default: 'false',
  }),
  stmt('script_user', 'Default user and group that run scripts', '1.3.0', [p('user', user), opt('group', group)], {
    default: 'keepalived_script if it exists, else the user running keepalived',
  }),
  flag('enable_script_security', 'Refuse to run a script as root when a non-root user could change it', '1.3.0', { default: 'off' }),
  scriptStmt('startup_script', 'Script the parent runs once before it starts the children', '2.1.0'),
  stmt('startup_script_timeout', 'Seconds the startup script may run before it is killed', '2.1.0', [p('seconds', uint(1, 1000))], {
    default: '10 when startup_script is set',
  }),
  scriptStmt('shutdown_script', 'Script the parent runs once after the children have stopped', '2.1.0'),
  stmt('shutdown_script_timeout', 'Seconds the shutdown script may run before it is killed', '2.1.0', [p('seconds', uint(1, 1000))], {
    default: '10 when shutdown_script is set',
  }),
  stmt('umask', 'File creation mask: a number (0x and 0 prefixes allowed) or bit names joined by |', '2.0.9', [p('mask', word)], {
    default: 'IXUSR|IRWXG|IRWXO',
  }),
  stmt('random_seed', 'Seed of ${_RANDOM}, so generated configurations repeat', '2.0.15', [p('seed', uint())], { default: 'time based' }),

  // Configuration files and reloads
  stmt('tmp_config_directory', 'Directory of the configuration copy the children read; cannot change on reload', '2.2.0', [
    p('directory', path({ directory: true })),
  ], { repeat: 'error', default: 'in memory' }),
  stmt('config_save_dir', 'Directory where configurations are saved around each reload, for debugging', '2.2.3', [
    p('directory', path({ directory: true })),
  ]),
  stmt('reload_check_config', 'Check a new configuration before reloading, logging to this file', '2.2.0', [opt('log_file', path())], {
    default: 'off; /dev/null when given without a file',
  }),
  stmt('reload_time_file', 'File holding the time of a scheduled reload', '2.1.0', [], { syntax: strict(p('file', path())) }),
  flag('reload_repeat', 'Keep the reload time file after the reload, so a time without a date repeats daily', '2.1.0'),
  stmt('reload_file', 'File that exists while keepalived reads its configuration', '2.2.0', [opt('file', path())], {
    default: 'keepalived.reload in the pid directory',
  }),
  stmt('include_check', 'Include failures that are errors; +/- adds or removes a check; no word means all', '2.2.0', [
    rest('checks', oneOf([...INCLUDE_CHECKS, ...INCLUDE_CHECKS.map((c) => `+${c}`), ...INCLUDE_CHECKS.map((c) => `-${c}`)])),
  ], { default: 'none' }),
  stmt('data_use_instance', 'Add the instance and namespace names to the names of dump files', '2.2.3', OPTIONAL_BOOL, { default: 'false' }),
  stmt('state_dump_file', 'Where SIGUSR1 dumps go; a trailing / names a directory', '2.3.3', [], { syntax: strict(p('path', path())) }),
  stmt('stats_dump_file', 'Where SIGUSR2 statistics go; a trailing / names a directory', '2.3.3', [], {
    syntax: strict(p('path', path())),
  }),
  stmt('json_dump_file', 'Where JSON dumps go; a trailing / names a directory', '2.3.3', [], { syntax: strict(p('path', path())) }),
  stmt('json_version', 'Format version of the JSON dump', '2.2.8', [p('version', uint(1, 2))], { build: ['_WITH_JSON_'], default: '1' }),
  stmt('iproute_usr_dir', 'Directory of the packaged iproute2 tables (rt_tables ...)', '2.3.2', [], {
    build: VRRP,
    syntax: strict(p('directory', path({ directory: true }))),
    default: 'found at build time',
  }),
  stmt('iproute_etc_dir', 'Directory of the local iproute2 tables, which override iproute_usr_dir', '2.3.2', [], {
    build: VRRP,
    syntax: strict(p('directory', path({ directory: true }))),
    default: 'found at build time',
  }),

  // Email and notifications
  list('notification_email', 'Recipients of notification emails', '1.1.0', 'email', { repeat: 'append' }),
  stmt('notification_email_from', 'Sender address of notification emails', '1.1.0', [], {
    syntax: strict(p('address', email)),
    default: 'keepalived@<host name>',
  }),
  stmt('smtp_server', 'Mail server that sends the notifications', '1.1.0', [p('server', host), opt('port', port())], {
    default: 'port 25',
  }),
  stmt('smtp_helo_name', 'Name given in the SMTP HELO greeting', '1.2.20', [p('name', text())], { default: 'host name' }),
  stmt('smtp_connect_timeout', 'Seconds to wait for the mail server (0 is read as 1, with an error)', '1.1.0', [
    p('seconds', uint(1, UINT_MAX_SECS)),
  ], { default: '30' }),
  stmt('smtp_alert', 'Default for email alerts of every object', '1.1.0', OPTIONAL_BOOL, { default: 'unset' }),
  stmt('smtp_alert_vrrp', 'Default for email alerts of VRRP instances and sync groups', '2.0.0', OPTIONAL_BOOL, {
    build: VRRP,
    default: 'smtp_alert',
  }),
  stmt('smtp_alert_checker', 'Default for email alerts of checkers', '2.0.0', OPTIONAL_BOOL, { build: LVS, default: 'smtp_alert' }),
  flag('no_email_faults', 'Send no email when a VRRP instance enters FAULT', '2.0.0', { build: VRRP }),
  stmt('checker_log_all_failures', 'Log every failed check, not only real server state changes', '2.0.11', OPTIONAL_BOOL, {
    build: LVS,
    default: 'false',
  }),
  stmt('no_checker_emails', 'Email only when real servers are added or removed, not on every checker change', '2.0.0', OPTIONAL_BOOL, {
    build: LVS,
    default: 'false',
  }),
  stmt('rs_init_notifies', 'Send notifications for real servers as they start up', '2.0.0', OPTIONAL_BOOL, { build: LVS, default: 'false' }),
  stmt('notify_fifo', 'FIFO that receives all notification events', '1.3.6', fifoArgs(), { repeat: 'error' }),
  scriptStmt('notify_fifo_script', 'Script reading notify_fifo; the FIFO name is added as its last argument', '1.3.6'),
  stmt('vrrp_notify_fifo', 'FIFO that receives VRRP notification events', '1.3.6', fifoArgs(), { build: VRRP, repeat: 'error' }),
  scriptStmt('vrrp_notify_fifo_script', 'Script reading vrrp_notify_fifo; the FIFO name is added as its last argument', '1.3.6', { build: VRRP }),
  stmt('lvs_notify_fifo', 'FIFO that receives checker notification events', '1.3.6', fifoArgs(), { build: LVS, repeat: 'error' }),
  scriptStmt('lvs_notify_fifo_script', 'Script reading lvs_notify_fifo; the FIFO name is added as its last argument', '1.3.6', { build: LVS }),
  stmt('vrrp_notify_priority_changes', 'Also report VRRP priority changes on the notify FIFOs', '2.0.16', OPTIONAL_BOOL, {
    build: VRRP,
    default: 'false',
  }),
  flag('fifo_write_vrrp_states_on_reload', 'Write VRRP instance and sync group states to the FIFOs after a reload', '2.2.5', {
    build: VRRP,
  }),

  // VRRP defaults
  stmt('vrrp_version', 'Default VRRP protocol version', '1.2.20', [p('version', int(2, 3))], { build: VRRP, default: '2 (IPv6 always 3)' }),
  stmt('vrrp_mcast_group4', 'Multicast group of IPv4 adverts', '1.2.10', [
    p('group', ip({ family: 4, multicast: true, prefix: 'never' })),
  ], { build: VRRP, default: '224.0.0.18' }),
  stmt('vrrp_mcast_group6', 'Multicast group of IPv6 adverts (should be link-local)', '1.2.10', [
    p('group', ip({ family: 6, multicast: true, prefix: 'never' })),
  ], { build: VRRP, default: 'ff02::12' }),
  stmt('default_interface', 'Interface of static addresses and routes that name no device', '1.2.24', [p('interface', ifname)], {
    build: VRRP,
    default: 'eth0',
  }),
  stmt('dynamic_interfaces', 'Accept interfaces that do not exist yet; allow_if_changes lets them change type', '2.0.0', [
    opt('option', oneOf(['allow_if_changes'])),
  ], { build: VRRP, default: 'off' }),
  stmt('vrrp_garp_master_delay', 'Seconds after becoming MASTER before the second burst of gratuitous ARPs; 0 for none', '1.2.20', [
    p('seconds', uint(0, UINT_MAX_SECS)),
  ], { build: VRRP, default: '5' }),
  stmt('vrrp_garp_master_repeat', 'Gratuitous ARPs per burst on becoming MASTER (0 is read as 1, with an error)', '1.2.20', [
    p('count', uint(1)),
  ], { build: VRRP, default: '5' }),
  stmt('vrrp_garp_master_refresh', 'Seconds between gratuitous ARP refreshes while MASTER; 0 for none', '1.2.20', [p('seconds', uint())], {
    build: VRRP,
    default: '0',
  }),
  stmt('vrrp_garp_master_refresh_repeat', 'Gratuitous ARPs per refresh (0 is read as 1, with an error)', '1.2.20', [p('count', uint(1))], {
    build: VRRP,
    default: '1',
  }),
  stmt('vrrp_garp_lower_prio_delay', 'Seconds before the second ARP burst after a MASTER hears a lower priority', '1.2.20', [
    p('seconds', uint(0, UINT_MAX_SECS)),
  ], { build: VRRP, default: 'vrrp_garp_master_delay' }),
  stmt('vrrp_garp_lower_prio_repeat', 'Gratuitous ARPs per burst after a MASTER hears a lower priority', '1.2.20', [
    p('count', uint(0, INT32_MAX)),
  ], { build: VRRP, default: 'vrrp_garp_master_repeat' }),
  stmt('vrrp_garp_interval', 'Seconds between gratuitous ARPs on one interface', '1.2.21', [
    p('seconds', decimal(6, 0.000001, UINT_MAX_USECS)),
  ], { build: VRRP, default: '0' }),
  stmt('vrrp_gna_interval', 'Seconds between unsolicited neighbour advertisements on one interface', '1.2.21', [
    p('seconds', decimal(6, 0.000001, UINT_MAX_USECS)),
  ], { build: VRRP, default: '0' }),
  stmt('vrrp_min_garp', 'Send one gratuitous ARP on becoming MASTER, with no repeat or refresh', '2.0.12', OPTIONAL_BOOL, {
    build: VRRP,
    default: 'false',
  }),
  stmt('vrrp_garp_extra_if', 'Seconds between gratuitous ARPs on VMAC interfaces, or on every interface with all', '2.2.3', [], {
    build: VMAC,
    syntax: garpExtraIf(),
    default: 'off',
  }),
  stmt('vrrp_vmac_garp_intvl', 'Old name of vrrp_garp_extra_if', '2.2.0', [], {
    build: VMAC,
    syntax: garpExtraIf(),
    aliasOf: 'vrrp_garp_extra_if',
    deprecated: { since: '2.2.3', replacement: 'vrrp_garp_extra_if', keepalived: 'error', message: 'renamed vrrp_garp_extra_if after 2.2.2; keepalived reports an error but uses the value.' },
  }),
  stmt('vrrp_down_timer_adverts', 'Default number of missed adverts before a BACKUP takes over', '2.2.3', [p('adverts', uint(1, 100))], {
    build: VRRP,
    default: '3',
  }),
  stmt('vrrp_lower_prio_no_advert', 'Default: do not answer a lower priority advert with an advert', '1.2.20', OPTIONAL_BOOL, {
    build: VRRP,
    default: 'false',
  }),
  stmt('vrrp_higher_prio_send_advert', 'Default: send one advert before yielding to a higher priority MASTER', '1.3.5', OPTIONAL_BOOL, {
    build: VRRP,
    default: 'false',
  }),
  stmt('vrrp_owner_ignore_adverts', 'Default: an address owner (priority 255) ignores the adverts it receives', '2.3.3', OPTIONAL_BOOL, {
    build: VRRP,
    default: 'false',
  }),
  flag('v3_checksum_as_v2', 'Default: leave the pseudo-header out of VRRPv3 IPv4 checksums, as v2 does', '2.2.8', { build: VRRP }),
  flag('vrrp_check_unicast_src', 'Default: accept unicast adverts only from configured peers', '1.2.20', { build: VRRP }),
  stmt('vrrp_skip_check_adv_addr', 'Default: skip the address check of adverts from the same MASTER as the last one', '1.2.20', OPTIONAL_BOOL, {
    build: VRRP,
    default: 'false',
  }),
  stmt('vrrp_strict', 'Enforce strict RFC compliance of VRRP settings', '1.2.20', OPTIONAL_BOOL, { build: VRRP, default: 'false' }),
  stmt('vrrp_startup_delay', 'Seconds after keepalived starts before VRRP instances start', '2.0.14', [p('seconds', timer(0.001))], {
    build: VRRP,
    default: '0; the larger of this and vrrp_delay_after_boot applies',
  }),
  stmt('vrrp_delay_after_boot', 'Start VRRP instances no sooner than this many seconds after boot', '2.4.0', [p('seconds', timer(0.001))], {
    build: VRRP,
    default: '0; the larger of this and vrrp_startup_delay applies',
  }),
  flag('log_unknown_vrids', 'Log adverts for VRIDs not configured on the receiving interface', '2.0.16', { build: VRRP }),
  stmt('vmac_prefix', 'Name prefix of the VMAC interfaces keepalived creates', '2.2.0', [p('prefix', text())], {
    build: VMAC,
    repeat: 'error',
    default: 'vrrp',
  }),
  stmt('vmac_addr_prefix', 'Name prefix of VMACs for addresses off the instance interface', '2.2.0', [p('prefix', text())], {
    build: VMAC,
    repeat: 'error',
    default: 'vmac_prefix',
  }),
  flag('disable_local_igmp', 'Stop the kernel reporting IGMP membership of link-local groups', '2.2.0', { build: VRRP }),
  stmt('vrrp_rx_bufs_policy', 'Receive buffer size of VRRP sockets: MTU or ADVERT (times the multiplier), or bytes', '2.0.3', [
    p('policy', word),
  ], { build: VRRP, repeat: 'append', default: 'system default' }),
  stmt('vrrp_rx_bufs_multiplier', 'Multiplier of the MTU and ADVERT receive buffer policies', '2.0.3', [], {
    build: VRRP,
    syntax: strict(p('multiplier', uint(1))),
    default: '3',
  }),

  // Firewall (iptables / nftables)
  stmt('vrrp_iptables', 'iptables chains that filter VRRP addresses (nftables on builds without iptables)', '1.2.20', [
    opt('in_chain', text(IPTABLES_CHAIN_MAX)),
    opt('out_chain', text(IPTABLES_CHAIN_MAX)),
  ], { build: ['_WITH_VRRP_', '_WITH_IPTABLES_ || _WITH_NFTABLES_'], repeat: 'error', default: 'INPUT and OUTPUT' }),
  stmt('vrrp_ipsets', 'ipset names used with vrrp_iptables; no name turns ipsets off', '1.2.20', [
    opt('address', text(IPSET_NAME_MAX)),
    opt('address6', text(IPSET_NAME_MAX)),
    opt('address_iface6', text(IPSET_NAME_MAX)),
    opt('igmp', text(IPSET_NAME_MAX)),
    opt('mld', text(IPSET_NAME_MAX)),
    opt('vmac_nd', text(IPSET_NAME_MAX)),
  ], { build: ['_WITH_VRRP_', '_WITH_IPTABLES_', '_HAVE_LIBIPSET_'], default: 'keepalived, keepalived6, keepalived_if6 ...' }),
  stmt('nftables', 'Filter VRRP addresses with nftables, in this table', '2.0.11', [opt('table', text(NFT_TABLE_MAX))], {
    build: NFT_VRRP,
    repeat: 'error',
    default: 'keepalived',
  }),
  stmt('nftables_priority', 'Priority of the VRRP nftables chains', '2.0.11', [p('priority', int(-INT32_MAX - 1, INT32_MAX))], {
    build: NFT_VRRP,
    default: '-1',
  }),
  flag('nftables_ifindex', 'Key the nftables sets of IPv6 link-local addresses by interface index', '2.0.11', { build: NFT_VRRP }),
  flag('nftables_counters', 'Add counters to the nftables rules keepalived creates', '2.0.11', { build: ['_WITH_NFTABLES_'] }),
  stmt('nftables_ipvs', 'Set virtual server group fwmarks with nftables, in this table', '2.2.2', [opt('table', text(NFT_TABLE_MAX))], {
    build: NFT_LVS,
    repeat: 'error',
    default: 'keepalived_ipvs',
  }),
  stmt('nftables_ipvs_priority', 'Priority of the IPVS nftables chains', '2.2.2', [p('priority', int(-INT32_MAX - 1, INT32_MAX))], {
    build: NFT_LVS,
    default: '-1',
  }),
  stmt('nftables_ipvs_start_fwmark', 'First fwmark given to virtual server groups', '2.2.2', [p('fwmark', uint(1))], {
    build: NFT_LVS,
    default: '1000',
  }),

  // Scheduling
  stmt('max_auto_priority', 'Highest real-time priority keepalived may raise itself to when late; -1 or 0 is off', '2.1.0', [
    opt('priority', int(-1, RT_PRIORITY_MAX)),
  ], { default: '0 (off); without a value, the highest priority' }),
  stmt('min_auto_priority_delay', 'Microseconds late that make keepalived raise its priority', '2.1.0', [
    p('microseconds', uint(1, 10000000)),
  ], { default: '1000000' }),
  stmt('vrrp_priority', 'Nice value of the VRRP child', '1.2.20', [p('nice', int(-20, 19))], { build: VRRP, default: '0' }),
  stmt('checker_priority', 'Nice value of the checker child', '1.2.20', [p('nice', int(-20, 19))], { build: LVS, default: '0' }),
  stmt('bfd_priority', 'Nice value of the BFD child', '2.0.0', [p('nice', int(-20, 19))], { build: BFD, default: '0' }),
  flag('vrrp_no_swap', 'Lock the VRRP child in memory', '1.2.20', { build: VRRP }),
  flag('checker_no_swap', 'Lock the checker child in memory', '1.2.20', { build: LVS }),
  flag('bfd_no_swap', 'Lock the BFD child in memory', '2.0.0', { build: BFD }),
  stmt('vrrp_rt_priority', 'Real-time priority of the VRRP child', '2.0.0', [p('priority', int(1, RT_PRIORITY_MAX))], {
    build: VRRP,
    default: 'off',
  }),
  stmt('checker_rt_priority', 'Real-time priority of the checker child', '2.0.0', [p('priority', int(1, RT_PRIORITY_MAX))], {
    build: LVS,
    default: 'off',
  }),
  stmt('bfd_rt_priority', 'Real-time priority of the BFD child', '2.0.0', [p('priority', int(1, RT_PRIORITY_MAX))], {
    build: BFD,
    default: 'off',
  }),
  stmt('vrrp_cpu_affinity', 'CPUs the VRRP child may run on', '2.0.17', cpuList(), { build: VRRP }),
  stmt('checker_cpu_affinity', 'CPUs the checker child may run on', '2.0.17', cpuList(), { build: LVS }),
  stmt('bfd_cpu_affinity', 'CPUs the BFD child may run on', '2.0.17', cpuList(), { build: BFD }),
  stmt('vrrp_rlimit_rttime', 'Real-time CPU microseconds the VRRP child may use between blocking calls', '2.1.0', [
    p('microseconds', uint(1)),
  ], { build: VRRP, default: '10000' }),
  stmt('checker_rlimit_rttime', 'Real-time CPU microseconds the checker child may use between blocking calls', '2.1.0', [
    p('microseconds', uint(1)),
  ], { build: LVS, default: '10000' }),
  stmt('bfd_rlimit_rttime', 'Real-time CPU microseconds the BFD child may use between blocking calls', '2.1.0', [
    p('microseconds', uint(1)),
  ], { build: BFD, default: '10000' }),
  stmt('vrrp_rlimit_rtime', 'Misspelling of vrrp_rlimit_rttime', '2.0.0', [p('microseconds', uint(1))], {
    build: VRRP,
    aliasOf: 'vrrp_rlimit_rttime',
    deprecated: { since: '2.1.0', replacement: 'vrrp_rlimit_rttime', keepalived: 'log', message: 'spelled vrrp_rlimit_rttime since 2.1.0; keepalived logs a notice and uses the value.' },
  }),
  stmt('checker_rlimit_rtime', 'Misspelling of checker_rlimit_rttime', '2.0.0', [p('microseconds', uint(1))], {
    build: LVS,
    aliasOf: 'checker_rlimit_rttime',
    deprecated: { since: '2.1.0', replacement: 'checker_rlimit_rttime', keepalived: 'log', message: 'spelled checker_rlimit_rttime since 2.1.0; keepalived logs a notice and uses the value.' },
  }),
  stmt('bfd_rlimit_rtime', 'Misspelling of bfd_rlimit_rttime', '2.0.0', [p('microseconds', uint(1))], {
    build: BFD,
    aliasOf: 'bfd_rlimit_rttime',
    deprecated: { since: '2.1.0', replacement: 'bfd_rlimit_rttime', keepalived: 'log', message: 'spelled bfd_rlimit_rttime since 2.1.0; keepalived logs a notice and uses the value.' },
  }),

  // LVS / IPVS
  stmt('lvs_timeouts', 'IPVS connection timeouts in seconds; at least one is required', '1.2.24', [], {
    build: LVS,
    syntax: syntax(
      [],
      [
        option('tcp', p('seconds', uint(0, LVS_MAX_TIMEOUT))),
        option('tcpfin', p('seconds', uint(0, LVS_MAX_TIMEOUT))),
        option('udp', p('seconds', uint(0, LVS_MAX_TIMEOUT))),
      ],
      'error',
    ),
    repeat: 'append',
    default: 'kernel values',
  }),
  stmt('lvs_sync_daemon', 'Run the IPVS connection sync daemon on an interface, optionally following a VRRP instance', '1.2.20', [], {
    build: ['_WITH_LVS_', '_WITH_VRRP_'],
    syntax: syntax(
      [p('interface', ifname), opt('instance', ref('vrrp_instance'))],
      [
        option('inst', p('instance', ref('vrrp_instance'))),
        option('id', p('syncid', uint(0, 255))),
        option('maxlen', p('bytes', uint(1, 65507))),
        option('port', p('port', uint(1, 65535))),
        option('ttl', p('ttl', uint(1, 255))),
        option('group', p('group', ip({ multicast: true, prefix: 'never' }))),
      ],
      'error',
    ),
    repeat: 'error',
    default: 'id: VRID of the instance, or 0; port 8848; group 224.0.0.81',
  }),
  flag('lvs_flush', 'Remove all IPVS configuration when keepalived starts', '1.2.23', { build: LVS }),
  stmt('lvs_flush_on_stop', 'Remove IPVS configuration when keepalived stops; VS removes only virtual servers', '2.2.0', [
    opt('type', oneOf(['VS'])),
  ], { build: LVS, default: 'off' }),
  stmt('lvs_flush_onstop', 'Old spelling of lvs_flush_on_stop', '2.0.15', [opt('type', oneOf(['VS']))], {
    build: LVS,
    aliasOf: 'lvs_flush_on_stop',
    deprecated: { since: '2.2.0', replacement: 'lvs_flush_on_stop', keepalived: 'silent', message: 'spelled lvs_flush_on_stop since 2.2.0; still accepted silently.' },
  }),

  // SNMP and D-Bus
  stmt('snmp_socket', 'Socket of the SNMP master agent', '1.2.20', [], {
    build: SNMP,
    syntax: strict(p('socket', text(4095))),
    repeat: 'error',
    default: 'unix:/var/agentx/master',
  }),
  flag('enable_traps', 'Send SNMP traps', '1.2.5', { build: SNMP }),
  flag('enable_snmp_vrrp', 'Serve the VRRP part of the KEEPALIVED MIB', '2.0.0', { build: ['_WITH_SNMP_', '_WITH_SNMP_VRRP_'] }),
  flag('enable_snmp_keepalived', 'Old name of enable_snmp_vrrp', '1.2.20', {
    build: ['_WITH_SNMP_', '_WITH_SNMP_VRRP_'],
    aliasOf: 'enable_snmp_vrrp',
    deprecated: { since: '2.0.0', replacement: 'enable_snmp_vrrp', keepalived: 'silent', message: 'renamed enable_snmp_vrrp in 2.0.0; still accepted silently.' },
  }),
  flag('enable_snmp_rfc', 'Serve both RFC VRRP MIBs (RFC 2787 and RFC 6527)', '1.2.20', { build: ['_WITH_SNMP_', '_WITH_SNMP_RFC_'] }),
  flag('enable_snmp_rfcv2', 'Serve the RFC 2787 VRRPv2 MIB', '1.2.20', { build: ['_WITH_SNMP_', '_WITH_SNMP_RFCV2_'] }),
  flag('enable_snmp_rfcv3', 'Serve the RFC 6527 VRRPv3 MIB', '1.2.20', { build: ['_WITH_SNMP_', '_WITH_SNMP_RFCV3_'] }),
  flag('enable_snmp_checker', 'Serve the checker part of the KEEPALIVED MIB', '1.2.20', { build: SNMP_CHECKER }),
  stmt('snmp_vs_stats_update_interval', 'Minimum seconds between kernel reads of virtual server statistics', '2.3.0', [
    p('seconds', timer(0.001, 30)),
  ], { build: SNMP_CHECKER, default: '5' }),
  stmt('snmp_rs_stats_update_interval', 'Minimum seconds between kernel reads of real server statistics', '2.3.0', [
    p('seconds', timer(0.001, 30)),
  ], { build: SNMP_CHECKER, default: 'snmp_vs_stats_update_interval' }),
  flag('enable_dbus', 'Offer the D-Bus interface', '1.3.0', { build: DBUS }),
  stmt('dbus_service_name', 'D-Bus service name, to run several keepalived with D-Bus', '1.3.7', [p('name', text())], {
    build: DBUS,
    default: 'org.keepalived.Vrrp1',
  }),
  stmt('dbus_no_interface_name', 'Interface part of D-Bus paths of instances without an interface', '2.3.0', [p('name', text())], {
    build: DBUS,
    default: 'none',
  }),

  // Netlink and process monitor receive buffers
  stmt('vrrp_netlink_cmd_rcv_bufs', 'Receive buffer bytes of the VRRP netlink command socket', '2.0.0', [p('bytes', uint())], {
    build: VRRP,
  }),
  stmt('vrrp_netlink_cmd_rcv_bufs_force', 'Allow vrrp_netlink_cmd_rcv_bufs above rmem_max', '2.0.0', OPTIONAL_BOOL, {
    build: VRRP,
    default: 'false',
  }),
  stmt('vrrp_netlink_monitor_rcv_bufs', 'Receive buffer bytes of the VRRP netlink monitor socket', '2.0.0', [p('bytes', uint())], {
    build: VRRP,
  }),
  stmt('vrrp_netlink_monitor_rcv_bufs_force', 'Allow vrrp_netlink_monitor_rcv_bufs above rmem_max', '2.0.0', OPTIONAL_BOOL, {
    build: VRRP,
    default: 'false',
  }),
  stmt('lvs_netlink_cmd_rcv_bufs', 'Receive buffer bytes of the checker netlink command socket', '2.0.0', [p('bytes', uint())], {
    build: LVS,
  }),
  stmt('lvs_netlink_cmd_rcv_bufs_force', 'Allow lvs_netlink_cmd_rcv_bufs above rmem_max', '2.0.0', OPTIONAL_BOOL, {
    build: LVS,
    default: 'false',
  }),
  stmt('lvs_netlink_monitor_rcv_bufs', 'Receive buffer bytes of the checker netlink monitor socket', '2.0.0', [p('bytes', uint())], {
    build: LVS,
  }),
  stmt('lvs_netlink_monitor_rcv_bufs_force', 'Allow lvs_netlink_monitor_rcv_bufs above rmem_max', '2.0.0', OPTIONAL_BOOL, {
    build: LVS,
    default: 'false',
  }),
  stmt('process_monitor_rcv_bufs', 'Receive buffer bytes of the process event socket', '2.0.11', [p('bytes', uint())], {
    build: TRACK_PROCESS,
  }),
  stmt('process_monitor_rcv_bufs_force', 'Allow process_monitor_rcv_bufs above rmem_max', '2.0.11', OPTIONAL_BOOL, {
    build: TRACK_PROCESS,
    default: 'false',
  }),
];

export const globalPart: SchemaPart = {
  rootKeywords,
  blocks: [blockDef('global_defs', 'Global definitions', globalDefs)],
  items: [
    {
      kind: 'email',
      summary: 'Email addresses, each word one address; "Name <address>" in double quotes is one word',
      syntax: syntax([p('address', email), rest('addresses', email)]),
    },
    {
      kind: 'linkbeat-interface',
      summary: 'An interface to poll, with the polling method to prefer',
      syntax: strict(p('interface', ifname), opt('method', oneOf(['MII', 'ETHTOOL', 'IOCTL']))),
    },
    {
      kind: 'interface-delay',
      summary: 'An interface, the seconds to wait before acting on link down, and on link up (default 0)',
      syntax: syntax([p('interface', ifname), p('down', timer(0, 255)), opt('up', timer(0, 255))]),
    },
  ],
  removed: [
    { name: 'lvs_id', block: 'global_defs', lastAccepted: '1.1.7', replacement: 'router_id', message: 'removed after 1.1.7; use router_id.' },
    { name: 'plugin_dir', block: 'global_defs', lastAccepted: '1.2.19', message: 'removed after 1.2.19: keepalived no longer loads plugins; delete the line.' },
    {
      name: 'state_file_location',
      block: 'global_defs',
      replacement: 'state_dump_file',
      message: 'the man page spelling; keepalived only knows state_dump_file.',
    },
    {
      name: 'stats_file_location',
      block: 'global_defs',
      replacement: 'stats_dump_file',
      message: 'the man page spelling; keepalived only knows stats_dump_file.',
    },
    {
      name: 'json_file_location',
      block: 'global_defs',
      replacement: 'json_dump_file',
      message: 'the man page spelling; keepalived only knows json_dump_file.',
    },
  ],
};
