/**
 * What the daemon asks of the machine it runs on, apart from packet I/O: the
 * interfaces' addresses and carrier, scripts and whether keepalived would run
 * them, tracked files, nftables, and the notify side. `kalint run` uses the
 * real machine; the simulator stands in for all of it, so that both drive the
 * same daemon code.
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../grammar/ast.ts';
import { primaryAddressOf } from './config.ts';
import { applyNft } from './firewall.ts';
import { type NotifiedState, Notifier } from './notifier.ts';
import { checkScript, resolveUser, type ScriptCommand, type ScriptPolicy, type ScriptRunner, type ScriptVerdict, spawnRunner } from './scripts.ts';
import { FileMonitor } from './trackers.ts';

/** A track_file's number, read at start and whenever it changes. */
export interface TrackedFile {
  value: number;
  /** Reads the file, creating it first with `init` (init_file) when missing or when `overwrite`. */
  start(init?: { value: number; overwrite: boolean }): void;
  stop(): void;
}

/** The notify side of keepalived: scripts, FIFOs and e-mail (notifier.ts). */
export interface NotifierPort {
  configure(config: Config, policy: ScriptPolicy, secure: (command: ScriptCommand) => ScriptCommand | undefined): void;
  notify(kind: 'instance' | 'group', name: string, state: NotifiedState, priority: number): void;
  run(command: ScriptCommand): void;
  lvsLine(line: string): void;
  mailAlert(subject: string, body: string): void;
  close(): void;
}

export interface Host {
  /** keepalived's primary address of an interface without unicast_src_ip: its first IPv4 address, or its IPv6 link-local one. */
  addressOf(ifname: string, family: 4 | 6): string | undefined;
  /** The interface's carrier at start; changes come through VrrpIo.watchLinks. */
  linkUp(ifname: string): boolean;
  /** A user (and group) by name, for script_user and scripts' own users; undefined when it does not exist. */
  resolveUser: typeof resolveUser;
  /** keepalived's load-time verdict on a script (found, executable, secure). */
  checkScript(command: ScriptCommand, security: boolean, log: (line: string) => void): ScriptVerdict;
  /** Runs a tracked script: true on exit status 0 within the timeout. */
  runScript: ScriptRunner;
  trackFile(path: string, onChange: (value: number) => void): TrackedFile;
  /** Applies an nftables ruleset (keepalived's firewall for instances without accept mode). */
  nft(rules: string): void;
  notifier(log: (line: string) => void): NotifierPort;
}

/** The carrier as sysfs has it; an interface that does not say (loopback, some virtual ones) counts as up. */
function sysfsLinkUp(ifname: string): boolean {
  try {
    const state = readFileSync(`/sys/class/net/${ifname}/operstate`, 'utf8').trim();
    return state === 'up' || state === 'unknown';
  } catch {
    return false;
  }
}

export const realHost: Host = {
  addressOf: primaryAddressOf,
  linkUp: sysfsLinkUp,
  resolveUser,
  checkScript,
  runScript: spawnRunner,
  trackFile: (path, onChange) => new FileMonitor(path, onChange),
  nft: applyNft,
  notifier: (log) => new Notifier(log),
};
