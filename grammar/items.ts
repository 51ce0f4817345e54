/**
 * Checks keepalived makes on a whole value-block item once its words are
 * read: combinations a per-word Syntax cannot express.
 */
import type { Item } from './ast.ts';
import { readerRules } from './diagnostics.ts';
import type { Dialect } from './dialect.ts';
import type { Reporter } from './report.ts';
import { compareVersions } from './schema/index.ts';

export function checkItem(item: Item, dialect: Dialect, reporter: Reporter): void {
  switch (item.kind) {
    case 'rule':
    case 'static-rule':
      if (!('preference' in item.options)) {
        reporter.report(
          readerRules.missingArgument,
          item.range,
          'Rule has no preference: keepalived assigns one, counting down from 16384, which is probably not what you want',
          { severity: 'warning' },
        );
      }
      break;
    case 'route':
    case 'static-route':
      if (compareVersions(dialect.version, '2.3.2') < 0 && !('dev' in item.options) && !('no_track' in item.options)) {
        reporter.report(
          readerRules.missingArgument,
          item.range,
          `keepalived ${dialect.version} cannot track a route without 'dev': it reports an error and does not track it (2.3.2 lifted this)`,
          { severity: 'warning' },
        );
      }
      break;
    default:
      break;
  }
}
