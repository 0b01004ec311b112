// Every error that can cross a boundary has its message in both languages, with the same parameters, and a CLI exit
// code: a code added without them would show a raw key (or an English sentence) on a Chinese screen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import en from '../../shared/i18n/en.json' with { type: 'json' };
import zh from '../../shared/i18n/zh-CN.json' with { type: 'json' };
import { ERROR_CODES, type ErrorCode } from '../../shared/errors.js';
import { EXIT, exitCodeFor } from '../../electron/cli/exit-codes.js';

const lookup = (dict: unknown, key: string): unknown => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], dict);
const params = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('error messages', () => {
  for (const [code, key] of Object.entries(ERROR_CODES)) {
    it(`${code}: ${key} in English and Chinese, same parameters, an exit code`, () => {
      const e = lookup(en, key);
      const z = lookup(zh, key);
      assert.equal(typeof e, 'string', `en lacks ${key}`);
      assert.equal(typeof z, 'string', `zh-CN lacks ${key}`);
      assert.deepEqual(params(z as string), params(e as string), `${key}: the two languages take different parameters`);
      // USAGE passes on a message the CLI has already translated (commander's, or its own)
      if (code !== 'USAGE') assert.match(z as string, /[\u4e00-\u9fff]/, `${key}: the Chinese message has no Chinese in it`);
      assert.ok(Object.values(EXIT).includes(exitCodeFor(code as ErrorCode) as never), `${code} has no exit code`);
    });
  }
});
