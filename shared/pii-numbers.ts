/**
 * Finds the victim's own numbers (resident ID, bank card, mainland mobile) in free text however people write them,
 * so that a packet can mask what a recipient's policy masks even where the number was typed into a narrative or
 * arrived inside a message. Masking too much is as bad as too little: a masked order number or amount is evidence
 * destroyed, so every candidate has to pass its checksum (ID, card) or pattern (phone) and look like one number,
 * not several numbers that happen to sit side by side.
 *
 * The text is read as digit groups (maximal runs of ASCII or full-width digits) joined by short separator gaps; a
 * candidate is a run of whole groups. A group is never split: that is what keeps a 19-digit stretch of a 28-digit
 * order number, or a digit run inside a hex digest, from being found.
 */

export type PersonalNumberKind = 'id-number' | 'bank-card' | 'phone';

export interface PersonalNumber {
  kind: PersonalNumberKind;
  /** UTF-16 offset of the number's first character (the '+' of a "+86" prefix) in the original text */
  start: number;
  /** UTF-16 offset just past its last character; separators around the number are outside [start, end) */
  end: number;
  /** ASCII digits (an ID's check character as 'X'); a phone's is the 11-digit mobile number, without +86/0086/86 */
  digits: string;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
const MOBILE = /^1[3-9]\d{9}$/;
const CARD_MIN = 16;
const CARD_MAX = 19;
/** the longest candidate: a 19-digit card (a phone with 0086 is 15, an ID 18) */
const MAX_DIGITS = CARD_MAX;
/** wider gaps are layout (a table's columns, a paragraph), not a number broken for reading */
const MAX_GAP = 3;

/**
 * Full-width digits and x to ASCII, x to 'X', everything else dropped. NFKC is the Unicode folding of full-width
 * forms; it also folds other compatibility digits (superscripts, circled digits), which is harmless for comparing
 * numbers a person typed.
 */
export function normaliseDigits(s: string): string {
  return s.normalize('NFKC').replace(/[^0-9Xx]/g, '').toUpperCase();
}

/**
 * An 18-character resident ID number (GB 11643-1999) in the form normaliseDigits returns: area code not starting
 * with 0, a birth date that exists and is neither before 1900 nor after `today` (local calendar), a sequence number
 * and the ISO 7064 MOD 11-2 check character. The 15-digit numbers of before 1999 carry no check and are not
 * recognised: they cannot be told from any other 15 digits.
 */
export function isChineseIdNumber(digits: string, today: Date = new Date()): boolean {
  const m = /^[1-9]\d{5}(\d{4})(\d{2})(\d{2})\d{3}[\dX]$/.exec(digits);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  const todayKey = today.getFullYear() * 10000 + (today.getMonth() + 1) * 100 + today.getDate();
  if (year * 10000 + month * 100 + day > todayKey) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (digits.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === digits[17];
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The Luhn (mod 10) check over ASCII digits; one digit is no payload with a check digit, so at least two. */
export function isLuhn(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// Inside a number people put spaces (an IME's ideographic space, a copied no-break space), a line break where the
// text wrapped, a dash (whichever their keyboard or word processor produced) or a dot.
const SPACES = new Set([0x20, 0x09, 0xa0, 0x2007, 0x2009, 0x202f, 0x3000]);
const MARKS = new Set([
  0x2d, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xff0d, // dashes
  0x2e, 0xff0e, 0xb7, 0x30fb, // dots
]);
/** Every character that may sit inside one typed number (line breaks too), for callers that match a known value. */
export const NUMBER_SEPARATORS: readonly number[] = [...SPACES, ...MARKS, 0x0a, 0x0d];
const DECIMAL_POINTS = new Set([0x2e, 0xff0e]);
const CURRENCY = new Set([0x24, 0xff04, 0xa5, 0xffe5, 0x20ac, 0xa3, 0xffe1]);
const PLUS = new Set([0x2b, 0xff0b]);
const X_CHARS = new Set([0x58, 0x78, 0xff38, 0xff58]);
// Digits touching a letter are part of a word, an identifier, hex or base64, not a number of their own. CJK is left
// out on purpose: "卡号6222…" is the ordinary way to write a card number in Chinese.
const GLUE = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Nd}]/u;

const isDigit = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0xff10 && c <= 0xff19);

interface Group {
  start: number;
  /** past the last digit, or past the X */
  end: number;
  /** ASCII digits, and 'X' when the group ends in one */
  digits: string;
  x: boolean;
  /** may not be part of any candidate: glued to a letter, or part of an amount */
  barrier: boolean;
  /** the gap before it (from the previous group) is a separator gap */
  joined: boolean;
  /** that gap is a single decimal point */
  afterPoint: boolean;
}

function glues(text: string, k: number): boolean {
  return k >= 0 && k < text.length && GLUE.test(text[k]!);
}

/** A gap inside one number: 1–3 separators, at most one line break (CRLF is one) and at most one dash or dot. */
function isSeparatorGap(text: string, from: number, to: number): boolean {
  if (to - from < 1 || to - from > MAX_GAP) return false;
  let breaks = 0;
  let marks = 0;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x0a) {
      if (k === from || text.charCodeAt(k - 1) !== 0x0d) breaks++;
    } else if (c === 0x0d) breaks++;
    else if (MARKS.has(c)) marks++;
    else if (!SPACES.has(c)) return false;
  }
  return breaks <= 1 && marks <= 1;
}

function scanGroups(text: string): Group[] {
  const groups: Group[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isDigit(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
    let digits = text.slice(i, j).normalize('NFKC');
    // an X right after the digits is an ID's check character; followed by a letter or digit it is part of a word,
    // which the glue test below then catches
    const x = j < n && X_CHARS.has(text.charCodeAt(j));
    const end = x ? j + 1 : j;
    if (x) digits += 'X';
    const prev = groups[groups.length - 1];
    const joined = prev !== undefined && isSeparatorGap(text, prev.end, i);
    let barrier = glues(text, i - 1) || glues(text, end);
    let k = i - 1;
    if (k >= 0 && SPACES.has(text.charCodeAt(k))) k--;
    if (k >= 0 && CURRENCY.has(text.charCodeAt(k))) barrier = true;
    const afterPoint = prev !== undefined && joined && i - prev.end === 1 && DECIMAL_POINTS.has(text.charCodeAt(prev.end));
    groups.push({ start: i, end, digits, x, barrier, joined, afterPoint });
    i = end;
  }
  // "13800138000.00": a number with a point and one or two decimals is an amount, whatever its digits, unless it is
  // the tail of a longer dot-grouped number ("6222.0212.3456.7890.12").
  for (let g = 0; g + 1 < groups.length; g++) {
    const whole = groups[g]!;
    const frac = groups[g + 1]!;
    if (whole.joined || !frac.afterPoint || frac.x || frac.digits.length > 2) continue;
    whole.barrier = true;
    frac.barrier = true;
  }
  return groups;
}

const PRIORITY: Record<PersonalNumberKind, number> = { 'id-number': 0, 'bank-card': 1, phone: 2 };

/** digit counts of groups[s..e]: the fewest in s..e-1 and in s+1..e (Infinity when e = s), the most in s..e */
interface Shape {
  head: number;
  tail: number;
  widest: number;
}

interface Candidate extends PersonalNumber {
  first: number;
  last: number;
}

/**
 * Every ID number, bank card and mainland mobile number in `text`, sorted by start and never overlapping. Where
 * candidates overlap the longer span wins ("86 138…" over "138…"), then an ID over a card over a phone.
 */
export function findPersonalNumbers(text: string): PersonalNumber[] {
  const groups = scanGroups(text);
  const found: Candidate[] = [];
  for (let s = 0; s < groups.length; s++) {
    if (groups[s]!.barrier) continue;
    let digits = '';
    const shape: Shape = { head: Infinity, tail: Infinity, widest: 0 };
    for (let e = s; e < groups.length; e++) {
      const g = groups[e]!;
      if (g.barrier || (e > s && !g.joined)) break;
      digits += g.digits;
      if (digits.length > MAX_DIGITS) break;
      if (e > s) {
        shape.head = Math.min(shape.head, groups[e - 1]!.digits.length);
        shape.tail = Math.min(shape.tail, g.digits.length);
      }
      shape.widest = Math.max(shape.widest, g.digits.length);
      const candidate = classify(text, groups, s, e, digits, shape);
      if (candidate) found.push(candidate);
      if (g.x) break;
    }
  }
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || PRIORITY[a.kind] - PRIORITY[b.kind] || a.start - b.start);
  const taken = new Uint8Array(groups.length);
  const out: PersonalNumber[] = [];
  for (const c of found) {
    let free = true;
    for (let g = c.first; g <= c.last && free; g++) free = taken[g] === 0;
    if (!free) continue;
    taken.fill(1, c.first, c.last + 1);
    out.push({ kind: c.kind, start: c.start, end: c.end, digits: c.digits });
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Whether groups[s..e] are one number. Beyond the checks, the grouping must be one people use for that number:
 * every group but the last has at least 3 digits, so a date ("2024-01-31 …") or a count ("3 次") never becomes the
 * head of a card or ID; card groups are at most 6 digits unless the card is one group, so an amount and a phone
 * ("50000 13800138000") are not a card; a phone's groups (after its prefix) all have at least 3. The length test up
 * front only skips the digit counts no kind has.
 */
function classify(text: string, groups: Group[], s: number, e: number, digits: string, shape: Shape): Candidate | null {
  if (digits.length < 11 || digits.length === 12 || digits.length === 14) return null;
  const headOk = shape.head >= 3;
  const span = { start: groups[s]!.start, end: groups[e]!.end, first: s, last: e };
  if (digits.length === 18 && headOk && isChineseIdNumber(digits)) return { kind: 'id-number', digits, ...span };
  if (groups[e]!.x) return null;
  // no issuer number starts with 0 (ISO/IEC 7812), while zero-padded serials in statements do
  const cardShape = s === e || (headOk && shape.widest <= 6);
  if (cardShape && digits.length >= CARD_MIN && digits.length <= CARD_MAX && digits[0] !== '0' && isLuhn(digits)) {
    return { kind: 'bank-card', digits, ...span };
  }
  for (const prefix of ['', '86', '0086']) {
    if (digits.length !== 11 + prefix.length || !digits.startsWith(prefix)) continue;
    const national = digits.slice(prefix.length);
    const inFirst = groups[s]!.digits.length - prefix.length;
    if (!MOBILE.test(national) || inFirst < 0) continue;
    if ((inFirst > 0 && inFirst < 3) || shape.tail < 3) continue;
    const plus = prefix === '86' && span.start > 0 && PLUS.has(text.charCodeAt(span.start - 1));
    return { kind: 'phone', digits: national, ...span, start: plus ? span.start - 1 : span.start };
  }
  return null;
}
