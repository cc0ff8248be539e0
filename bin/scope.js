#!/usr/bin/env node
// The `scope` command line: runs the TypeScript sources through ts-node (transpile only, no build step).
const path = require('node:path');
process.env.TS_NODE_TRANSPILE_ONLY = 'true';
process.env.TS_NODE_PROJECT = path.join(__dirname, '..', 'tsconfig.json');
require('ts-node/register/transpile-only');
require('../src/cli/main').main(process.argv.slice(2)).then(
  (code) => process.exit(code ?? 0),
  (err) => {
    process.stderr.write(`scope: ${err && err.message ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
