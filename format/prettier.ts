/**
 * The Prettier 3 plugin, published as `kalint/prettier`:
 *   prettier --plugin=kalint/prettier --write keepalived.conf
 * Files named keepalived.conf are recognised; others take
 * `overrides: [{ files: "keepalived/**\/*.conf", options: { parser: "keepalived" } }]`
 * (`.conf` alone would claim every other program's configuration too).
 *
 * The printer prints the whole tree at once from the root, with print.ts,
 * which `kalint fmt` uses as well. The tree's comments are its own nodes, so
 * Prettier's comment attachment is not involved.
 */
import type { Parser, Plugin, Printer, SupportLanguage } from 'prettier';
import { type CstDocument, parseCst } from '../grammar/cst/index.ts';
import { DEFAULT_TAB_WIDTH } from './index.ts';
import { printDocument } from './print.ts';

const AST_FORMAT = 'keepalived-cst';

export const languages: SupportLanguage[] = [
  {
    name: 'keepalived',
    parsers: ['keepalived'],
    filenames: ['keepalived.conf'],
    extensions: ['.keepalived'],
    vscodeLanguageIds: ['keepalived'],
  },
];

export const parsers: Record<string, Parser<CstDocument>> = {
  keepalived: {
    parse: (text) => parseCst(text).cst,
    astFormat: AST_FORMAT,
    locStart: (node) => node.start,
    locEnd: (node) => node.end,
  },
};

export const printers: Record<string, Printer<CstDocument>> = {
  [AST_FORMAT]: {
    print: (path, options) => printDocument(path.node, options.originalText, { tabWidth: options.tabWidth, useTabs: options.useTabs ?? false }),
  },
};

export const defaultOptions: Plugin['defaultOptions'] = { tabWidth: DEFAULT_TAB_WIDTH };

const plugin: Plugin<CstDocument> = { languages, parsers, printers, defaultOptions };
export default plugin;
