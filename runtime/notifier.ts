/**
 * What keepalived tells the outside world when an instance or a sync group
 * changes state (vrrp/vrrp_notify.c): the notify_<state> script, the generic
 * `notify` script with its four arguments, a line on notify_fifo and
 * vrrp_notify_fifo (read by their *_fifo_script), and an e-mail alert.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, writeSync } from 'node:fs';
import type { Block, Config } from '../grammar/ast.ts';
import { blocksOf, lastStatement, model, valueOf } from '../grammar/index.ts';
import { type ScriptCommand, type ScriptPolicy, commandOf, spawnCommand } from './scripts.ts';
import { sendMail, type SmtpSettings, smtpSettings } from './smtp.ts';

export type NotifiedState = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP';

const NOTIFY_KEYWORDS = ['notify_master', 'notify_backup', 'notify_fault', 'notify_stop', 'notify'];
/** Each FIFO, its reader script, and whose lines it gets. */
const FIFOS = [
  ['notify_fifo', 'notify_fifo_script', 'all'],
  ['vrrp_notify_fifo', 'vrrp_notify_fifo_script', 'vrrp'],
  ['lvs_notify_fifo', 'lvs_notify_fifo_script', 'lvs'],
] as const;

/** keepalived's alert texts (vrrp_smtp_notifier, vrrp_sync_smtp_notifier). */
const INSTANCE_MAIL: Record<NotifiedState, [string, string]> = {
  MASTER: ['Entering MASTER state', '=> VRRP Instance is now owning VRRP VIPs <='],
  BACKUP: ['Entering BACKUP state', '=> VRRP Instance is no longer owning VRRP VIPs <='],
  FAULT: ['Entering FAULT state', '=> VRRP Instance is no longer owning VRRP VIPs <='],
  STOP: ['Stopping', '=> VRRP Instance stopping <='],
};
const GROUP_MAIL: Record<NotifiedState, [string, string]> = {
  MASTER: ['Entering MASTER state', '=> All VRRP group instances are now in MASTER state <='],
  BACKUP: ['Entering BACKUP state', '=> All VRRP group instances are now in BACKUP state <='],
  FAULT: ['Entering FAULT state', '=> All VRRP group instances are now in FAULT state <='],
  STOP: ['Stopping', '=> All VRRP group instances are now stopping <='],
};

/** keepalived's subject and body of the alert for an instance or a group entering a state. */
export function alertMessage(routerId: string, kind: 'instance' | 'group', name: string, state: NotifiedState): { subject: string; body: string } {
  const [what, body] = (kind === 'instance' ? INSTANCE_MAIL : GROUP_MAIL)[state];
  return { subject: `[${routerId}] VRRP ${kind === 'instance' ? 'Instance' : 'Group'} ${name} - ${what}`, body };
}

interface Target {
  kind: 'instance' | 'group';
  scripts: Map<string, ScriptCommand>;
  alerts: boolean;
  lastMailed?: NotifiedState;
}

export class Notifier {
  private fifos: { fd: number; lines: 'all' | 'vrrp' | 'lvs' }[] = [];
  private fifoScripts: ChildProcess[] = [];
  private smtp?: SmtpSettings;
  private noEmailFaults = false;
  private readonly targets = new Map<string, Target>();

  constructor(private readonly log: (line: string) => void) {}

  /**
   * Takes a configuration's notify settings: opens the FIFOs (made if
   * missing, opened read-write so that writing never waits for a reader),
   * starts their scripts with the FIFO's name as last argument, and prepares
   * each instance's and group's commands through `secure` (keepalived checks
   * them when it loads the configuration).
   */
  configure(config: Config, policy: ScriptPolicy, secure: (command: ScriptCommand) => ScriptCommand | undefined): void {
    this.close();
    const globals = new model.GlobalDefs(config);
    this.smtp = smtpSettings(config);
    this.noEmailFaults = globals.has('no_email_faults');
    const alertDefault = (globals.value('smtp_alert_vrrp') ?? globals.value('smtp_alert')) === true;
    for (const [keyword, scriptKeyword, lines] of FIFOS) {
      const path = globals.statement(keyword)?.params['fifo'];
      if (typeof path !== 'string') continue;
      try {
        if (!existsSync(path)) execFileSync('mkfifo', ['-m', '0600', path]);
        this.fifos.push({ fd: openSync(path, constants.O_RDWR | constants.O_NONBLOCK), lines });
      } catch (e) {
        this.log(`cannot open ${keyword} ${path}: ${(e as Error).message}`);
        continue;
      }
      const found = commandOf(globals.statement(scriptKeyword), policy, this.log);
      const command = found && secure(found);
      if (command) this.fifoScripts.push(this.start(command, [path]));
    }
    this.targets.clear();
    for (const [kind, keyword] of [
      ['instance', 'vrrp_instance'],
      ['group', 'vrrp_sync_group'],
    ] as const) {
      for (const block of blocksOf(config, keyword)) {
        const own = valueOf(block, 'smtp_alert');
        this.targets.set(`${kind} ${block.name}`, { kind, scripts: this.scriptsOf(block, policy, secure), alerts: own === undefined ? alertDefault : own === true });
      }
    }
  }

  /** An instance (or, with kind 'group', a sync group) entered a state: scripts, FIFO line, e-mail. */
  notify(kind: 'instance' | 'group', name: string, state: NotifiedState, priority: number): void {
    const type = kind === 'instance' ? 'INSTANCE' : 'GROUP';
    this.writeFifos('vrrp', `${type} "${name}" ${state} ${priority}\n`);
    const target = this.targets.get(`${kind} ${name}`);
    if (!target) return;
    const specific = target.scripts.get(`notify_${state.toLowerCase()}`);
    if (specific) this.start(specific);
    const generic = target.scripts.get('notify');
    if (generic) this.start(generic, [type, name, state, String(priority)]);
    this.mail(target, name, state);
  }

  /** A checker line (`RS …`, `VS …`) for notify_fifo and lvs_notify_fifo. */
  lvsLine(line: string): void {
    this.writeFifos('lvs', line);
  }

  /** Runs a checker's notify script (notify_up/down, quorum_up/down). */
  run(command: ScriptCommand): void {
    this.start(command);
  }

  /** An e-mail alert of the checker side, when smtp_server is set; the subject gets the `[router_id]` prefix. */
  mailAlert(subject: string, body: string): void {
    const smtp = this.smtp;
    if (!smtp) return;
    sendMail(smtp, `[${smtp.routerId}] ${subject}`, body).then(
      () => this.log(`Remote SMTP server [${smtp.server}]:${smtp.port} connected.`),
      (e: Error) => this.log(`Error sending e-mail alert: ${e.message}`),
    );
  }

  private writeFifos(side: 'vrrp' | 'lvs', line: string): void {
    for (const fifo of this.fifos) {
      if (fifo.lines !== 'all' && fifo.lines !== side) continue;
      try {
        writeSync(fifo.fd, line);
      } catch (e) {
        // A FIFO nobody drains fills up: the event is lost, as with keepalived.
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') this.log(`cannot write to the notify FIFO: ${(e as Error).message}`);
      }
    }
  }

  /** Closes the FIFOs and stops their scripts. */
  close(): void {
    for (const { fd } of this.fifos.splice(0)) closeSync(fd);
    for (const child of this.fifoScripts.splice(0)) child.kill('SIGTERM');
  }

  private scriptsOf(block: Block, policy: ScriptPolicy, secure: (command: ScriptCommand) => ScriptCommand | undefined): Map<string, ScriptCommand> {
    const scripts = new Map<string, ScriptCommand>();
    for (const keyword of NOTIFY_KEYWORDS) {
      const found = commandOf(lastStatement(block, keyword), policy, this.log);
      const command = found && secure(found);
      if (command) scripts.set(keyword, command);
    }
    return scripts;
  }

  private start(command: ScriptCommand, extraArgs: string[] = []): ChildProcess {
    const child = spawnCommand(command, extraArgs);
    child.on('error', (e) => this.log(`Error exec-ing command '${command.argv[0]}', error: ${e.message}`));
    child.unref();
    return child;
  }

  private mail(target: Target, name: string, state: NotifiedState): void {
    const smtp = this.smtp;
    if (!smtp || !target.alerts || target.lastMailed === state || (state === 'FAULT' && this.noEmailFaults)) return;
    target.lastMailed = state;
    const { subject, body } = alertMessage(smtp.routerId, target.kind, name, state);
    sendMail(smtp, subject, body).then(
      () => this.log(`(${name}) Remote SMTP server [${smtp.server}]:${smtp.port} connected.`),
      (e: Error) => this.log(`(${name}) Error sending e-mail alert: ${e.message}`),
    );
  }
}
