import { TZDate } from '@date-fns/tz';
import type { ZonedTime } from '../../../shared/records.js';

export const CHINA_ZONE = 'Asia/Shanghai';

const BUCKET_MS = 15 * 60_000;
const offsets = new Map<string, number>();

/**
 * Offset east of UTC, in minutes, that `zone` had at `ms`. Offsets only change on quarter-hour boundaries, so
 * they are cached per zone and quarter hour: resolving a zone costs microseconds and an import asks 100,000 times.
 */
export function offsetAt(ms: number, zone: string): number {
  const key = `${zone}|${Math.floor(ms / BUCKET_MS)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = -new TZDate(ms, zone).getTimezoneOffset();
    if (offsets.size > 200_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

export function zonedFromInstant(ms: number, zone: string): ZonedTime | null {
  if (!Number.isFinite(ms) || ms < -62135596800000 || ms > 253402300799000) return null;
  return { instant: new Date(ms).toISOString(), offsetMinutes: offsetAt(ms, zone), zone };
}

/** A wall-clock time in a known zone ("2024-01-31 12:00:00" in Asia/Shanghai) to an instant with its zone. */
export function zonedFromLocal(parts: { y: number; mo: number; d: number; h?: number; mi?: number; s?: number }, zone: string): ZonedTime | null {
  const { y, mo, d, h = 0, mi = 0, s = 0 } = parts;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || y < 1900 || y > 2200) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(wall).getUTCDate() !== d) return null; // 2024-02-31 is not a date
  // The instant whose local wall time in `zone` is `wall`: try the offset at the wall time, then correct once
  // (around a DST change the second guess is the right one, as in TZDate).
  let instant = wall - offsetAt(wall, zone) * 60_000;
  const corrected = wall - offsetAt(instant, zone) * 60_000;
  if (corrected !== instant) instant = corrected;
  return zonedFromInstant(instant, zone);
}

/** "2024-01-31 12:00:00", "2024/1/31 12:00", "2024-01-31T12:00:00" */
export function parseLocalDateTime(text: string, zone: string): ZonedTime | null {
  const m = /^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$/.exec(text);
  if (!m) return null;
  return zonedFromLocal({ y: +m[1]!, mo: +m[2]!, d: +m[3]!, h: +(m[4] ?? 0), mi: +(m[5] ?? 0), s: +(m[6] ?? 0) }, zone);
}

/** An offset in minutes as a fixed-offset zone usable by TZDate ("+08:00"). */
export function fixedZone(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

