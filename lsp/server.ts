/**
 * The language server: `kalint lsp --stdio`. Documents are analysed as
 * `kalint check` reads and lints them (a short while after the last change),
 * and their diagnostics published for every file of their include tree; the
 * layout features work on the document's concrete syntax tree.
 */
import { basename } from 'node:path';
import {
  CodeActionKind,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeResult,
  type Location,
  MarkupKind,
  type Range,
  ResponseError,
  SemanticTokensBuilder,
  type SelectionRange,
  TextDocuments,
  TextDocumentSyncKind,
  type TextEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseCst, type CstDocument } from '../grammar/cst/index.ts';
import type { Diagnostic, Version } from '../grammar/index.ts';
import { formatEdits, formatRangeEdits, type TextEdit as FormatEdit } from '../format/index.ts';
import { fixAll, fixData, quickFixes } from './actions.ts';
import { complete } from './completion.ts';
import { lspDiagnostic, lspRange, pathOf, uriOf } from './convert.ts';
import { hover } from './hover.ts';
import { sameObject, siteAt, validName } from './names.ts';
import { foldingRanges, includeLinks, type OffsetRange, outline, selectionChain, toDocumentSymbols } from './outline.ts';
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from './semantic.ts';
import { type Analysis, Workspace } from './workspace.ts';

const STATUS_REQUEST = 'kalint/status';

/**
 * Changes in a burst are analysed once, this long after the last of them;
 * a change after a quiet spell is analysed at once (leading edge).
 */
const DEBOUNCE_MS = 50;
const QUIET_MS = 250;

/** What the editor may send as initialization options or `kalint` settings. */
interface ClientSettings {
  targetVersion?: string;
  configId?: string;
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  /** Documents by the path they are read under (a non-file URI gets a path of its own). */
  const pathOfUri = (uri: string) => pathOf(uri) ?? `/${uri.replace(/^[a-z]+:/i, '').replace(/^\/+/, '')}`;
  const openByPath = new Map<string, TextDocument>();
  const workspace = new Workspace((path) => openByPath.get(path)?.getText());
  const analyses = new Map<string, Analysis>();
  const timers = new Map<string, NodeJS.Timeout>();
  const published = new Set<string>();
  const clusterCache = new WeakMap<Analysis, Diagnostic[]>();
  const cstCache = new Map<string, { version: number; cst: CstDocument }>();

  const applySettings = (s: ClientSettings | undefined) => {
    workspace.defaults = {
      ...(s?.targetVersion ? { targetVersion: s.targetVersion as Version } : {}),
      ...(s?.configId ? { configId: s.configId } : {}),
    };
  };

  connection.onInitialize((params): InitializeResult => {
    applySettings(params.initializationOptions as ClientSettings | undefined);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [' ', '\t'] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        documentLinkProvider: { resolveProvider: false },
        semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
      },
      serverInfo: { name: 'kalint' },
    };
  });

  connection.onDidChangeConfiguration((change) => {
    applySettings((change.settings as { kalint?: ClientSettings } | undefined)?.kalint);
    for (const doc of documents.all()) schedule(doc.uri, 0);
  });
  connection.onDidChangeWatchedFiles(() => {
    for (const doc of documents.all()) schedule(doc.uri, 0);
  });

  documents.onDidOpen((e) => {
    openByPath.set(pathOfUri(e.document.uri), e.document);
    schedule(e.document.uri, 0);
  });
  /** When each document last changed, for the leading edge of the debounce. */
  const lastChange = new Map<string, number>();
  documents.onDidChangeContent((e) => {
    openByPath.set(pathOfUri(e.document.uri), e.document);
    const now = performance.now();
    const quiet = now - (lastChange.get(e.document.uri) ?? -Infinity) > QUIET_MS;
    lastChange.set(e.document.uri, now);
    schedule(e.document.uri, quiet ? 0 : DEBOUNCE_MS);
    // Files that include this one see the change too.
    const path = pathOfUri(e.document.uri);
    for (const [uri, a] of analyses) if (uri !== e.document.uri && a.result.config.files.some((f) => a.realPath(f) === path)) schedule(uri, DEBOUNCE_MS);
  });
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    openByPath.delete(pathOfUri(uri));
    lastChange.delete(uri);
    analyses.delete(uri);
    cstCache.delete(uri);
    publish();
  });

  function schedule(uri: string, delay: number): void {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        void analyze(uri).then(publish, (e: unknown) => connection.console.error(`kalint: ${(e as Error).stack ?? String(e)}`));
      }, delay),
    );
  }

  /** The document's analysis for its current text, made now if the last one is out of date. */
  async function analyze(uri: string): Promise<Analysis | undefined> {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const text = doc.getText();
    const current = analyses.get(uri);
    if (current && current.text === text) return current;
    // The old tree is garbage from here on: letting it go first spares the collector a full heap.
    analyses.delete(uri);
    const analysis = await workspace.analyze(pathOfUri(uri), text);
    // The document may have closed while it was read.
    if (documents.get(uri)) analyses.set(uri, analysis);
    return analysis;
  }

  /**
   * Publishes every file's diagnostics: those of the open documents that
   * include it (or its own, when none does) and the cluster's.
   */
  function publish(): void {
    const byFile = new Map<string, Map<string, LspDiagnostic>>();
    const add = (path: string, d: Diagnostic, a: Analysis) => {
      const lsp = lspDiagnostic(d, a.realPath);
      const data = fixData(d, a.realPath);
      if (data) lsp.data = data;
      const key = `${d.ruleId} ${d.range.start} ${d.range.end} ${d.message}`;
      let map = byFile.get(path);
      if (!map) byFile.set(path, (map = new Map()));
      map.set(key, lsp);
    };
    const includedByOthers = new Set<string>();
    for (const [uri, a] of analyses) for (const f of a.result.config.files.slice(1)) if (a.realPath(f) !== pathOfUri(uri)) includedByOthers.add(a.realPath(f));
    for (const [uri, a] of analyses) {
      const own = pathOfUri(uri);
      for (const d of a.diagnostics) {
        const file = a.realPath(d.range.file);
        if (file === own && includedByOthers.has(own)) continue;
        add(file, d, a);
      }
      let cluster = clusterCache.get(a);
      if (!cluster) clusterCache.set(a, (cluster = workspace.cluster(a) ?? []));
      for (const d of cluster) add(a.realPath(d.range.file), d, a);
      if (a.settings.problem) {
        const at = { file: a.result.config.file, start: 0, end: 0 };
        add(own, { ruleId: 'config', severity: 'error', message: `${basename(a.settings.path!)}: ${a.settings.problem}`, range: at }, a);
      }
    }
    const now = new Set<string>();
    for (const [path, diagnostics] of byFile) {
      const uri = openByPath.get(path)?.uri ?? uriOf(path);
      now.add(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [...diagnostics.values()] });
    }
    for (const uri of analyses.keys()) {
      if (!now.has(uri)) {
        now.add(uri);
        void connection.sendDiagnostics({ uri, diagnostics: [] });
      }
    }
    for (const uri of published) if (!now.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    published.clear();
    for (const uri of now) published.add(uri);
  }

  const cstOf = (doc: TextDocument): CstDocument => {
    const cached = cstCache.get(doc.uri);
    if (cached && cached.version === doc.version) return cached.cst;
    const cst = parseCst(doc.getText()).cst;
    cstCache.set(doc.uri, { version: doc.version, cst });
    return cst;
  };
  const rangeIn = (doc: TextDocument) => (r: OffsetRange): Range => ({ start: doc.positionAt(r.start), end: doc.positionAt(r.end) });
  const toEdits = (doc: TextDocument, edits: FormatEdit[]): TextEdit[] => edits.map((e) => ({ range: rangeIn(doc)(e), newText: e.text }));

  connection.onCompletion((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    return complete(doc.getText(), doc.offsetAt(p.position), analyses.get(doc.uri)?.result.config);
  });

  connection.onHover((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    const a = analyses.get(doc.uri);
    const fresh = a && a.text === doc.getText() ? a : undefined;
    const found = hover(doc.getText(), doc.offsetAt(p.position), fresh?.result.config, fresh?.result.config.file);
    return found ? { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: rangeIn(doc)(found) } : null;
  });

  /** The named object under the cursor, from an analysis of the current text. */
  async function siteUnder(uri: string, position: { line: number; character: number }) {
    const doc = documents.get(uri);
    const a = doc && (await analyze(uri));
    if (!doc || !a) return undefined;
    const config = a.result.config;
    const site = siteAt(config, config.file, doc.offsetAt(position));
    return site && { a, site, all: sameObject(config, site) };
  }
  const locationOf = (a: Analysis, word: { file: Parameters<Analysis['realPath']>[0]; start: number; end: number }): Location => ({
    uri: openByPath.get(a.realPath(word.file))?.uri ?? uriOf(a.realPath(word.file)),
    range: lspRange({ file: word.file, start: word.start, end: word.end }),
  });

  connection.onDefinition(async (p) => {
    const found = await siteUnder(p.textDocument.uri, p.position);
    return found ? found.all.filter((s) => s.definition).map((s) => locationOf(found.a, s.word)) : null;
  });

  connection.onReferences(async (p) => {
    const found = await siteUnder(p.textDocument.uri, p.position);
    return found ? found.all.filter((s) => p.context.includeDeclaration || !s.definition).map((s) => locationOf(found.a, s.word)) : [];
  });

  connection.onPrepareRename(async (p) => {
    const found = await siteUnder(p.textDocument.uri, p.position);
    if (!found) return null;
    return { range: lspRange(found.site.word.range), placeholder: found.site.name };
  });

  connection.onRenameRequest(async (p) => {
    if (!validName(p.newName)) throw new ResponseError(-32602, `'${p.newName}' is not one word keepalived can read as a name`);
    const found = await siteUnder(p.textDocument.uri, p.position);
    if (!found) return null;
    const changes: Record<string, TextEdit[]> = {};
    for (const s of found.all) {
      if (s.word.frame) continue;
      const loc = locationOf(found.a, s.word);
      (changes[loc.uri] ??= []).push({ range: loc.range, newText: p.newName });
    }
    return { changes };
  });

  connection.onDocumentSymbol((p) => {
    const doc = documents.get(p.textDocument.uri);
    return doc ? toDocumentSymbols(outline(cstOf(doc)), rangeIn(doc)) : [];
  });

  connection.onFoldingRanges((p) => {
    const doc = documents.get(p.textDocument.uri);
    return doc ? foldingRanges(cstOf(doc), (o) => doc.positionAt(o).line) : [];
  });

  connection.onSelectionRanges((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    return p.positions.map((pos) => {
      let node: SelectionRange | undefined;
      // Outermost first, so that each range's parent is the one around it.
      for (const r of selectionChain(cstOf(doc), doc.offsetAt(pos)).reverse()) node = { range: rangeIn(doc)(r), ...(node ? { parent: node } : {}) };
      return node ?? { range: { start: pos, end: pos } };
    });
  });

  connection.onDocumentLinks((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    return includeLinks(cstOf(doc), pathOfUri(doc.uri)).map((l) => ({ range: rangeIn(doc)(l.range), target: uriOf(l.target) }));
  });

  connection.languages.semanticTokens.on((p) => {
    const doc = documents.get(p.textDocument.uri);
    const builder = new SemanticTokensBuilder();
    if (doc) {
      for (const t of semanticTokens(cstOf(doc), doc.getText())) {
        const at = doc.positionAt(t.start);
        builder.push(at.line, at.character, t.length, t.type, t.modifiers);
      }
    }
    return builder.build();
  });

  connection.onDocumentFormatting((p) => {
    const doc = documents.get(p.textDocument.uri);
    return doc ? toEdits(doc, formatEdits(doc.getText(), { tabWidth: p.options.tabSize, useTabs: !p.options.insertSpaces })) : [];
  });

  connection.onDocumentRangeFormatting((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    const range = { start: doc.offsetAt(p.range.start), end: doc.offsetAt(p.range.end) };
    return toEdits(doc, formatRangeEdits(doc.getText(), range, { tabWidth: p.options.tabSize, useTabs: !p.options.insertSpaces }));
  });

  connection.onCodeAction(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    const actions = quickFixes(doc.uri, doc.getText(), p.context.diagnostics);
    const a = await analyze(doc.uri);
    const all = a && fixAll(doc.uri, a.result.config.file, a.diagnostics);
    if (all && (!p.context.only || p.context.only.some((k) => CodeActionKind.SourceFixAll.startsWith(k)))) actions.push(all);
    return p.context.only ? actions.filter((x) => p.context.only!.some((k) => x.kind?.startsWith(k))) : actions;
  });

  /** What the server holds, for an editor's status view (and the tests that check nothing leaks). */
  connection.onRequest(STATUS_REQUEST, () => ({
    documents: documents.all().length,
    analyses: analyses.size,
    pendingAnalyses: timers.size,
    syntaxTrees: cstCache.size,
    paths: openByPath.size,
    changeTimes: lastChange.size,
  }));

  documents.listen(connection);
  connection.listen();
}
