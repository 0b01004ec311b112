#!/usr/bin/env node
import { run } from '../dist/electron/cli/main.js';

// `redress log CASE | head` closes the pipe early: the reader has what it wanted, so leave quietly instead of
// printing a stack trace. A vault write in progress still finishes in its own transaction or not at all.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await run(process.argv.slice(2));
