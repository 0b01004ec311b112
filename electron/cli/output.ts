import type { i18n } from 'i18next';
import type { ErrorValue } from '../../shared/errors.js';
import { createI18n, languageFromLocale } from '../../shared/i18n/index.js';

/** Where a command writes: one JSON document on stdout with --json, else text for a person. */
export class Output {
  readonly t: i18n['t'];
  readonly language;

  constructor(
    readonly json: boolean,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.language = languageFromLocale(env.REDRESS_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG);
    this.t = createI18n(this.language).t;
  }

  /** Text for a person; silent under --json so stdout stays one parseable document. */
  line(text = ''): void {
    if (!this.json) process.stdout.write(text + '\n');
  }

  /** Notes that are not the command's result go to stderr in both modes. */
  note(text: string): void {
    process.stderr.write(text + '\n');
  }

  result(value: unknown): void {
    if (this.json) process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  }

  error(err: ErrorValue): void {
    const message = this.t(err.messageKey, err.params);
    if (this.json) process.stdout.write(JSON.stringify({ error: { ...err, message } }, null, 2) + '\n');
    process.stderr.write(`redress: ${message}\n`);
  }
}
