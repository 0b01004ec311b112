import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TZDate } from '@date-fns/tz';
import { parseLocalDateTime, zonedFromLocal } from '../../electron/core/importers/time.js';

describe('zoned times', () => {
  it('reads China local time as UTC+8 and keeps the zone', () => {
    assert.deepEqual(parseLocalDateTime('2024-01-31 12:00:00', 'Asia/Shanghai'), { instant: '2024-01-31T04:00:00.000Z', offsetMinutes: 480, zone: 'Asia/Shanghai' });
    assert.deepEqual(parseLocalDateTime('2024/1/5 7:08', 'Asia/Shanghai'), { instant: '2024-01-04T23:08:00.000Z', offsetMinutes: 480, zone: 'Asia/Shanghai' });
    assert.equal(parseLocalDateTime('2024-02-30 00:00:00', 'Asia/Shanghai'), null);
    assert.equal(parseLocalDateTime('2024-13-01', 'Asia/Shanghai'), null);
  });

  it('agrees with TZDate across DST changes (New York, London, Lord Howe, Shanghai 1988)', () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Shanghai'];
    const walls: [number, number, number, number, number][] = [
      [2024, 3, 10, 1, 59], [2024, 3, 10, 3, 0], [2024, 11, 3, 0, 30], [2024, 11, 3, 3, 0], [2024, 3, 31, 0, 30], [2024, 10, 27, 2, 30],
      [2024, 4, 7, 1, 45], [2024, 10, 6, 2, 45], [1988, 4, 17, 1, 0], [1988, 9, 11, 3, 0], [2024, 7, 1, 12, 0],
    ];
    for (const zone of zones) {
      for (const [y, mo, d, h, mi] of walls) {
        const ours = zonedFromLocal({ y, mo, d, h, mi }, zone)!;
        const theirs = new TZDate(y, mo - 1, d, h, mi, 0, zone);
        assert.equal(ours.instant, new Date(theirs.getTime()).toISOString(), `${zone} ${y}-${mo}-${d} ${h}:${mi}`);
        assert.equal(ours.offsetMinutes, -theirs.getTimezoneOffset(), `${zone} offset ${y}-${mo}-${d} ${h}:${mi}`);
      }
    }
  });
});
