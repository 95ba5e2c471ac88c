#!/usr/bin/env node
// The `codesage` command: runs the built CLI. `npm install` builds it (prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('codesage: the CLI is not built yet. Run `npm run build` in the CodeSage folder, then try again.\n');
  process.exit(1);
}
await import(pathToFileURL(cli).href);
