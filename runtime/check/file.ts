/**
 * FILE_CHECK (check_file.c, trackers/track_file.c): a real server follows
 * the number in a track_file's file. The number times the weight (negated
 * with reverse), kept within 32 bits, is added to the server's weight; at
 * the 32-bit minimum the server is down. With weight 0 the server is down
 * while the number is non-zero (zero with reverse). keepalived learns of
 * changes through inotify; this watches the file's directory, as the file
 * may be replaced by a rename or not exist yet.
 */
import { closeSync, existsSync, type FSWatcher, openSync, readSync, watch, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { CheckerListener } from './runner.ts';
import type { Outcome } from './types.ts';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * keepalived's reading of a track file: strtol(…, 0) of its first 127 bytes
 * (leading blanks, a sign, 0x for hex, 0 for octal; no digits is 0); a
 * missing or empty file is 0. Undefined for a number outside
 * INT32_MIN..INT32_MAX + 1, which keepalived logs and ignores.
 */
export function readTrackFile(path: string): number | undefined {
  let text = '';
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(127);
      text = buf.subarray(0, readSync(fd, buf, 0, 127, null)).toString('latin1');
    } finally {
      closeSync(fd);
    }
  } catch {
    return 0;
  }
  return parseTrackValue(text);
}

/** strtol(text, NULL, 0) with keepalived's range check. */
export function parseTrackValue(text: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX](?=[0-9a-fA-F])[0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)?/.exec(text)!;
  const digits = m[2];
  if (!digits) return 0;
  const magnitude = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits[0] === '0' ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  const value = m[1] === '-' ? -magnitude : magnitude;
  return value < BigInt(INT32_MIN) || value > BigInt(INT32_MAX) + 1n ? undefined : Number(value);
}

/** What a value does to the server: 'fault' (down), else the change to its weight (update_track_file_status). */
export function fileStatus(value: number, weight: number, reverse: boolean): number | 'fault' {
  if (weight === 0) return value !== 0 !== reverse ? 'fault' : 0;
  const product = Math.max(INT32_MIN, Math.min(INT32_MAX, value * weight * (reverse ? -1 : 1)));
  return product === INT32_MIN ? 'fault' : product;
}

export interface FileCheckOptions {
  /** The track_file's name, for messages. */
  name: string;
  path: string;
  /** FILE_CHECK's weight, else the track_file's. */
  weight: number;
  reverse: boolean;
  /** The real server's configured weight. */
  baseWeight: number;
  /** init_file: written at start when the file is missing, or always with overwrite. */
  init?: { value: number; overwrite: boolean };
}

function outcomeOf(o: FileCheckOptions, value: number): Outcome {
  const status = fileStatus(value, o.weight, o.reverse);
  if (status === 'fault') return { up: false, detail: `tracked file ${o.name} value ${value}: fault` };
  return { up: true, detail: `tracked file ${o.name} value ${value}`, weight: o.baseWeight + status };
}

/** The server's state from the file as it is now (a file that cannot be read counts as 0). */
export function fileProbe(o: FileCheckOptions): Promise<Outcome> {
  return Promise.resolve(outcomeOf(o, readTrackFile(o.path) ?? 0));
}

/**
 * A FILE_CHECK while it runs: `up` and `weightDelta` (the change to the
 * server's weight) start from the file as read at start; afterwards the
 * listener hears each change, as keepalived's
 * process_update_checker_track_file_status reports it.
 */
export class FileCheckMonitor {
  up = true;
  weightDelta = 0;
  private value = 0;
  private watcher?: FSWatcher;

  constructor(
    readonly options: FileCheckOptions,
    private readonly listener: CheckerListener,
  ) {}

  start(): void {
    const init = this.options.init;
    if (init && (init.overwrite || !existsSync(this.options.path))) writeFileSync(this.options.path, `${init.value}\n`);
    this.value = readTrackFile(this.options.path) ?? 0;
    const status = fileStatus(this.value, this.options.weight, this.options.reverse);
    this.up = status !== 'fault';
    this.weightDelta = status === 'fault' ? 0 : status;
    this.watcher = watch(dirname(this.options.path), (_, name) => {
      if (name === basename(this.options.path)) this.refresh();
    });
  }

  stop(): void {
    this.watcher?.close();
  }

  /** Re-reads the file and reports what changed. */
  refresh(): void {
    const value = readTrackFile(this.options.path);
    if (value === undefined || value === this.value) return;
    this.value = value;
    const outcome = outcomeOf(this.options, value);
    const delta = outcome.up ? outcome.weight! - this.options.baseWeight : 0;
    if (delta !== this.weightDelta) {
      this.weightDelta = delta;
      this.listener.onWeight?.(delta);
    }
    if (outcome.up !== this.up) {
      this.up = outcome.up;
      this.listener.onChange(outcome.up, outcome);
    }
  }
}
