// A node:test reporter for mutation testing (stryker.config.mjs): it stops the run at the first failing test, so that
// a killed mutant costs one failure instead of the whole suite. Run the tests in one process
// (--test-isolation=none) so that exiting stops them all.
export default async function* bail(source) {
  for await (const event of source) {
    if (event.type === 'test:fail') {
      const error = event.data.details?.error;
      yield `failed: ${event.data.name}${error ? `: ${String(error.cause?.message ?? error.message).split('\n')[0]}` : ''}\n`;
      process.exit(1);
    }
    if (event.type === 'test:summary' && event.data.file === undefined) yield `passed: ${JSON.stringify(event.data.counts)}\n`;
  }
}
