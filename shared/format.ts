import { TZDate } from '@date-fns/tz';
import { format as formatDate } from 'date-fns/format'; // not the barrel: loading all of date-fns peaks at ~450 MB and ~7 s
import type { Money } from './case-model.js';

/** Digits after the decimal point for a currency (JPY 0, CNY 2, KWD 3), from the platform's ISO 4217 data. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Integer minor units to an exact decimal string ("-1234.50"): no float ever touches the amount. */
export function minorToDecimal(money: Money): string {
  const digits = currencyDigits(money.currency);
  const negative = money.minor < 0;
  const abs = String(Math.abs(money.minor)).padStart(digits + 1, '0');
  const whole = digits ? abs.slice(0, -digits) : abs;
  const frac = digits ? abs.slice(-digits) : '';
  return `${negative ? '-' : ''}${whole}${frac ? '.' + frac : ''}`;
}

/** Locale-formatted money; Intl formats the decimal string exactly (NumberFormat v3 string input). */
export function formatMoney(money: Money, locale: string): string {
  const nf = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
  return nf.format(minorToDecimal(money) as unknown as number);
}

/** An instant shown in a given IANA zone with its offset, e.g. "2026-11-24 17:30 (UTC+08:00)". */
export function formatInstant(instant: string, zone: string): string {
  const date = new TZDate(Date.parse(instant), zone);
  return `${formatDate(date, 'yyyy-MM-dd HH:mm:ss')} (UTC${formatDate(date, 'xxx')})`;
}

export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
