import type { Money } from '../../../../shared/case-model.js';
import { formatInstant, formatMoney } from '../../../../shared/format.js';
import type { PacketSection } from '../../../../shared/recipient.js';
import type { ZonedTime } from '../../../../shared/records.js';
import type { PacketLabels } from '../labels.js';
import { maskText } from '../masking.js';
import type { PacketModel } from '../model.js';

/** What every section of the packet PDF reads besides the model: its labels and the formatting they share. */
export interface SectionContext {
  m: PacketModel;
  L: PacketLabels;
  sections: Set<PacketSection>;
  recipientName: string;
  /** item id → the number the recipient cites (E01...) */
  itemNo: Map<string, string>;
  when: (iso: string | undefined) => string;
  platform: (p: string | undefined) => string | undefined;
  /** free text can carry the victim's personal data: only as much of it as the recipient may see */
  mask: (s: string) => string;
}

const PLATFORM_NAMES: Record<string, 'alipay' | 'wechat'> = { alipay: 'alipay', wechat: 'wechat', 'wechat-pay': 'wechat', tenpay: 'wechat' };

export function sectionContext(m: PacketModel): SectionContext {
  const L = m.labels;
  return {
    m,
    L,
    sections: new Set(m.recipient.sections),
    recipientName: m.recipient.name[m.lang],
    itemNo: new Map(m.items.map((i) => [i.item.id, i.n])),
    when: (iso) => (iso ? formatInstant(new Date(iso).toISOString(), enteredZone(iso, m.zone)) : '—'),
    platform: (p) => (p && PLATFORM_NAMES[p] ? L.identifierKinds[PLATFORM_NAMES[p]!]! : p),
    mask: (s) => maskText(s, m.profile, m.recipient),
  };
}

export const zoneOf = (t: ZonedTime) => t.zone ?? offsetZone(t.offsetMinutes);

/** Etc/GMT zones have inverted signs; only whole hours exist as IANA names, so fall back to UTC otherwise. */
function offsetZone(minutes: number): string {
  if (minutes % 60 !== 0) return 'UTC';
  const h = minutes / 60;
  return h === 0 ? 'UTC' : `Etc/GMT${h > 0 ? '-' : '+'}${Math.abs(h)}`;
}

/**
 * A time the user entered (case start, a loss) is shown in the offset it was entered with, so it reads the same as
 * the records beside it; only times without an offset fall back to the packet's zone.
 */
export function enteredZone(iso: string, fallback: string): string {
  return /[+-]\d\d:\d\d$/.exec(iso)?.[0] ?? fallback;
}

/** incident names are written to sit inside a sentence ("an impersonation scam"); a table cell starts with a capital */
export const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function money(m: Money, lang: string): string {
  return formatMoney(m, lang);
}

export function totalsText(totals: Money[], lang: string): string {
  return totals.length ? totals.map((t) => money(t, lang)).join(lang === 'zh-CN' ? '、' : ', ') : '—';
}
