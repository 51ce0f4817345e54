/**
 * Reader behaviours that changed between keepalived releases. kalint reads a
 * file the way the target release does (`--target-version`), so a config that
 * relies on an older behaviour is read, and reported, as that release would.
 */
import { compareVersions, LATEST_VERSION, type Version } from './schema/index.ts';

export interface Dialect {
  version: Version;
  /** `@id` / `@^id` line prefixes (1.3.0). */
  conditionals: boolean;
  /** `$NAME=value` definitions and `$NAME` substitution (1.4.0). */
  definitions: boolean;
  /** `~SEQ(...)` generators (2.0.9). */
  seq: boolean;
  /** `~SEQx(...)` and `~LST(...)` (2.1.0). */
  seqHexAndLists: boolean;
  /** `${_RANDOM}` (2.0.15). */
  randomDefinition: boolean;
  /** `${_HASH}` and `${_BANG}` (2.1.4). */
  hashBangDefinitions: boolean;
  /** `${_ENV NAME}` (2.4.0). */
  envDefinition: boolean;
  /** `includer`, `includem`, `includew`, `includeb`, `includea` (2.2.0). */
  includeVariants: boolean;
  /**
   * Before 2.4.0 a line whose substitution produced `@id` or another `$` was
   * processed again (conditional, definition, substitution); 2.4.0 dropped that.
   */
  recheckAfterSubstitution: boolean;
  /** From 2.4.0 a comment ends the scan for `\`; before, a trailing `\` after a comment still continued the line. */
  commentEndsScan: boolean;
  /** From 2.4.0 lines of 1023 bytes or more, and lines with NUL bytes, are reported and dropped. */
  dropsLongAndNulLines: boolean;
}

const atLeast = (v: Version, min: Version) => compareVersions(v, min) >= 0;

export function dialectFor(version: Version = LATEST_VERSION): Dialect {
  return {
    version,
    conditionals: atLeast(version, '1.3.0'),
    definitions: atLeast(version, '1.4.0'),
    seq: atLeast(version, '2.0.9'),
    seqHexAndLists: atLeast(version, '2.1.0'),
    randomDefinition: atLeast(version, '2.0.15'),
    hashBangDefinitions: atLeast(version, '2.1.4'),
    envDefinition: atLeast(version, '2.4.0'),
    includeVariants: atLeast(version, '2.2.0'),
    recheckAfterSubstitution: !atLeast(version, '2.4.0'),
    commentEndsScan: atLeast(version, '2.4.0'),
    dropsLongAndNulLines: atLeast(version, '2.4.0'),
  };
}
