import type { ZxcvbnFactory, ZxcvbnResult } from '@zxcvbn-ts/core';
import { errorValue, type ErrorValue } from './errors.js';

/**
 * The one rule for every passphrase the user *sets*: the vault's (first run, CLI init, recovery, change) and a
 * bundle's transfer passphrase. Unlocking never applies it: a vault created under an older, weaker rule still opens.
 * The UI shows the estimate as the user types; the core applies the same function before it wraps a key.
 *
 * Why 10^9 guesses. One guess costs one scrypt derivation with the vault's parameters (N = 2^17, r = 8, 128 MiB):
 * 0.64 s of one core, measured (issue 13); bundles use the same parameters. An attacker who copied vault.json or a
 * .redress file and has an ordinary laptop without a GPU (8 cores, and 8 × 128 MiB of memory is no limit) tries
 * 8 / 0.64 = 12.5 passphrases a second: about 1.1 million a day, 390 million a year. zxcvbn estimates how many
 * guesses an attacker who tries the likeliest passphrases first (leaked lists, words, names, dates, keyboard walks)
 * needs. Its "score 3" starts at 10^8 guesses, which that laptop exhausts in 93 days; we ask for 10^9, 2.5 years of
 * that laptop (25 years at 10^10 is zxcvbn's "score 4", more than a distressed user can be asked to invent). Ten
 * rented machines bring 10^9 down to 3 months: evidence meant to stay private for the years a case lasts needs the
 * margin, and the recovery code is there for a passphrase that was hard to remember.
 */
export const PASSPHRASE_MIN_LENGTH = 8;
export const MIN_GUESSES_LOG10 = 9;
/** seconds of one core per guess, for the vault's and bundles' default scrypt parameters */
export const GUESS_SECONDS_PER_CORE = 0.64;
export const LAPTOP_CORES = 8;
/** zxcvbn's cost grows with length; a passphrase strong in its first 100 characters is strong */
const ESTIMATE_MAX_LENGTH = 100;
/** all digits and at most this many: a phone (11), QQ (5 to 11) or bank-card tail, a date, a PIN */
const DIGITS_ONLY_MAX = 12;

export type WeakReason = 'short' | 'common' | 'digits' | 'guessable';
/** 0–2 refused (very easy, easy, not yet enough), 3–4 accepted (good, strong) */
export type StrengthLevel = 0 | 1 | 2 | 3 | 4;

/** zxcvbn's feedback, as our own message keys (`passphrase.warning.*`, `passphrase.suggestion.*`): its texts are English. */
export const WARNING_KEYS = [
  'straightRow', 'keyPattern', 'simpleRepeat', 'extendedRepeat', 'sequences', 'recentYears', 'dates', 'topTen',
  'topHundred', 'common', 'similarToCommon', 'wordByItself', 'namesByThemselves', 'commonNames', 'userInputs', 'pwned',
  'digitsOnly', 'tooShort',
] as const;
export const SUGGESTION_KEYS = [
  'l33t', 'reverseWords', 'allUppercase', 'capitalization', 'dates', 'recentYears', 'associatedYears', 'sequences',
  'repeated', 'longerKeyboardPattern', 'anotherWord', 'useWords', 'noNeed', 'pwned', 'addWord',
] as const;
export type WarningKey = (typeof WARNING_KEYS)[number];
export type SuggestionKey = (typeof SUGGESTION_KEYS)[number];

export interface PassphraseEstimate {
  acceptable: boolean;
  /** why it is refused; null when acceptable */
  reason: WeakReason | null;
  level: StrengthLevel;
  /** log10 of the guesses zxcvbn estimates an informed attacker needs */
  guessesLog10: number;
  /** how long the GPU-less laptop above needs for that many guesses */
  laptopSeconds: number;
  warning: WarningKey | null;
  /** at most two, most useful first */
  suggestions: SuggestionKey[];
}

export interface PassphraseEstimator {
  estimate(passphrase: string): PassphraseEstimate;
}

let loading: Promise<PassphraseEstimator> | null = null;

/**
 * The estimator with its dictionaries (1.7 MB of word lists in the renderer build), imported on first use only: the renderer keeps
 * them out of its main bundle (Vite splits dynamic imports into their own files) and the core loads them only
 * when a passphrase is set. Later calls return the same instance.
 */
export function loadPassphraseEstimator(): Promise<PassphraseEstimator> {
  loading ??= (async () => {
    const [{ ZxcvbnFactory }, common, en, zh] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
      import('./passphrase-zh.js'),
    ]);
    const zxcvbn = new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary, 'passwords-zh': [...zh.PASSWORDS_ZH], 'names-zh': [...zh.NAMES_ZH], 'words-zh': [...zh.WORDS_ZH] },
      graphs: common.adjacencyGraphs,
      // no translations: zxcvbn then returns its message keys, which we map to ours
      maxLength: ESTIMATE_MAX_LENGTH,
      // Levenshtein against every word on every keystroke costs 100 ms to 2 s per check: not while typing
      useLevenshteinDistance: false,
      // l33t variants of digit runs ("5201314", "13800138000") grow combinatorially: at 100 (the default) a 30-char
      // input with digits took 430 ms a keystroke, at 10 about 20 ms, with the same estimates on our test inputs
      l33tMaxSubstitutions: 10,
    });
    const blocked = new Set<string>([...common.dictionary['passwords-common'].map(String), ...zh.PASSWORDS_ZH]);
    return { estimate: (passphrase) => estimateWith(zxcvbn, blocked, passphrase) };
  })();
  loading.catch(() => (loading = null));
  return loading;
}

/** NFKC folds full-width digits and letters (what a Chinese IME types) onto ASCII: only ever a weaker estimate. */
function fold(passphrase: string): string {
  return passphrase.normalize('NFKC');
}

function estimateWith(zxcvbn: ZxcvbnFactory, blocked: ReadonlySet<string>, passphrase: string): PassphraseEstimate {
  const folded = fold(passphrase);
  const result: ZxcvbnResult = zxcvbn.check(folded);
  const guessesLog10 = result.guessesLog10;
  const squeezed = folded.toLowerCase().replace(/[\s\-_.]+/g, '');
  let reason: WeakReason | null = null;
  let warning = knownWarning(result.feedback.warning);
  if ([...passphrase].length < PASSPHRASE_MIN_LENGTH) {
    reason = 'short';
    warning ??= 'tooShort';
  } else if (blocked.has(squeezed) || isSoleLeakedPassword(result)) {
    reason = 'common';
    warning = warning === 'topTen' || warning === 'topHundred' ? warning : 'common';
  } else if (/^\d+$/.test(squeezed) && squeezed.length <= DIGITS_ONLY_MAX) {
    reason = 'digits';
    warning = 'digitsOnly';
  } else if (guessesLog10 < MIN_GUESSES_LOG10) {
    reason = 'guessable';
  }
  const acceptable = reason === null;
  const suggestions = result.feedback.suggestions.map(knownSuggestion).filter((s): s is SuggestionKey => s !== null);
  if (!acceptable && suggestions.length === 0) suggestions.push('addWord');
  return {
    acceptable,
    reason,
    level: levelOf(acceptable, reason, guessesLog10),
    guessesLog10,
    laptopSeconds: laptopSeconds(guessesLog10),
    warning: acceptable ? null : warning,
    suggestions: acceptable ? [] : suggestions.slice(0, 2),
  };
}

/** the whole input is one entry of a leaked-password list (any case, l33t or reversed) */
function isSoleLeakedPassword(result: ZxcvbnResult): boolean {
  const only = result.sequence.length === 1 ? result.sequence[0] : undefined;
  return only?.pattern === 'dictionary' && typeof only.dictionaryName === 'string' && only.dictionaryName.startsWith('passwords');
}

function levelOf(acceptable: boolean, reason: WeakReason | null, guessesLog10: number): StrengthLevel {
  if (acceptable) return guessesLog10 < 11 ? 3 : 4;
  if (reason !== 'guessable' || guessesLog10 < 6) return 0;
  return guessesLog10 < 8 ? 1 : 2;
}

export function laptopSeconds(guessesLog10: number): number {
  return (10 ** guessesLog10 * GUESS_SECONDS_PER_CORE) / LAPTOP_CORES;
}

function knownWarning(key: string | null): WarningKey | null {
  return key !== null && (WARNING_KEYS as readonly string[]).includes(key) ? (key as WarningKey) : null;
}

function knownSuggestion(key: string): SuggestionKey | null {
  return (SUGGESTION_KEYS as readonly string[]).includes(key) ? (key as SuggestionKey) : null;
}

/** A duration for people: the unit and count of the message `passphrase.time.<unit>` ({{count}}). */
export type TimeUnit = 'lessThanMinute' | 'minutes' | 'hours' | 'days' | 'months' | 'years' | 'centuries';
export function humanDuration(seconds: number): { unit: TimeUnit; count: number } {
  const steps: [TimeUnit, number][] = [
    ['minutes', 60],
    ['hours', 3600],
    ['days', 86_400],
    ['months', 30.44 * 86_400],
    ['years', 365.25 * 86_400],
  ];
  if (seconds < 60) return { unit: 'lessThanMinute', count: 0 };
  if (seconds >= 100 * 365.25 * 86_400) return { unit: 'centuries', count: 100 };
  let pick: [TimeUnit, number] = steps[0]!;
  for (const step of steps) if (seconds >= step[1]) pick = step;
  return { unit: pick[0], count: Math.max(1, Math.round(seconds / pick[1])) };
}

/** The typed error for a refused passphrase (code PASSPHRASE_WEAK): `reason` selects the message's explanation. */
export function weakPassphraseError(estimate: PassphraseEstimate): ErrorValue | null {
  if (estimate.acceptable) return null;
  return errorValue('PASSPHRASE_WEAK', {
    reason: estimate.reason ?? 'guessable',
    min: PASSPHRASE_MIN_LENGTH,
    level: estimate.level,
    guessesLog10: Math.round(estimate.guessesLog10 * 100) / 100,
    ...(estimate.warning ? { warning: estimate.warning } : {}),
  });
}
