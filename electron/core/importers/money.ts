import { currencyDigits as lookupDigits } from '../../../shared/format.js';

// Intl lookups cost microseconds each; an import parses 100,000 amounts in a handful of currencies.
const digitsCache = new Map<string, number>();
function currencyDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) digitsCache.set(currency, (d = lookupDigits(currency)));
  return d;
}

/**
 * A decimal amount as printed in an export ("¥1,234.50", "-12.3", "1 234,50 元") to integer minor units, by string
 * arithmetic only: a float never touches the amount. Returns null when the text is not an amount, or has more
 * non-zero decimals than the currency allows.
 */
const PLAIN = /^(\d{1,15})(?:\.(\d{1,3}))?$/;

export function parseAmount(text: string, currency: string, options: { decimalComma?: boolean } = {}): number | null {
  // Fast path for the common "1234.50": no clean-up needed.
  const plain = options.decimalComma ? null : PLAIN.exec(text);
  if (plain) {
    const digits = currencyDigits(currency);
    const frac = plain[2] ?? '';
    if (frac.length <= digits) {
      const minor = Number(plain[1]! + frac.padEnd(digits, '0'));
      return Number.isSafeInteger(minor) ? minor : null;
    }
  }
  let s = text.replace(/[\s\u00a0\u3000\t]/g, '').replace(/^[¥￥$€£]|元$|RMB|CNY/gi, '').replace(/^([+-])[¥￥$€£]/, '$1');
  if (options.decimalComma) s = s.replace(/\./g, '').replace(',', '.');
  else s = s.replace(/,/g, '');
  const m = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return null;
  const digits = currencyDigits(currency);
  let frac = m[3] ?? '';
  if (frac.length > digits) {
    if (/[^0]/.test(frac.slice(digits))) return null;
    frac = frac.slice(0, digits);
  }
  const whole = m[2]!.replace(/^0+(?=\d)/, '');
  const minor = Number(whole + frac.padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor)) return null;
  return m[1] === '-' ? -minor : minor;
}

export function addMinor(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new RangeError('total exceeds the exact integer range');
  return sum;
}
