/**
 * `kalint simulate --html`: one self-contained page (inline SVG and CSS, no
 * script, no network resource) with, for each case, a swimlane per node: the
 * VIPs it holds, then each instance's state over time with its adverts as
 * ticks, the scenario's events as dashed lines, and the findings below.
 */
import type { FlatDiagnostic } from '../../grammar/index.ts';
import type { CaseResult } from './cases.ts';
import { describeEvent } from './findings.ts';
import { initiallyDown, type Timeline } from './simulation.ts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const STATE_COLOURS: Record<string, string> = { MASTER: '#2e7d32', BACKUP: '#90a4ae', FAULT: '#c62828' };
const VIP_COLOURS = ['#1565c0', '#6a1b9a', '#ef6c00', '#00838f', '#ad1457', '#558b2f', '#4e342e', '#283593'];
const LABEL = 210;
const CHART = 980;
const ROW = 22;
const MAX_TICKS = 20_000;

/** A tick spacing of 1, 2 or 5 × 10^n ms giving about ten ticks. */
function tickStep(duration: number): number {
  const raw = duration / 10;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
}

/** [from, to) intervals during which the node is down, from the events. */
function downtime(timeline: Timeline, node: string): [number, number][] {
  const out: [number, number][] = [];
  let since: number | undefined = initiallyDown(timeline.events).has(node) ? 0 : undefined;
  for (const e of timeline.events) {
    if (!('node' in e) || e.node !== node) continue;
    if ((e.kind === 'crash' || e.kind === 'stop') && since === undefined) since = e.at;
    if ((e.kind === 'start' || e.kind === 'restart') && since !== undefined) {
      out.push([since, e.at]);
      since = undefined;
    }
  }
  if (since !== undefined) out.push([since, timeline.duration]);
  return out;
}

function chart(timeline: Timeline): string {
  const x = (t: number) => LABEL + (t / timeline.duration) * CHART;
  const vips = [...new Set(timeline.instances.flatMap((i) => i.vips))];
  const colourOf = (vip: string) => VIP_COLOURS[vips.indexOf(vip) % VIP_COLOURS.length]!;
  const parts: string[] = [];
  let y = 34;
  const top = y;
  let ticks = timeline.adverts.reduce((n, a) => n + a.times.length, 0);
  for (const node of timeline.nodes) {
    const instances = timeline.instances.filter((i) => i.node === node);
    const height = ROW * (instances.length + 1) + 8;
    const lane: string[] = [`<g class="lane" data-node="${escape(node)}">`];
    lane.push(`<rect class="lane-bg" x="0" y="${y}" width="${LABEL + CHART}" height="${height}"/>`);
    lane.push(`<text class="node" x="8" y="${y + 16}">${escape(node)}</text>`);
    const down = downtime(timeline, node);
    for (const [from, to] of down) {
      lane.push(`<rect class="down" x="${x(from)}" y="${y}" width="${Math.max(1, x(to) - x(from))}" height="${height}"><title>${escape(node)} down ${from.toFixed(3)}–${to.toFixed(3)} ms</title></rect>`);
    }
    // The VIPs the node holds, one band per VIP in its colour.
    lane.push(`<text class="row" x="64" y="${y + 15}">VIPs held</text>`);
    for (const vip of vips) {
      const changes = timeline.ownership.filter((o) => o.vip === vip);
      changes.forEach((c, k) => {
        if (!c.owners.includes(node)) return;
        const end = changes[k + 1]?.at ?? timeline.duration;
        const band = ROW / Math.max(1, vips.length);
        lane.push(`<rect class="vip" data-vip="${escape(vip)}" x="${x(c.at)}" y="${y + 3 + vips.indexOf(vip) * band}" width="${Math.max(1, x(end) - x(c.at))}" height="${Math.max(2, band - 2)}" fill="${colourOf(vip)}"><title>${escape(vip)} on ${escape(node)} from ${c.at.toFixed(3)} to ${end.toFixed(3)} ms</title></rect>`);
      });
    }
    instances.forEach((instance, k) => {
      const rowY = y + ROW * (k + 1);
      lane.push(`<text class="row" x="64" y="${rowY + 15}">${escape(instance.name)} (VRID ${instance.vrid})</text>`);
      const transitions = timeline.transitions.filter((t) => t.node === node && t.instance === instance.name);
      transitions.forEach((t, n) => {
        const colour = STATE_COLOURS[t.to];
        if (!colour) return;
        const end = Math.min(transitions[n + 1]?.at ?? timeline.duration, down.find(([from]) => from >= t.at)?.[0] ?? timeline.duration);
        lane.push(`<rect class="state ${t.to.toLowerCase()}" x="${x(t.at)}" y="${rowY + 3}" width="${Math.max(1, x(end) - x(t.at))}" height="${ROW - 8}" fill="${colour}"><title>${escape(instance.name)} on ${escape(node)}: ${t.to} from ${t.at.toFixed(3)} ms, priority ${t.priority}</title></rect>`);
      });
      const adverts = timeline.adverts.filter((a) => a.node === node && a.vrid === instance.vrid).flatMap((a) => a.times);
      if (ticks <= MAX_TICKS && adverts.length) lane.push(`<path class="adverts" d="${adverts.map((t) => `M${x(t).toFixed(1)} ${rowY + ROW - 5}v4`).join('')}"><title>${adverts.length} adverts for VRID ${instance.vrid}</title></path>`);
    });
    lane.push('</g>');
    parts.push(lane.join(''));
    y += height + 6;
  }
  if (ticks > MAX_TICKS) ticks = 0;
  const step = tickStep(timeline.duration);
  const axis: string[] = [];
  for (let t = 0; t <= timeline.duration; t += step) {
    axis.push(`<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="${top - 4}" y2="${y}"/><text class="tick" x="${x(t)}" y="${y + 14}">${t >= 1000 ? `${t / 1000} s` : `${t} ms`}</text>`);
  }
  const events = timeline.events.map((e, k) => `<g class="event"><line x1="${x(e.at)}" x2="${x(e.at)}" y1="${top - 4}" y2="${y}"/><text x="${x(e.at) + 3}" y="${12 + (k % 2) * 12}">${escape(describeEvent(e))}</text><title>${escape(describeEvent(e))} at ${e.at.toFixed(3)} ms</title></g>`);
  return `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${LABEL + CHART + 20}" height="${y + 24}" viewBox="0 0 ${LABEL + CHART + 20} ${y + 24}">${axis.join('')}${parts.join('')}${events.join('')}</svg>`;
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
.lane-bg{fill:#f7f7f7;stroke:#ddd}.node{font-weight:600;font-size:13px}.row{font-size:11px;fill:#555}
.down{fill:#00000022}.grid{stroke:#e4e4e4}.tick{font-size:10px;fill:#666;text-anchor:middle}
.event line{stroke:#d84315;stroke-dasharray:4 3}.event text{font-size:10px;fill:#d84315}.adverts{stroke:#263238;stroke-width:.6}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-2px}
table{border-collapse:collapse;font-size:12px}td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:left}
.error{color:#b71c1c}.warning{color:#e65100}`;

export interface HtmlNode {
  name: string;
  file: string;
}

export function formatHtml(title: string, nodes: readonly HtmlNode[], cases: readonly CaseResult[], findingsOf: (result: CaseResult) => FlatDiagnostic[]): string {
  const vips = [...new Set(cases.flatMap((c) => c.timeline.instances.flatMap((i) => i.vips)))];
  const legend = `<p class="legend">${vips.map((v, k) => `<span><i style="background:${VIP_COLOURS[k % VIP_COLOURS.length]}"></i>${escape(v)}</span>`).join('')}${Object.entries(STATE_COLOURS).map(([s, c]) => `<span><i style="background:${c}"></i>${s}</span>`).join('')}<span><i style="background:#00000022"></i>node down</span><span><i style="background:#263238;width:2px"></i>advert</span></p>`;
  const sections = cases.map((result) => {
    const found = findingsOf(result);
    const findings = found.length
      ? `<ul class="findings">${found.map((f) => `<li class="${f.severity}">${escape(`${f.file}:${f.line}:${f.column} ${f.severity} ${f.message} (${f.ruleId})`)}</li>`).join('')}</ul>`
      : '<p class="findings">No findings.</p>';
    const failovers = result.failovers.length
      ? `<table><tr><th>after</th><th>at (ms)</th><th>VIP</th><th>from</th><th>to</th><th>in (ms)</th></tr>${result.failovers.map((f) => `<tr><td>${escape(describeEvent(f.event))}</td><td>${f.event.at.toFixed(3)}</td><td>${escape(f.vip)}</td><td>${escape(f.from)}</td><td>${escape(f.to ?? '—')}</td><td>${f.ms === undefined ? 'never' : f.ms.toFixed(3)}</td></tr>`).join('')}</table>`
      : '';
    const transitions = `<details><summary>${result.timeline.transitions.length} transitions</summary><table><tr><th>time (ms)</th><th>node</th><th>instance</th><th>from</th><th>to</th><th>priority</th></tr>${result.timeline.transitions.map((t) => `<tr><td>${t.at.toFixed(3)}</td><td>${escape(t.node)}</td><td>${escape(t.instance)}</td><td>${t.from}</td><td>${t.to}</td><td>${t.priority}</td></tr>`).join('')}</table></details>`;
    return `<section class="case"><h2>${escape(result.name)}</h2>${chart(result.timeline)}${failovers}${findings}${transitions}</section>`;
  });
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title><style>${STYLE}</style></head>
<body><h1>${escape(title)}</h1><p>${nodes.map((n) => `<b>${escape(n.name)}</b>: ${escape(n.file)}`).join(' · ')}</p>${legend}${sections.join('\n')}</body></html>
`;
}
