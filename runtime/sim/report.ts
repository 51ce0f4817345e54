/** The simulation's timeline for people (text) and tools (JSON). */
import { describeEvent, type Failover } from './findings.ts';
import type { CaseResult } from './cases.ts';
import type { Timeline } from './simulation.ts';

const ms = (t: number) => t.toFixed(3);

interface Row {
  at: number;
  who: string;
  what: string;
}

/** Events, transitions, priority changes and VIP holders in time order (at one instant, in that order). */
function rows(timeline: Timeline, failovers: readonly Failover[], logs: boolean): Row[] {
  const out: { row: Row; rank: number; seq: number }[] = [];
  let seq = 0;
  const add = (rank: number, row: Row) => out.push({ row, rank, seq: seq++ });
  for (const e of timeline.events) add(0, { at: e.at, who: '!', what: describeEvent(e) });
  for (const t of timeline.transitions) add(1, { at: t.at, who: t.node, what: `${t.instance}: ${t.from} -> ${t.to} (priority ${t.priority})` });
  for (const p of timeline.priorities) add(1, { at: p.at, who: p.node, what: `${p.instance}: effective priority ${p.priority}` });
  for (const o of timeline.ownership) {
    const failover = failovers.find((f) => f.to && o.owners.includes(f.to) && f.vip === o.vip && f.event.at + f.ms! === o.at);
    const after = failover ? ` (${ms(failover.ms!)} ms after ${describeEvent(failover.event)})` : '';
    add(2, { at: o.at, who: '*', what: o.owners.length ? `${o.vip} held by ${o.owners.join(' and ')}${after}` : `${o.vip} held by no node` });
  }
  if (logs) for (const l of timeline.logs) add(3, { at: l.at, who: l.node, what: `log: ${l.line}` });
  return out.sort((a, b) => a.row.at - b.row.at || a.rank - b.rank || a.seq - b.seq).map((r) => r.row);
}

export function formatCaseText(result: CaseResult, options: { logs?: boolean } = {}): string {
  const { timeline } = result;
  const table = rows(timeline, result.failovers, options.logs === true);
  const whoWidth = Math.max(4, ...table.map((r) => r.who.length));
  const timeWidth = Math.max(9, ...table.map((r) => ms(r.at).length));
  const lines = [`${'TIME (ms)'.padStart(timeWidth)}  ${'NODE'.padEnd(whoWidth)}  WHAT`];
  for (const r of table) lines.push(`${ms(r.at).padStart(timeWidth)}  ${r.who.padEnd(whoWidth)}  ${r.what}`);
  const perNode = new Map<string, number>();
  for (const a of timeline.adverts) perNode.set(a.node, (perNode.get(a.node) ?? 0) + a.times.length);
  lines.push(`adverts sent: ${timeline.nodes.map((n) => `${n} ${perNode.get(n) ?? 0}`).join(', ')}`);
  for (const f of result.failovers) {
    lines.push(`after ${describeEvent(f.event)} at ${ms(f.event.at)} ms: ${f.vip} ${f.to ? `moved from ${f.from} to ${f.to} in ${ms(f.ms!)} ms` : `reached no other node`}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The JSON of a case: the timeline, with advert counts beside their times, and the failovers. */
export function caseJson(result: CaseResult, options: { logs?: boolean } = {}) {
  const { timeline } = result;
  return {
    name: result.name,
    durationMs: timeline.duration,
    events: timeline.events,
    instances: timeline.instances,
    transitions: timeline.transitions,
    priorities: timeline.priorities,
    ownership: timeline.ownership,
    adverts: timeline.adverts.map((a) => ({ node: a.node, vrid: a.vrid, count: a.times.length, priorityZero: a.priorityZero, times: a.times })),
    notifications: timeline.notifications,
    failovers: result.failovers.map((f) => ({ event: describeEvent(f.event), at: f.event.at, vip: f.vip, from: f.from, to: f.to ?? null, ms: f.ms ?? null })),
    ...(options.logs ? { logs: timeline.logs } : {}),
  };
}
