import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import i18next from 'i18next';

const load = (file: string) => JSON.parse(readFileSync(new URL(`../../renderer/src/${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;

async function translator(lng: 'en' | 'zh-CN') {
  const ui = { ...load(`locales/${lng}.json`), association: load(`association/locales/${lng}.json`) };
  const i18n = i18next.createInstance();
  await i18n.init({ lng, resources: { [lng]: { translation: { ui } } }, interpolation: { escapeValue: false }, showSupportNotice: false });
  return i18n.t.bind(i18n);
}

test('counts inside translated text are grouped for the UI language', async () => {
  const en = await translator('en');
  const zh = await translator('zh-CN');
  assert.equal(en('ui.cases.items', { count: 10000 }), '10,000 items');
  assert.equal(zh('ui.cases.items', { count: 10000 }), '10,000 项证据');
  assert.equal(en('ui.checklist.progress', { done: 1200, total: 12000 }), '1,200 of 12,000 done');
  assert.equal(en('ui.association.filter.matching', { count: 1 }), '1 matching case');
  assert.equal(en('ui.association.filter.matching', { count: 2500 }), '2,500 matching cases');
  assert.equal(en('ui.packet.recordTransactions', { count: 1 }), '1 transaction');
});
