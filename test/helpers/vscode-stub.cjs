// The part of the `vscode` API that activating the extension touches, for the activation test: VS Code itself
// cannot be downloaded here. Registrations are recorded and return disposables; documents, folders and editors
// are empty. The language client inside the extension is the real one and talks to the real bundled server.
const registrations = [];

class Disposable {
  constructor(fn = () => {}) {
    this.fn = fn;
  }
  static from(...items) {
    return new Disposable(() => items.forEach((i) => i?.dispose?.()));
  }
  dispose() {
    this.fn();
  }
}

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (listener) => {
      this.listeners.add(listener);
      return new Disposable(() => this.listeners.delete(listener));
    };
  }
  fire(e) {
    for (const l of this.listeners) l(e);
  }
  dispose() {
    this.listeners.clear();
  }
}

const event = () => new EventEmitter().event;

/** A namespace whose `onX` are events and whose `registerX`/`createX` are recorded and give disposables. */
function namespace(name, fixed) {
  return new Proxy(fixed, {
    get(target, prop) {
      if (prop in target) return target[prop];
      if (typeof prop !== 'string') return undefined;
      if (prop.startsWith('on')) return event();
      if (prop.startsWith('register') || prop.startsWith('create')) {
        return (...args) => {
          registrations.push(`${name}.${prop}`);
          return Object.assign(new Disposable(), { args });
        };
      }
      return undefined;
    },
  });
}

const outputChannel = (name) => {
  const lines = [];
  return { name, lines, append: (s) => lines.push(s), appendLine: (s) => lines.push(s), replace() {}, clear() {}, show() {}, hide() {}, dispose() {}, info: (s) => lines.push(s), warn: (s) => lines.push(s), error: (s) => lines.push(s), trace() {}, debug() {} };
};

class Uri {
  constructor(scheme, path) {
    this.scheme = scheme;
    this.path = path;
    this.fsPath = path;
  }
  static file(path) {
    return new Uri('file', path);
  }
  static parse(value) {
    const m = /^([a-z]+):\/\/(.*)$/.exec(value);
    return m ? new Uri(m[1], m[2]) : new Uri('file', value);
  }
  toString() {
    return `${this.scheme}://${this.path}`;
  }
}

class CodeActionKind {
  constructor(value) {
    this.value = value;
  }
  append(part) {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other) {
    return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
  intersects(other) {
    return this.contains(other) || other.contains(this);
  }
}
CodeActionKind.Empty = new CodeActionKind('');
CodeActionKind.QuickFix = CodeActionKind.Empty.append('quickfix');
CodeActionKind.Refactor = CodeActionKind.Empty.append('refactor');
CodeActionKind.Source = CodeActionKind.Empty.append('source');
CodeActionKind.SourceFixAll = CodeActionKind.Source.append('fixAll');
CodeActionKind.SourceOrganizeImports = CodeActionKind.Source.append('organizeImports');

const api = {
  CodeActionKind,
  version: '1.90.0',
  registrations,
  Disposable,
  EventEmitter,
  Uri,
  env: { appName: 'kalint activation test', language: 'en', machineId: 'test', openExternal: async () => true },
  workspace: namespace('workspace', {
    workspaceFolders: undefined,
    textDocuments: [],
    notebookDocuments: [],
    getConfiguration: () => ({ get: (_key, fallback) => fallback, has: () => false, update: async () => {} }),
    createFileSystemWatcher: () => ({ onDidCreate: event(), onDidChange: event(), onDidDelete: event(), dispose() {} }),
    getWorkspaceFolder: () => undefined,
  }),
  window: namespace('window', {
    activeTextEditor: undefined,
    visibleTextEditors: [],
    tabGroups: { all: [] },
    createOutputChannel: outputChannel,
    showErrorMessage: async () => undefined,
    showWarningMessage: async () => undefined,
    showInformationMessage: async () => undefined,
  }),
  languages: namespace('languages', {
    match: () => 0,
    createDiagnosticCollection: () => ({ set() {}, delete() {}, clear() {}, forEach() {}, get: () => undefined, has: () => false, dispose() {} }),
  }),
  commands: namespace('commands', { executeCommand: async () => undefined }),
  notebooks: namespace('notebooks', {}),
  extensions: namespace('extensions', { all: [] }),
};

/** Classes the client extends or builds (CompletionItem, Diagnostic, Range ...): plain holders of their arguments. */
const classes = new Map();
module.exports = new Proxy(api, {
  get(target, prop) {
    if (prop in target) return target[prop];
    if (typeof prop !== 'string' || !/^[A-Z]/.test(prop)) return undefined;
    if (!classes.has(prop)) {
      classes.set(prop, { [prop]: class {
        constructor(...args) {
          this.args = args;
        }
      } }[prop]);
    }
    return classes.get(prop);
  },
});
