import type { CaptureTime } from '../../shared/case-model';

/**
 * A time shown in the zone it was recorded in (what the victim saw), formatted for the UI language, with the
 * offset spelled out: "2026年11月26日 11:22:38 (UTC+08:00)" / "Nov 26, 2026, 11:22:38 (UTC+08:00)".
 */
export function formatTime(instant: string, lng: string, zone?: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  const build = (timeZone: string | undefined) => {
    const tz = timeZone ? { timeZone } : {};
    const day = new Intl.DateTimeFormat(lng, { ...tz, year: 'numeric', month: 'short', day: 'numeric' }).format(date);
    const time = new Intl.DateTimeFormat(lng, { ...tz, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(date);
    const offset = new Intl.DateTimeFormat('en', { ...tz, timeZoneName: 'longOffset' }).formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? '';
    return `${day} ${time} (${offset === 'GMT' ? 'UTC+00:00' : offset.replace('GMT', 'UTC')})`;
  };
  try {
    return build(zone);
  } catch {
    // an unknown zone name recorded on another machine: fall back to the local zone rather than failing the row
    return build(undefined);
  }
}

export function formatCaptured(c: CaptureTime, lng: string): string {
  return formatTime(c.instant, lng, c.zone);
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
