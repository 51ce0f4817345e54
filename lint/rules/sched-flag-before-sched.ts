import { model } from '../../grammar/index.ts';
import type { Range, Statement } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { deleteFix, ownLine } from '../helpers/source.ts';

const FLAGS: Record<string, string> = { 'sh-port': 'sh', 'sh-fallback': 'sh', 'mh-port': 'mh', 'mh-fallback': 'mh' };

/**
 * keepalived reads sh-port/sh-fallback/mh-port/mh-fallback against the
 * scheduler set so far: before `lvs_sched sh|mh` (or with another
 * scheduler) it rejects them; an mh flag under sh (and the reverse) is
 * dropped without a word.
 */
export const rule: LintRule = {
  meta: {
    id: 'sched-flag-before-sched',
    description: 'A scheduler flag (sh-port, mh-fallback ...) written before its lvs_sched, or used with another scheduler: keepalived ignores it.',
    defaultSeverity: 'error',
    fixable: true,
  },
  create(context) {
    return {
      blocks: {
        virtual_server(vs) {
          let current: string | undefined;
          let currentAt: Statement | undefined;
          const scheds: Statement[] = [];
          const pending: { flag: Statement; sched: string | undefined; at: Statement | undefined }[] = [];
          for (const n of vs.children) {
            if (n.type !== 'Statement') continue;
            const value = n.def.name === 'lvs_sched' || n.def.aliasOf === 'lvs_sched' ? model.accepted(n, 'scheduler') : undefined;
            if (typeof value === 'string') {
              current = value;
              currentAt = n;
              scheds.push(n);
            } else if (FLAGS[n.def.name]) {
              pending.push({ flag: n, sched: current, at: currentAt });
            }
          }
          for (const { flag, sched, at } of pending) {
            const wanted = FLAGS[flag.def.name]!;
            const name = flag.def.name;
            if (sched === wanted) {
              if (current !== wanted) {
                context.report({
                  range: flag.range,
                  message: `${name} was read under 'lvs_sched ${wanted}', but a later lvs_sched makes the scheduler ${current}: the flag stays set and means something else, or nothing, to ${current}; delete it or the later lvs_sched`,
                  related: [{ range: currentAt!.range, message: `scheduler changed to ${current} here` }],
                });
              }
              continue;
            }
            const silent = sched === 'sh' || sched === 'mh';
            const later = scheds.find((s) => s.range.start > flag.range.start && model.accepted(s, 'scheduler') === wanted);
            if (later) {
              const line = ownLine(flag);
              const insert = line ? insertAfter(later, line) : [];
              context.report({
                range: flag.range,
                message: `${name} comes before 'lvs_sched ${wanted}': keepalived reads the flag against the scheduler set so far and ${silent ? 'drops it without a word' : 'ignores it ("only applies to sh scheduler - ignoring")'}; move it below the lvs_sched line`,
                related: [{ range: later.range, message: `lvs_sched ${wanted} is set here` }],
                fixes: line && insert.length ? [{ description: `Move ${name} below lvs_sched ${wanted}`, edits: [{ range: line, text: '' }, ...insert] }] : [],
              });
            } else {
              const where = sched ? `the scheduler at this point is ${sched}` : 'no lvs_sched comes before it';
              const final = current === sched ? '' : ` (and the final one is ${current ?? 'wlc, the default'})`;
              context.report({
                range: flag.range,
                message: `${name} only applies to 'lvs_sched ${wanted}', but ${where}${final}: keepalived ${silent ? 'drops it without a word' : 'ignores it ("only applies to sh scheduler - ignoring")'}; delete it or use lvs_sched ${wanted}`,
                ...(at ? { related: [{ range: at.range, message: `scheduler ${sched} set here` }] } : {}),
                fixes: deleteFix(flag, `Delete ${name}`),
              });
            }
          }
        },
      },
    };
  },
};

/** The edit that copies `moved` (a whole line) right after the line of `s`, in the same file. */
function insertAfter(s: Statement, moved: Range) {
  const line = ownLine(s);
  if (!line || line.file !== moved.file || !line.file.text.slice(line.start, line.end).endsWith('\n')) return [];
  return [{ range: { file: line.file, start: line.end, end: line.end }, text: moved.file.text.slice(moved.start, moved.end) }];
}
