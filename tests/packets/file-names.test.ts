// Packet file names (electron/core/packets/file-names.ts) from hostile titles and original names: nothing that
// changes how a name is shown (bidi overrides, invisible characters), nothing a file system refuses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ItemRecord } from '../../shared/case-model.js';
import { packetFileName, safeFileStem, STEM_MAX_BYTES } from '../../electron/core/packets/file-names.js';

const item = (originalName: string, mediaType = 'application/octet-stream', title = 'title'): ItemRecord => ({ originalName, title, mediaType }) as unknown as ItemRecord;

/** What no packet file name may hold: bidi controls, invisible and control characters, what Windows forbids. */
const BAD = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060\uFEFF\u00AD\p{Cc}\p{Cf}\p{Cs}<>:"/\\|?*]/u;

function assertSafe(name: string): void {
  assert.doesNotMatch(name, BAD, JSON.stringify(name));
  assert.equal(name, name.normalize('NFC'));
  assert.ok(Buffer.byteLength(name) <= 120, `${Buffer.byteLength(name)} bytes: ${name}`);
  assert.equal(Buffer.from(name, 'utf8').toString('utf8'), name, 'valid UTF-8 (no half surrogate pair)');
  assert.match(name, /^E\d+-(?:[^. ]|[^. ][^]*[^. ])\.[a-z0-9]{1,5}$/u, `no leading or trailing dot or space: ${JSON.stringify(name)}`);
  const base = name.split('.')[0]!;
  assert.doesNotMatch(base, /^(CON|PRN|AUX|NUL|COM\d|LPT\d)$/i);
}

describe('packet file names from hostile titles and original names', () => {
  it('a right-to-left override cannot disguise an .exe as a .pdf', () => {
    const name = packetFileName('E01', item('invoice\u202Efdp.exe'));
    assert.equal(name, 'E01-invoicefdp.exe');
    assertSafe(name);
    // the override inside the extension, and before it
    assert.equal(packetFileName('E02', item('photo.\u202Eexe')), 'E02-photo.exe');
    assert.equal(packetFileName('E03', item('\u202Egpj.exe')), 'E03-gpj.exe');
  });

  it('every bidi control, mark and zero-width character is removed', () => {
    const controls = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u{E0041}', '\u3164', '\u115F'];
    for (const c of controls) {
      const name = packetFileName('E01', item(`转${c}账${c}截图.png`));
      assert.equal(name, 'E01-转账截图.png', `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`);
    }
  });

  it('C0 and C1 controls and the characters Windows forbids become "_"; all spaces are one space', () => {
    assert.equal(packetFileName('E01', item('a\u0001b\tc\nd\u007Fe\u0085f\u009Bg.txt')), 'E01-a_b_c_d_e_f_g.txt');
    assert.equal(packetFileName('E01', item('a<b>c:d"e/f\\g|h?i*j.txt')), 'E01-a_b_c_d_e_f_g_h_i_j.txt');
    assert.equal(packetFileName('E01', item('聊天\u3000记录\u00A0\u2028导出   x.txt')), 'E01-聊天 记录 导出 x.txt');
  });

  it('no trailing dots or spaces, no Windows device names, the extension from the media type when the name has none', () => {
    assert.equal(packetFileName('E01', item('report. . .  ', 'application/pdf')), 'E01-report.pdf');
    assert.equal(packetFileName('E01', item('...', 'image/png')), 'E01-item.png');
    assert.equal(packetFileName('E01', item('', 'image/jpeg', '\u202E转账回单 ')), 'E01-转账回单.jpg');
    for (const reserved of ['CON', 'con', 'NUL', 'com1', 'LPT9', 'COM¹', 'AUX.tar']) assert.doesNotMatch(safeFileStem(reserved).split('.')[0]!, /^(CON|NUL|COM1|LPT9|COM¹|AUX)$/i, reserved);
    assert.equal(safeFileStem('CON'), 'CON_');
    assert.equal(safeFileStem('  ..  '), '');
  });

  it('length is capped in bytes of UTF-8, never inside a character', () => {
    for (const long of ['诈'.repeat(300), '😎'.repeat(200), 'a'.repeat(1000), 'é'.repeat(50) + 'e\u0301'.repeat(200), 'x' + '\u0301'.repeat(2000), '诈'.repeat(31) + '😎😎']) {
      const stem = safeFileStem(long);
      assert.ok(Buffer.byteLength(stem) <= STEM_MAX_BYTES, `${Buffer.byteLength(stem)} bytes`);
      assert.equal(Buffer.from(stem).toString(), stem);
      assertSafe(packetFileName('E123', item(`${long}.jpeg`)));
    }
  });

  it('random hostile names always give a safe name (property)', () => {
    const pool = ['a', '诈', '😎', '.', ' ', '\u202E', '\u2067', '\u200D', '\u0000', '\u001F', '\u0085', ':', '*', '"', '\\', '/', '\u3000', '\uFEFF', '\uD800', '\uDFFF', 'e\u0301', 'CON', '\u00A0', '|'];
    let seed = 7;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), (seed >>> 16) % n);
    for (let i = 0; i < 2000; i++) {
      const name = Array.from({ length: rand(80) }, () => pool[rand(pool.length)]).join('');
      assertSafe(packetFileName(`E${(i % 99) + 1}`, item(name, ['image/png', 'application/pdf', 'application/octet-stream'][i % 3]!)));
    }
  });
});
