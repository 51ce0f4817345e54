/**
 * What the server knows about the files: the open documents' texts (which
 * win over the disk, for includes too), the `.kalintrc.json` that governs
 * each file, and the analyses: a document read as keepalived reads it, from
 * itself as main file through its includes, and linted as `kalint check`
 * would. Cluster checks run over the nodes a `.kalintrc.json` declares.
 */
import { statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import {
  type Diagnostic,
  type Host,
  nodeHost,
  readConfig,
  type ReadOptions,
  type ReadResult,
  rootedHost,
  type SourceFile,
  type Version,
} from '../grammar/index.ts';
import { allRuleMetas, type ClusterNode, clusterRules, findConfig, hostInterfaces, type KalintConfig, lint, lintCluster, lintRules, loadConfig, nodeLabel } from '../lint/index.ts';

export interface Analysis {
  /** Real absolute path of the document. */
  path: string;
  text: string;
  result: ReadResult;
  /** Reader and lint diagnostics, in every file the document includes. */
  diagnostics: Diagnostic[];
  settings: Settings;
  /** Where a file of the analysis is on disk (the include root mapped back). */
  realPath(file: SourceFile): string;
  /** How to read another file the way this document was read (for cluster nodes). */
  read(path: string): ReadResult | { error: string };
}

export interface Settings {
  config: KalintConfig;
  /** The `.kalintrc.json` in force, if any. */
  path?: string;
  /** Why that file could not be used. */
  problem?: string;
}

export class Workspace {
  /** What the editor's settings give (target version, config id), under what `.kalintrc.json` says. */
  defaults: KalintConfig = {};
  private readonly settingsCache = new Map<string, { mtime: number; settings: Settings }>();

  /** `openText` gives the text of an open document by real absolute path. */
  constructor(private readonly openText: (path: string) => string | undefined) {}

  async settingsFor(path: string): Promise<Settings> {
    const configPath = findConfig(dirname(path));
    if (!configPath) return { config: {} };
    const mtime = mtimeOf(configPath);
    const cached = this.settingsCache.get(configPath);
    if (cached && cached.mtime === mtime) return cached.settings;
    const loaded = await loadConfig(configPath, allRuleMetas().map((r) => r.id));
    const settings: Settings =
      'problems' in loaded ? { config: {}, path: configPath, problem: loaded.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('; ') } : { config: loaded.config, path: configPath };
    this.settingsCache.set(configPath, { mtime, settings });
    return settings;
  }

  async analyze(path: string, text: string): Promise<Analysis> {
    const found = await this.settingsFor(path);
    const settings = { ...found, config: { ...this.defaults, ...found.config } };
    const { config } = settings;
    const root = config.includeRoot && settings.path ? resolve(dirname(settings.path), config.includeRoot) : undefined;
    const inRoot = root && !relative(root, path).startsWith('..') ? root : undefined;
    const base = this.overlay(inRoot ? rootedHost(nodeHost(dirname(path)), inRoot, `/${relative(inRoot, dirname(path))}`) : nodeHost(dirname(path)), inRoot);
    const realPath = (file: SourceFile) => (inRoot ? join(inRoot, file.absolutePath) : file.absolutePath);
    const options: ReadOptions = { ...readOptions(config), host: base };
    const read = (p: string) => readConfig(inRoot ? `/${relative(inRoot, p)}` : p, options);
    const result = read(path);
    if ('error' in result) throw new Error(`cannot read ${path}: ${result.error}`);
    const diagnostics = lint(result, {
      rules: lintRules,
      severities: config.rules ?? {},
      ...(config.targetVersion ? { targetVersion: config.targetVersion } : {}),
    });
    return { path, text, result, diagnostics, settings, realPath, read };
  }

  /** Cluster diagnostics when the analysis' settings declare the cluster and the document is one of its nodes. */
  cluster(analysis: Analysis): Diagnostic[] | undefined {
    const { config, path: configPath } = analysis.settings;
    if (!config.cluster || !configPath) return undefined;
    const nodes = config.cluster.nodes.map((n) => resolve(dirname(configPath), n));
    if (!nodes.includes(analysis.path)) return undefined;
    const read: ClusterNode[] = [];
    for (const node of nodes) {
      const result = node === analysis.path ? analysis.result : analysis.read(node);
      if ('error' in result) return undefined;
      read.push({ label: nodeLabel(result.config), result });
    }
    return lintCluster(read, clusterRules, config.rules ?? {});
  }

  /** The nodes of the cluster a `.kalintrc.json` declares, as real paths. */
  clusterNodes(analysis: Analysis): string[] {
    const { config, path } = analysis.settings;
    return config.cluster && path ? config.cluster.nodes.map((n) => resolve(dirname(path), n)) : [];
  }

  /** A host that serves open documents from memory. */
  private overlay(base: Host, root: string | undefined): Host {
    const real = (p: string) => {
      const abs = posix.resolve(base.cwd(), p);
      return root ? join(root, abs) : abs;
    };
    return {
      ...base,
      readFile: (p) => {
        const text = this.openText(real(p));
        return text === undefined ? base.readFile(p) : new TextEncoder().encode(text);
      },
      stat: (p) => base.stat(p) ?? (this.openText(real(p)) !== undefined ? { kind: 'file', executable: false } : undefined),
    };
  }
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/** The reading options a `.kalintrc.json` sets. */
function readOptions(config: KalintConfig): Omit<ReadOptions, 'host'> {
  const out: Omit<ReadOptions, 'host'> = {};
  if (config.targetVersion) out.targetVersion = config.targetVersion as Version;
  if (config.configId !== undefined) out.configId = config.configId;
  if (config.interfaces !== undefined) out.interfaces = config.interfaces === 'host' ? (hostInterfaces() ?? new Set()) : new Set(config.interfaces);
  return out;
}
