// npm install: builds the native packet I/O that `kalint run` needs (node-gyp, against the machine's Node
// headers; nothing is downloaded). kalint's other commands work without it, so a machine without a
// compiler still installs kalint, with a warning.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (existsSync('binding.gyp')) {
  const gyp = spawnSync('node-gyp', ['rebuild'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (gyp.status !== 0) process.stderr.write('kalint: the native packet I/O did not build; `kalint run` will not work until it does\n');
}
