// Every kind of verification problem has its label, on the integrity screen and in `redress verify`, in both
// languages: a kind added to the report without one would show its code to a victim.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import en from '../../shared/i18n/en.json' with { type: 'json' };
import zh from '../../shared/i18n/zh-CN.json' with { type: 'json' };
import { PROBLEM_KINDS } from '../../shared/custody.js';

const labels = (dict: unknown) => (dict as { problem: Record<string, unknown> }).problem;

it('every problem kind has a label in English and Chinese', () => {
  for (const kind of PROBLEM_KINDS) {
    assert.equal(typeof labels(en)[kind], 'string', `en lacks problem.${kind}`);
    assert.match(String(labels(zh)[kind]), /[\u4e00-\u9fff]/, `zh-CN lacks problem.${kind}`);
  }
});
