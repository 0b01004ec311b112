import { Command, InvalidArgumentError, Option } from 'commander';
import { CASE_STATUSES, INCIDENT_TYPES, ITEM_KINDS } from '../../shared/case-model.js';
import { APP_VERSION } from '../core/data-dir.js';
import { addCommand } from './commands/add.js';
import { caseCreate, caseList, caseShow } from './commands/case.js';
import { initCommand } from './commands/init.js';
import { recoverCommand } from './commands/recover.js';
import { changePassphraseCommand } from './commands/change-passphrase.js';
import { quarantineDiscardCommand, quarantineListCommand, quarantineReattachCommand } from './commands/quarantine.js';
import { acknowledgeRollbackCommand } from './commands/rollback.js';
import { itemsCommand } from './commands/items.js';
import { logCommand } from './commands/log.js';
import { verifyCommand } from './commands/verify.js';
import { exportCommand } from './commands/export.js';
import { importBundleCommand } from './commands/import-bundle.js';
import { timestampCommand, timestampsAddTsaCommand, timestampsRetryCommand, timestampsSetCommand, timestampsStatusCommand } from './commands/timestamps.js';
import { knownVaultsAddCommand, knownVaultsListCommand, knownVaultsRemoveCommand, vaultKeyCommand } from './commands/vault-key.js';
import { statsCommand } from './commands/stats.js';
import { batchExportCommand } from './commands/batch-export.js';
import { packetCommand } from './commands/packet.js';
import { recipientsCommand } from './commands/recipients.js';
import { verifyPacketCommand } from './commands/verify-packet.js';
import { importCommand, IMPORT_FORMATS } from './commands/import.js';
import { messagesCommand } from './commands/messages.js';
import { flagCommand, transactionsCommand } from './commands/transactions.js';
import { EXIT } from './exit-codes.js';
import type { Output } from './output.js';
import type { GlobalOptions } from './session.js';

/** What the commands' actions take from the run they belong to. */
export interface CliRun {
  out: () => Output;
  /** for commands whose result is an exit code of its own (a failed verification, files that could not be added) */
  exit: (code: number) => void;
}

/** The redress command and every subcommand; `redress --help` lists them in this order. */
export function redressProgram(run: CliRun): Command {
  const program = new Command('redress')
    .description('Redress: an encrypted, hash-chained evidence vault for victims of online fraud and data leaks.')
    .version(APP_VERSION)
    .option('--data-dir <dir>', 'vault folder (default: REDRESS_DATA_DIR or the app data folder)')
    .option('--json', 'print one JSON document on stdout')
    .exitOverride()
    .showHelpAfterError('(run "redress --help" for usage)')
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  for (const commands of [vaultCommands, caseCommands, evidenceCommands, bundleCommands, statsCommands, packetCommands, recordCommands, batchCommands]) commands(program, run);
  return program;
}

const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals();

const limitOption = () => new Option('--limit <n>', 'at most n records').argParser((v: string) => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('a whole number');
  return Number(v);
});

function vaultCommands(program: Command, { out }: CliRun): void {
  program
    .command('init')
    .description('create a vault: set its passphrase and get a one-time recovery code')
    .action(async (_o, cmd: Command) => initCommand(globals(cmd), out()));

  program
    .command('recover')
    .description('forgot the passphrase: unlock with the recovery code (REDRESS_RECOVERY_CODE) and set a new one (REDRESS_NEW_PASSPHRASE)')
    .action(async (_o, cmd: Command) => recoverCommand(globals(cmd), out()));

  program
    .command('change-passphrase')
    .description('set a new vault passphrase (current one: REDRESS_PASSPHRASE or a prompt; new one: REDRESS_NEW_PASSPHRASE or a prompt); the recovery code keeps working')
    .action(async (_o, cmd: Command) => changePassphraseCommand(globals(cmd), out()));

  // Originals no record refers to are moved to quarantine on open, never deleted (issue 13).
  const quarantine = program.command('quarantine').description('stored originals that no item refers to (after a crash or a restored backup): list, re-attach to a case, or discard');
  quarantine
    .command('list')
    .description('list what is in quarantine: size, when stored, when set aside, SHA-256, media type, intact or not')
    .action(async (_o, cmd: Command) => quarantineListCommand(globals(cmd), out()));
  quarantine
    .command('reattach')
    .description("add a quarantined original to a case as a new item (recorded on the case's custody chain)")
    .argument('<id>', 'quarantine id or a unique prefix of it (see "redress quarantine list")')
    .requiredOption('--case <case>', 'case id or a unique prefix of it')
    .option('--title <title>', 'title of the new item')
    .option('--note <text>', 'a note stored with the item')
    .action(async (id: string, _o, cmd: Command) => quarantineReattachCommand(id, globals(cmd) as Parameters<typeof quarantineReattachCommand>[1], out()));
  quarantine
    .command('discard')
    .description('delete quarantined originals for good (needs --yes)')
    .argument('<ids...>', 'quarantine ids or unique prefixes')
    .option('--yes', 'confirm: these files are deleted for good')
    .action(async (ids: string[], _o, cmd: Command) => quarantineDiscardCommand(ids, globals(cmd), out()));

  program
    .command('acknowledge-rollback')
    .description("the database is older than the last state this vault recorded and there is no newer backup: continue with it (recorded on every case's custody chain)")
    .action(async (_o, cmd: Command) => acknowledgeRollbackCommand(globals(cmd), out()));
}

function caseCommands(program: Command, { out }: CliRun): void {
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
}

function evidenceCommands(program: Command, { out, exit }: CliRun): void {
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
      exit(await addCommand(ref, files, globals(cmd), out()));
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
      exit(await verifyCommand(ref, globals(cmd), out()));
    });
}

function bundleCommands(program: Command, { out }: CliRun): void {
  program
    .command('export')
    .description('write one case (record, evidence, whole custody chain) to an encrypted .redress bundle for another Redress user')
    .argument('<case>', 'case id or a unique prefix of it')
    .requiredOption('--out <file>', 'the .redress file to write (transfer passphrase: REDRESS_TRANSFER_PASSPHRASE or a prompt)')
    .action(async (ref: string, _o, cmd: Command) => exportCommand(ref, globals(cmd) as Parameters<typeof exportCommand>[1], out()));

  program
    .command('import-bundle')
    .description('verify a .redress bundle completely, then store its case with its custody chain intact')
    .argument('<file>', 'the .redress file')
    .option('--accept-signer', 'you confirmed with the sender that this update to a case may come from another vault key, or unsigned')
    .action(async (file: string, _o, cmd: Command) => importBundleCommand(file, globals(cmd) as Parameters<typeof importBundleCommand>[1], out()));

  program
    .command('vault-key')
    .description("print this vault's key fingerprint: give it to recipients another way, so they can tell your packets and bundles from rebuilt copies")
    .action(async (_o, cmd: Command) => vaultKeyCommand(globals(cmd), out()));

  const known = program.command('known-vaults').description('the vault keys you recorded (an association: its volunteers\'); bundle imports say whether a bundle comes from one of them');
  known
    .command('list', { isDefault: true })
    .description('list them')
    .action(async (_o, cmd: Command) => knownVaultsListCommand(globals(cmd), out()));
  known
    .command('add')
    .description('record a vault key fingerprint under a name (recording it again renames it)')
    .argument('<fingerprint>', 'as the vault\'s owner gave it (redress vault-key prints it), spaces and case as you like')
    .requiredOption('--label <name>', 'whose vault it is')
    .action(async (fingerprint: string, _o, cmd: Command) => knownVaultsAddCommand(fingerprint, globals(cmd) as Parameters<typeof knownVaultsAddCommand>[1], out()));
  known
    .command('remove')
    .description('forget a recorded fingerprint')
    .argument('<fingerprint>')
    .action(async (fingerprint: string, _o, cmd: Command) => knownVaultsRemoveCommand(fingerprint, globals(cmd), out()));
  const ts = program.command('timestamps').description('trusted timestamps (RFC 3161): only a hash of the case\'s history goes to the time-stamp authority you choose');
  ts
    .command('status', { isDefault: true })
    .description('the setting, the authorities to choose from, and requests waiting to be sent')
    .action(async (_o, cmd: Command) => timestampsStatusCommand(globals(cmd), out()));
  ts
    .command('on')
    .description('request trusted timestamps from an authority')
    .requiredOption('--tsa <id>', 'the authority (redress timestamps lists them)')
    .action(async (_o, cmd: Command) => timestampsSetCommand(true, globals(cmd) as Parameters<typeof timestampsSetCommand>[1], out()));
  ts
    .command('off')
    .description('stop requesting timestamps: nothing leaves this computer')
    .action(async (_o, cmd: Command) => timestampsSetCommand(false, globals(cmd), out()));
  ts
    .command('add-tsa')
    .description("add an authority of your own (an association's, or a provider's address and root certificate from its documents)")
    .requiredOption('--id <id>', 'a short name: lowercase letters, digits, -')
    .requiredOption('--name <name>', 'the name to show')
    .requiredOption('--url <url>', 'its RFC 3161 address')
    .requiredOption('--root <file>', 'the root certificate to trust (PEM or DER)')
    .option('--policy <oid>', 'the policy to ask for')
    .action(async (_o, cmd: Command) => timestampsAddTsaCommand(globals(cmd) as Parameters<typeof timestampsAddTsaCommand>[0], out()));
  ts
    .command('retry')
    .description('send the requests that could not be sent')
    .action(async (_o, cmd: Command) => timestampsRetryCommand(globals(cmd), out()));
  program
    .command('timestamp')
    .description("have the case's history timestamped now, or carry the request to another device (--tsq) and bring its answer back (--tsr)")
    .argument('<case>', 'case id or its first characters')
    .option('--tsq <file>', 'write the request to this new file instead of sending it')
    .option('--tsr <file>', 'import the answer to a request written with --tsq')
    .action(async (caseRef: string, _o, cmd: Command) => timestampCommand(caseRef, globals(cmd) as Parameters<typeof timestampCommand>[1], out()));
}

function statsCommands(program: Command, { out }: CliRun): void {
  program
    .command('stats')
    .description('case statistics for associations: by type, platform and month, losses, counterparties seen in several cases')
    .addOption(new Option('--status <status>').choices(CASE_STATUSES))
    .addOption(new Option('--type <type>').choices(INCIDENT_TYPES))
    .option('--since <date>', 'only cases created on or after this date')
    .option('--zone <zone>', 'IANA time zone for months (default: this machine)')
    .option('--csv <file>', 'write the tables as CSV')
    .option('--xlsx <file>', 'write the tables as XLSX')
    .option('--chart <file>', 'write a chart image (.png, or .svg)')
    .action(async (_o, cmd: Command) => statsCommand(globals(cmd), out()));
}

function packetCommands(program: Command, { out, exit }: CliRun): void {
  program
    .command('recipients')
    .description('list the complaint recipients a packet can be built for (police, regulators, platforms)')
    .action(() => recipientsCommand(out()));

  program
    .command('packet')
    .description("build a complaint packet (PDF, originals, manifest, SHA256SUMS, verify.html and a ZIP) for one recipient")
    .argument('<case>', 'case id or a unique prefix of it')
    .requiredOption('--for <recipient>', 'recipient id (see "redress recipients")')
    .addOption(new Option('--lang <lang>', "packet language (default: the recipient's)").choices(['zh-CN', 'en']))
    .option('--items <ids>', 'only these items (ids or unique prefixes, comma-separated)')
    .requiredOption('--out <dir>', 'folder in which the packet folder and ZIP are created')
    .option('--request <text>', "what you ask the recipient to do (default: the recipient's usual request)")
    .action(async (ref: string, _o, cmd: Command) => packetCommand(ref, globals(cmd) as Parameters<typeof packetCommand>[1], out()));

  program
    .command('verify-packet')
    .description(`check a packet folder or ZIP against its SHA256SUMS and manifest, without a vault (exit ${EXIT.VERIFY_FAILED} if anything fails)`)
    .argument('<path>', 'packet folder or .zip')
    .option('--key <fingerprint>', "the fingerprint of the sender's vault key, as they gave it to you: the packet must be signed by it")
    .option('--tsa-ca <file>', "a time-stamp authority's root certificate you trust (PEM or DER), to check the packet's trusted timestamps against")
    .action(async (path: string, options: { key?: string; tsaCa?: string }) => {
      exit(await verifyPacketCommand(path, options, out()));
    });
}

function recordCommands(program: Command, { out, exit }: CliRun): void {
  program
    .command('import')
    .description('import an SMS backup, payment bill, bank statement, chat export or photo: the original is kept as evidence, its messages or transactions become records')
    .argument('<case>', 'case id or a unique prefix of it')
    .argument('<file>', 'the exported file')
    .addOption(new Option('--format <format>', 'skip detection').choices(IMPORT_FORMATS))
    .option('--profile <name>', 'bank CSV: a saved column-mapping profile')
    .option('--mapping <file.json>', 'bank CSV: a column mapping (see README)')
    .option('--save-profile', 'save --mapping under its name for next time')
    .option('--zone <zone>', 'IANA zone for times the file does not zone (SMS, WhatsApp; default: this machine)')
    .option('--self <name>', 'chats: your own display name, so your messages show as sent')
    .action(async (ref: string, file: string, _o, cmd: Command) => {
      exit(await importCommand(ref, file, globals(cmd) as Parameters<typeof importCommand>[2], out()));
    });

  program
    .command('messages')
    .description("list a case's imported messages (★ = marked as evidence)")
    .argument('<case>')
    .option('--flagged', 'only those marked as evidence')
    .addOption(limitOption())
    .action(async (ref: string, _o, cmd: Command) => messagesCommand(ref, globals(cmd), out()));

  program
    .command('transactions')
    .description("list a case's imported transactions with totals per direction and currency")
    .argument('<case>')
    .option('--flagged', 'only those marked as evidence')
    .addOption(limitOption())
    .action(async (ref: string, _o, cmd: Command) => transactionsCommand(ref, globals(cmd), out()));

  program
    .command('flag')
    .description('mark messages or transactions as evidence of the fraud (packets include these); recorded on the custody chain')
    .argument('<case>')
    .argument('<records...>', 'record ids or unique prefixes')
    .option('--unset', 'remove the mark instead')
    .action(async (ref: string, records: string[], _o, cmd: Command) => flagCommand(ref, records, globals(cmd), out()));
}

function batchCommands(program: Command, { out, exit }: CliRun): void {
  program
    .command('batch-export')
    .description('build a packet for every matching case (in parallel), plus summary.csv and summary.xlsx; run again to resume')
    .addOption(new Option('--status <status>').choices(CASE_STATUSES))
    .addOption(new Option('--type <type>').choices(INCIDENT_TYPES))
    .option('--since <date>', 'only cases created on or after this date')
    .requiredOption('--for <recipient>', 'recipient id (see the packet command)')
    .requiredOption('--out <dir>', 'the batch folder')
    .option('--lang <lang>', 'packet language (zh-CN or en; default: the recipient\'s)')
    .option('--workers <n>', 'parallel packet workers (default: the number of cores, at most 4)')
    .action(async (_o, cmd: Command) => {
      exit(await batchExportCommand(globals(cmd) as Parameters<typeof batchExportCommand>[0], out()));
    });
}
