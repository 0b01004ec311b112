import type { Money } from './case-model.js';
import { currencyDigits } from './format.js';

/**
 * Parses what a user typed as an amount ("1,234.5", "1234", "-20.00") into integer minor units, exactly: the
 * digits are handled as a string, never through a float. Returns null when the text is not an amount in that
 * currency (too many decimals, letters, empty).
 */
export function parseAmount(text: string, currency: string): Money | null {
  const cleaned = text.trim().replace(/[,\s_，]/g, '');
  const m = /^(-)?(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!m) return null;
  const digits = currencyDigits(currency);
  const frac = m[3] ?? '';
  if (frac.length > digits) return null;
  const minorText = (m[2]! + frac.padEnd(digits, '0')).replace(/^0+(?=\d)/, '');
  const minor = Number(minorText);
  if (!Number.isSafeInteger(minor)) return null;
  return { currency, minor: m[1] && minor !== 0 ? -minor : minor };
}
