import { CommanderError, InvalidArgumentError } from 'commander';
import { toErrorValue } from '../core/errors.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { Output } from './output.js';
import { redressProgram } from './program.js';

/** Runs one command line and resolves to the exit code; never throws, never prints a stack trace. */
export async function run(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.OK;
  const jsonRequested = argv.includes('--json');
  const out = () => new Output(jsonRequested);
  const program = redressProgram({ out, exit: (code) => (exitCode = code) });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (err instanceof InvalidArgumentError) return EXIT.USAGE;
    const value = toErrorValue(err);
    out().error(value);
    if (value.code === 'INTERNAL' && process.env.REDRESS_DEBUG) console.error(err);
    return exitCodeFor(value.code);
  }
}
