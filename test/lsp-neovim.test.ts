/**
 * A real third-party client: Debian's Neovim, headless, attaches to
 * `kalint lsp --stdio` through its built-in LSP client and reports the typo's
 * diagnostic. CI installs neovim (.ci/run).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const hasNeovim = spawnSync('nvim', ['--version']).status === 0;
if (!hasNeovim && !process.env['KALINT_SKIP_NEOVIM']) {
  throw new Error('nvim is missing: install Debian\'s neovim package (apt-get install neovim), or set KALINT_SKIP_NEOVIM=1');
}

/** Neovim 0.7's API (Debian 12): start_client and buf_attach_client; the result goes to a file. */
const INIT = `
local out_file, node, kalint = ...
local client = vim.lsp.start_client({ name = 'kalint', cmd = { node, kalint, 'lsp', '--stdio' }, root_dir = vim.fn.getcwd() })
vim.lsp.buf_attach_client(0, client)
local ok = vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''
  table.insert(lines, string.format('%d:%d %s %s', d.lnum + 1, d.col + 1, code, d.message))
end
if not ok then table.insert(lines, 'timeout') end
vim.fn.writefile(lines, out_file)
vim.cmd('qa!')
`;

describe.skipIf(!hasNeovim)('Neovim as the client', () => {
  it('attaches to kalint lsp --stdio and shows the typo diagnostic', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kalint-nvim-'));
    const conf = join(dir, 'keepalived.conf');
    writeFileSync(conf, 'vrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id 51\n    unicast_src-ip 10.0.0.1\n}\n');
    const script = join(dir, 'init.lua');
    const out = join(dir, 'diagnostics.txt');
    writeFileSync(script, INIT);
    const r = spawnSync(
      'nvim',
      ['--headless', '--clean', '-c', `lua loadfile('${script}')('${out}', '${process.execPath}', '${join(ROOT, 'bin/kalint.js')}')`, conf],
      { cwd: dir, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toContain("5:5 unknown-keyword Unknown keyword 'unicast_src-ip' in vrrp_instance VI_1; did you mean 'unicast_src_ip'?");
  });
});
