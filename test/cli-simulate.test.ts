/** `kalint simulate` as a user runs it, and its HTML page as headless Chromium (Debian's package) renders it. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { project } from './helpers/project.ts';

const ROOT = join(import.meta.dirname, '..');
const ARTICLES = join(ROOT, 'test/fixtures/seeds/articles');
const kalint = (args: string[], cwd = ROOT, input?: string) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/kalint.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' }, ...(input !== undefined ? { input } : {}) });
const article = (file: string) => readFileSync(join(ARTICLES, file), 'utf8');

const chromium = ['chromium', 'chromium-browser'].find((c) => spawnSync(c, ['--version']).status === 0);
if (!chromium && !process.env['KALINT_SKIP_CHROMIUM']) throw new Error('the HTML timeline test needs chromium (apt-get install chromium); set KALINT_SKIP_CHROMIUM=1 to skip it');

describe('kalint simulate', () => {
  it('runs the standard battery on the example cluster: no findings, exit 0', () => {
    const r = kalint(['simulate', 'examples/cluster/lb1.conf', 'examples/cluster/lb2.conf']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('kalint simulate: lb1 (examples/cluster/lb1.conf, 192.168.10.11), lb2 (examples/cluster/lb2.conf, 192.168.10.12)');
    expect(r.stdout).toContain('== case 1/5: lb1 crashes and starts again (30.000 s) ==');
    expect(r.stdout).toContain('10000.000  !     crash lb1');
    expect(r.stdout).toMatch(/13023\.438 {2}\* {5}192\.168\.10\.100 held by lb2 \(3023\.438 ms after crash lb1\)/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('no findings in 5 cases');
  });

  it('takes a scenario from stdin, prints JSON, and exits 1 on findings placed in the node\'s file', () => {
    const dir = project({ 'ka1.conf': article('003-ka1-vip.conf').replaceAll('weight -30', 'weight -10'), 'ka2.conf': article('003-ka2-vip.conf') });
    const r = kalint(['simulate', 'ka1.conf', 'ka2.conf', '--scenario', '-', '--format', 'json', '--duration', '30s'], dir, '- 10s script-fail ka1 check_test\n');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.nodes).toEqual([
      { name: 'ka1', file: 'ka1.conf', address: '10.0.0.18' },
      { name: 'ka2', file: 'ka2.conf', address: '10.0.0.28' },
    ]);
    expect(out.cases[0].ownership).toEqual([{ at: 3609.375, vip: '10.0.0.100', owners: ['ka1'] }]);
    expect(out.cases[0].adverts.map((a: { node: string; count: number }) => `${a.node} ${a.count}`)).toEqual(['ka1 27']);
    expect(out.cases[0].findings).toEqual([
      expect.objectContaining({ file: 'ka1.conf', line: 9, column: 1, severity: 'error', ruleId: 'sim/failed-check-ignored' }),
    ]);
  });

  it('exits 2 on a bad scenario or usage, and 1 on configurations with lint errors unless --force', () => {
    const dir = project({ 'a.conf': article('003-ka1-vip.conf'), 'b.conf': article('003-ka2-vip.conf'), 'bad.yaml': '- 5s crash nobody\n', 'typo.conf': article('003-ka2-vip.conf').replace('unicast_src_ip', 'unicast_src-ip') });
    const bad = kalint(['simulate', 'a.conf', 'b.conf', '--scenario', 'bad.yaml'], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('kalint: scenario bad.yaml: event 1: no node nobody (nodes: a, b)\n');
    expect(kalint(['simulate'], dir).status).toBe(2);
    expect(kalint(['simulate', 'a.conf', '--delay', 'soon'], dir).stderr).toContain('--delay: expected a time such as 500ms');
    const typo = kalint(['simulate', 'a.conf', 'typo.conf'], dir);
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain("typo.conf:24:5  error  Unknown keyword 'unicast_src-ip'");
    expect(typo.stderr).toContain('kalint: not simulating configurations with 1 error (--force simulates them anyway)');
    // Forced, the node's address comes from the other's unicast_peer, as kalint run would find it on the interface.
    const forced = kalint(['simulate', 'a.conf', 'typo.conf', '--force', '--format', 'json'], dir);
    expect(JSON.parse(forced.stdout).nodes[1]).toEqual({ name: 'typo', file: 'typo.conf', address: '10.0.0.28' });
  });

  it.skipIf(!chromium)('writes an HTML timeline that Chromium renders with one lane per node (screenshot in artifacts/)', () => {
    const dir = project({ 'ka1.conf': article('003-ka1-vip.conf'), 'ka2.conf': article('003-ka2-vip.conf') });
    const page = join(dir, 'timeline.html');
    expect(kalint(['simulate', 'ka1.conf', 'ka2.conf', '--html', page], dir).status).toBe(0);
    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/<script|<link|src=|url\(/);
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars', '--user-data-dir=' + join(dir, 'chromium')];
    const dom = spawnSync(chromium!, [...flags, '--dump-dom', `file://${page}`], { encoding: 'utf8', timeout: 60_000 });
    expect(dom.status).toBe(0);
    // The rendered DOM: five cases of the battery, each with a lane for ka1 and one for ka2.
    const lanes = [...dom.stdout.matchAll(/<g class="lane" data-node="([^"]+)">/g)].map((m) => m[1]);
    expect(lanes).toEqual(Array(5).fill(['ka1', 'ka2']).flat());
    mkdirSync(join(ROOT, 'artifacts'), { recursive: true });
    const shot = join(ROOT, 'artifacts/simulate-timeline.png');
    const png = spawnSync(chromium!, [...flags, '--window-size=1280,1600', `--screenshot=${shot}`, `file://${page}`], { encoding: 'utf8', timeout: 60_000 });
    expect(png.status).toBe(0);
    const bytes = readFileSync(shot);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1280, 1600]);
    writeFileSync(join(ROOT, 'artifacts/simulate-timeline.html'), html);
  }, 120_000);
});
