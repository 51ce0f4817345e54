/** Translation between keepalived.conf and data (JSON, YAML), with the data's JSON Schema. */
export { toConf } from './conf.ts';
export { type Entry, type ModelDocument, toModel, type ToModelOptions } from './model.ts';
export { type ModelError, modelSchema, validateModel } from './schema.ts';
export { type Change, diffConfigs, formatChanges } from './diff.ts';
export { type Migration, migrate, type MigrateOptions } from './migrate.ts';
export { type RulesOutput, toIpvsadm, toNftables } from './lvs-rules.ts';
