#!/usr/bin/env node
// Checked before anything else loads: the SQLCipher addon needs Node-API 10 (Node 24, Electron 41's Node), and on
// an older Node it can crash instead of failing. Imports below are dynamic so that this check runs first.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  const lang = process.env.REDRESS_LANG || process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '';
  process.stderr.write(
    /^zh/i.test(lang)
      ? `Redress 需要 Node.js 24 或更高版本，当前为 v${process.versions.node}。请先升级 Node.js。\n`
      : `Redress needs Node.js 24 or newer; this is v${process.versions.node}. Please upgrade Node.js first.\n`,
  );
  process.exit(8);
}

// `redress log CASE | head` closes the pipe early: the reader has what it wanted, so leave quietly instead of
// printing a stack trace. A vault write in progress still finishes in its own transaction or not at all.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const { run } = await import('../dist/electron/cli/main.js');
process.exitCode = await run(process.argv.slice(2));
