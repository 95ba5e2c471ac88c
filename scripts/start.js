// `npm start`: runs the Electron app when its binary is installed; otherwise says so in one line
// and starts serve mode, which serves the same UI to a browser.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

function electronBinary() {
  try {
    // The electron package exports the path of its binary, and throws when the download failed.
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const [command, args] = binary ? [binary, ['.']] : [process.execPath, ['out/main/serve.js']];
if (!binary) {
  console.log('Electron is not installed on this machine, so CodeSage starts in serve mode: open the URL below in your browser.');
}
const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
