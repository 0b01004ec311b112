import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCaptured, formatOffset, formatSize, formatTime, setUserZone } from '../../renderer/src/format.js';

const instant = '2026-10-03T06:03:09.000Z'; // 14:03:09 in Beijing, 02:03:09 in New York

test('times read in the UI language, in the zone asked for, with the offset spelled out', () => {
  assert.equal(formatTime(instant, 'zh-CN', 'Asia/Shanghai'), '2026年10月3日 14:03:09 (UTC+08:00)');
  assert.equal(formatTime(instant, 'en', 'Asia/Shanghai'), 'Oct 3, 2026 14:03:09 (UTC+08:00)');
  assert.equal(formatTime(instant, 'en', 'America/New_York'), 'Oct 3, 2026 02:03:09 (UTC-04:00)');
  assert.equal(formatTime(instant, 'en', 'UTC'), 'Oct 3, 2026 06:03:09 (UTC+00:00)');
});

test("evidence recorded in another zone is shown in the user's zone; the recorded offset stays available", () => {
  setUserZone('America/New_York');
  try {
    const shanghai = { instant, offsetMinutes: 480, zone: 'Asia/Shanghai' };
    assert.equal(formatCaptured(shanghai, 'en'), 'Oct 3, 2026 02:03:09 (UTC-04:00)');
    assert.equal(formatTime(instant, 'zh-CN'), '2026年10月3日 02:03:09 (UTC-04:00)');
    assert.equal(formatOffset(shanghai.offsetMinutes), 'UTC+08:00');
    assert.equal(formatOffset(-270), 'UTC-04:30');
    assert.equal(formatOffset(0), 'UTC+00:00');
  } finally {
    setUserZone(undefined);
  }
});

test("without a recorded zone, or with one this machine does not know, the user's own zone is used", () => {
  // tests/run.js runs in Asia/Shanghai unless TZ says otherwise
  const local = formatTime(instant, 'en');
  assert.equal(formatTime(instant, 'en', 'Not/AZone'), local);
  if ((process.env.TZ ?? 'Asia/Shanghai') === 'Asia/Shanghai') assert.equal(local, 'Oct 3, 2026 14:03:09 (UTC+08:00)');
  assert.equal(formatTime('not a time', 'en'), 'not a time');
});

test('sizes use the locale digits and binary units', () => {
  assert.equal(formatSize(512, 'en'), '512 B');
  assert.equal(formatSize(17_820, 'zh-CN'), '17.4 KB');
  assert.equal(formatSize(5 * 1024 ** 3 + 1, 'en'), '5 GB');
  assert.equal(formatSize(1536 * 1024 * 1024 * 1024, 'en'), '1,536 GB');
});
