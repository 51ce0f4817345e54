/**
 * Where `kalint run` logs, as keepalived does: to syslog with facility
 * daemon, or local0..local7 with `--log-facility` (keepalived's -S), as
 * `Keepalived_vrrp[pid]`, and also to the console with `--log-console`.
 */

/** syslog's facility numbers: daemon, and local0..local7 for keepalived's -S 0..7. */
const LOG_DAEMON = 3;
const LOG_LOCAL0 = 16;
/** The severities the daemon uses. */
export const LOG_ERR = 3;
export const LOG_INFO = 6;

export interface LogOptions {
  console: boolean;
  /** 0..7 for local0..local7; absent: daemon. */
  facility?: number;
  /** The syslog socket, /dev/log unless told; absent: no syslog. */
  syslogSocket?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** A syslog datagram as glibc's syslog(3) writes it to /dev/log (RFC 3164 with local time). */
export function syslogMessage(facility: number | undefined, severity: number, ident: string, pid: number, message: string, when: Date): string {
  const code = facility === undefined ? LOG_DAEMON : LOG_LOCAL0 + facility;
  const stamp = `${MONTHS[when.getMonth()]} ${String(when.getDate()).padStart(2, ' ')} ${two(when.getHours())}:${two(when.getMinutes())}:${two(when.getSeconds())}`;
  return `<${code * 8 + severity}>${stamp} ${ident}[${pid}]: ${message}`;
}

/** A log function over the console and a syslog sender (the native I/O's), as the options say. */
export function logger(options: LogOptions, sendSyslog: (socket: string, datagram: string) => void): (line: string, severity?: number) => void {
  let toConsole = options.console;
  let syslog = options.syslogSocket;
  return (line, severity = LOG_INFO) => {
    if (syslog) {
      try {
        sendSyslog(syslog, syslogMessage(options.facility, severity, 'Keepalived_vrrp', process.pid, line, new Date()));
      } catch (e) {
        // No syslog daemon listening: say so once and log to the console instead.
        process.stderr.write(`kalint run: cannot log to ${syslog}: ${(e as Error).message}; logging to the console\n`);
        syslog = undefined;
        toConsole = true;
      }
    }
    if (toConsole) process.stdout.write(`${new Date().toISOString()} Keepalived_vrrp[${process.pid}]: ${line}\n`);
  };
}
