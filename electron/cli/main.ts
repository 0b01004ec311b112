import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CASE_STATUSES, INCIDENT_TYPES, ITEM_KINDS } from '../../shared/case-model.js';
import { APP_VERSION } from '../core/data-dir.js';
import { toErrorValue } from '../core/errors.js';
import { addCommand } from './commands/add.js';
import { caseCreate, caseList, caseShow } from './commands/case.js';
import { initCommand } from './commands/init.js';
import { recoverCommand } from './commands/recover.js';
import { itemsCommand } from './commands/items.js';
import { logCommand } from './commands/log.js';
import { verifyCommand } from './commands/verify.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { Output } from './output.js';
import type { GlobalOptions } from './session.js';

/** Runs one command line and resolves to the exit code; never throws, never prints a stack trace. */
export async function run(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.OK;
  const jsonRequested = argv.includes('--json');
  const out = () => new Output(jsonRequested);

  const program = new Command('redress')
    .description('Redress: an encrypted, hash-chained evidence vault for victims of online fraud and data leaks.')
    .version(APP_VERSION)
    .option('--data-dir <dir>', 'vault folder (default: REDRESS_DATA_DIR or the app data folder)')
    .option('--json', 'print one JSON document on stdout')
    .exitOverride()
    .showHelpAfterError('(run "redress --help" for usage)')
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals();

  program
    .command('init')
    .description('create a vault: set its passphrase and get a one-time recovery code')
    .action(async (_o, cmd: Command) => initCommand(globals(cmd), out()));

  program
    .command('recover')
    .description('forgot the passphrase: unlock with the recovery code (REDRESS_RECOVERY_CODE) and set a new one (REDRESS_NEW_PASSPHRASE)')
    .action(async (_o, cmd: Command) => recoverCommand(globals(cmd), out()));

  const kase = program.command('case').description('create, list and show cases');
  kase
    .command('create')
    .description('create a case and print its id')
    .requiredOption('--title <title>', 'short title')
    .addOption(new Option('--type <type>', 'incident type').choices(INCIDENT_TYPES).makeOptionMandatory())
    .option('--narrative <text>', 'what happened, in your words')
    .option('--started <iso>', 'when it started (ISO 8601 with offset)')
    .option('--discovered <iso>', 'when it was discovered (ISO 8601 with offset)')
    .action(async (_o, cmd: Command) => caseCreate(globals(cmd) as Parameters<typeof caseCreate>[0], out()));
  kase
    .command('list')
    .description('list cases')
    .addOption(new Option('--status <status>').choices(CASE_STATUSES))
    .addOption(new Option('--type <type>').choices(INCIDENT_TYPES))
    .option('--search <text>', 'words in the title, narrative or parties')
    .action(async (_o, cmd: Command) => caseList(globals(cmd), out()));
  kase
    .command('show')
    .description('show one case')
    .argument('<case>', 'case id or a unique prefix of it')
    .action(async (ref: string, _o, cmd: Command) => caseShow(ref, globals(cmd), out()));

  program
    .command('add')
    .description('add files to a case as evidence (originals are stored encrypted and never changed)')
    .argument('<case>', 'case id or a unique prefix of it')
    .argument('<files...>', 'files to add')
    .addOption(new Option('--kind <kind>', 'kind of evidence').choices(ITEM_KINDS))
    .option('--note <text>', 'a note stored with each item')
    .option('--title <title>', 'title (only when adding one file)')
    .option('--tag <tag>', 'a tag (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--source <text>', 'how the files were obtained')
    .action(async (ref: string, files: string[], _o, cmd: Command) => {
      exitCode = await addCommand(ref, files, globals(cmd), out());
    });

  program
    .command('items')
    .description("list a case's evidence items")
    .argument('<case>')
    .action(async (ref: string, _o, cmd: Command) => itemsCommand(ref, globals(cmd), out()));

  program
    .command('log')
    .description("print a case's custody chain")
    .argument('<case>')
    .action(async (ref: string, _o, cmd: Command) => logCommand(ref, globals(cmd), out()));

  program
    .command('verify')
    .description(`re-hash every stored original and recompute every custody chain (exit ${EXIT.VERIFY_FAILED} if anything fails)`)
    .argument('[case]')
    .action(async (ref: string | undefined, _o, cmd: Command) => {
      exitCode = await verifyCommand(ref, globals(cmd), out());
    });

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
