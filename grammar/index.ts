/** The grammar layer's public API: reading keepalived.conf into a typed AST with diagnostics. */
export * from './ast.ts';
export {
  compareDiagnostics,
  type Diagnostic,
  type FlatDiagnostic,
  type Fix,
  flatten,
  readerRules,
  type RelatedInfo,
  type RuleMeta,
  type Severity,
  type TextEdit,
} from './diagnostics.ts';
export { type Dialect, dialectFor } from './dialect.ts';
export { type FileInfo, type Host, memoryHost, nodeHost, rootedHost } from './host.ts';
export { type ReadOptions, type ReadResult, readConfig, readConfigText } from './reader.ts';
export { compareVersions, LATEST_VERSION, lookupKeyword, schema } from './schema/index.ts';
export type { Version } from './schema/types.ts';
export { type CommandArg, commandArgs } from './line.ts';
export { positionAt, type Range, type SourceFile } from './source.ts';
export { canonicalIp, checkValue, type IpValue, type Value } from './values.ts';
export * as model from './model/index.ts';
