// (with .js: the unit tests compile this file under NodeNext too)
import type { CaptureTime } from '../../shared/case-model.js';

/**
 * The user's zone (app.info), set once at start-up. Times are shown in it, whatever zone they were recorded in, so
 * that a chat message, a bank transfer and a screenshot taken while travelling line up on one clock.
 */
let userZone: string | undefined;
export function setUserZone(zone: string | undefined): void {
  userZone = zone || undefined;
}

/**
 * A time shown in the user's zone (or the zone given), formatted for the UI language, with the offset spelled out:
 * "2026年11月26日 11:22:38 (UTC+08:00)" / "Nov 26, 2026, 11:22:38 (UTC+08:00)".
 */
export function formatTime(instant: string, lng: string, zone: string | undefined = userZone): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  const build = (timeZone: string | undefined) => {
    const f = formatters(lng, timeZone);
    const offset = f.offset.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? '';
    return `${f.day.format(date)} ${f.time.format(date)} (${offset === 'GMT' ? 'UTC+00:00' : offset.replace('GMT', 'UTC')})`;
  };
  try {
    return build(zone);
  } catch {
    // an unknown zone name recorded on another machine: fall back to the local zone rather than failing the row
    return build(undefined);
  }
}

// Building an Intl formatter costs far more than using one; a timeline formats thousands of rows.
const cache = new Map<string, { day: Intl.DateTimeFormat; time: Intl.DateTimeFormat; offset: Intl.DateTimeFormat }>();
function formatters(lng: string, timeZone: string | undefined) {
  const key = `${lng}|${timeZone ?? ''}`;
  let f = cache.get(key);
  if (!f) {
    const tz = timeZone ? { timeZone } : {};
    f = {
      day: new Intl.DateTimeFormat(lng, { ...tz, year: 'numeric', month: 'short', day: 'numeric' }),
      time: new Intl.DateTimeFormat(lng, { ...tz, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
      offset: new Intl.DateTimeFormat('en', { ...tz, timeZoneName: 'longOffset' }),
    };
    cache.set(key, f);
  }
  return f;
}

/** When evidence was captured, on the user's clock. */
export function formatCaptured(c: CaptureTime, lng: string): string {
  return formatTime(c.instant, lng);
}

/** The offset a time was recorded at, for provenance: 480 -> "UTC+08:00". */
export function formatOffset(offsetMinutes: number): string {
  const a = Math.abs(offsetMinutes);
  return `UTC${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

export function formatSize(bytes: number, lng: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${new Intl.NumberFormat(lng, { maximumFractionDigits: u ? 1 : 0 }).format(v)} ${units[u]}`;
}
