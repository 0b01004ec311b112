import type { Disclosure, PersonalField, Recipient } from '../../../shared/recipient.js';
import { findPersonalNumbers, normaliseDigits, NUMBER_SEPARATORS } from '../../../shared/pii-numbers.js';
import type { VictimProfile } from '../../../shared/victim-profile.js';

// What people put inside a number they type, as pii-numbers.ts reads it: spaces of any width, line breaks, dashes, dots.
const SEPARATOR = `[${NUMBER_SEPARATORS.map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('')}]`;
const SEPARATOR_CHAR = new RegExp(SEPARATOR);

/** Keeps the last four characters visible; everything else becomes '*' (spaces, dashes and dots keep their place). */
export function maskLast4(value: string): string {
  const chars = [...value];
  let keep = 4;
  for (let i = chars.length - 1; i >= 0; i--) {
    if (SEPARATOR_CHAR.test(chars[i]!)) continue;
    if (keep > 0) keep--;
    else chars[i] = '*';
  }
  return chars.join('');
}

export function applyDisclosure(value: string | undefined, rule: Disclosure): string | undefined {
  if (!value) return undefined;
  if (rule === 'omit') return undefined;
  return rule === 'last4' ? maskLast4(value) : value;
}

export interface DisclosedField {
  field: PersonalField;
  rule: Disclosure;
  /** what the recipient will read; absent when omitted or when the profile has no value */
  shown?: string;
  present: boolean;
  /** shown in full because it is the victim's own login with this recipient (a platform), whatever its rule */
  ownAccount?: true;
}

/** The victim's details as one recipient gets them. */
export interface MaskedProfile {
  name?: string;
  idNumber?: string;
  phone?: string;
  email?: string;
  address?: string;
  cards: { bank: string; number: string }[];
  /** the victim's login with this recipient, as the profile has it */
  ownAccount?: string;
  fields: DisclosedField[];
}

export function maskProfile(profile: VictimProfile, recipient: Recipient): MaskedProfile {
  const { rules, ownAccount, exempt } = rulesFor(profile, recipient);
  const single = (field: Exclude<PersonalField, 'cardNumbers'>): DisclosedField => {
    const raw = profile[field] || undefined;
    const shown = applyDisclosure(raw, rules[field]);
    return { field, rule: rules[field], present: !!raw, ...(shown ? { shown } : {}), ...(exempt.has(field) ? { ownAccount: true as const } : {}) };
  };
  const name = single('name');
  const idNumber = single('idNumber');
  const phone = single('phone');
  const email = single('email');
  const address = single('address');
  const cards = rules.cardNumbers === 'omit' ? [] : profile.cards.map((c) => ({ bank: c.bank, number: applyDisclosure(c.number, rules.cardNumbers)! }));
  const cardField: DisclosedField = { field: 'cardNumbers', rule: rules.cardNumbers, present: profile.cards.length > 0, ...(cards.length ? { shown: cards.map((c) => c.number).join(', ') } : {}) };
  return {
    ...(name.shown ? { name: name.shown } : {}),
    ...(idNumber.shown ? { idNumber: idNumber.shown } : {}),
    ...(phone.shown ? { phone: phone.shown } : {}),
    ...(email.shown ? { email: email.shown } : {}),
    ...(address.shown ? { address: address.shown } : {}),
    cards,
    ...(ownAccount ? { ownAccount } : {}),
    fields: [name, idNumber, phone, email, address, cardField],
  };
}

interface RecipientRules {
  rules: Recipient['personalData'];
  ownAccount?: string;
  /** the fields shown in full because they are the victim's login with this recipient */
  exempt: Set<PersonalField>;
}

// One object per profile and recipient, so that ownNumbers' cache (keyed by the rules object) holds across texts.
const rulesCache = new WeakMap<VictimProfile, Map<string, RecipientRules>>();

/**
 * The recipient's rules for this victim: a platform the victim has a login with (profile.platformAccounts) gets
 * the phone or email that is that login in full, since it needs it to find the account; nothing else changes.
 */
function rulesFor(profile: VictimProfile, recipient: Recipient): RecipientRules {
  let byRecipient = rulesCache.get(profile);
  if (!byRecipient) rulesCache.set(profile, (byRecipient = new Map()));
  const cached = byRecipient.get(recipient.id);
  if (cached && cached.rules === recipient.personalData) return cached;
  const ownAccount = (profile.platformAccounts ?? []).find((a) => a.recipientId === recipient.id)?.account;
  const exempt = new Set<PersonalField>();
  if (ownAccount) {
    const digits = nationalPhone(ownAccount);
    if (profile.phone && digits.length >= 5 && digits === nationalPhone(profile.phone)) exempt.add('phone');
    if (profile.email && ownAccount.trim().toLowerCase() === profile.email.trim().toLowerCase()) exempt.add('email');
  }
  const base = recipient.personalData;
  // identity kept when nothing is exempt: the patterns built for the recipient's own rules are shared
  const rules = exempt.size ? { ...base, ...Object.fromEntries([...exempt].map((f) => [f, 'full'])) } : base;
  const result: RecipientRules = { rules, ...(ownAccount ? { ownAccount } : {}), exempt };
  byRecipient.set(recipient.id, result);
  return result;
}

const GAP = `${SEPARATOR}{0,3}`;
const DIGIT = '[0-9\\uff10-\\uff19]';

/** A pattern for one of the victim's numbers as typed: each digit ASCII or full-width, separators between any two. */
function typedAs(digits: string, phone: boolean): RegExp | null {
  if (digits.length < 5) return null;
  const chars = [...digits].map((c) => (c === 'X' ? '[Xx\\uff38\\uff58]' : `[${c}${String.fromCharCode(0xff10 + Number(c))}]`));
  // a phone may carry the country code in any of its usual forms
  const prefix = phone ? `(?:(?:[+\\uff0b]|00|\\uff10\\uff10)?[8\\uff18][6\\uff16]${GAP})?` : '';
  return new RegExp(`(?<!${DIGIT})${prefix}${chars.join(GAP)}(?!${DIGIT})`, 'g');
}

/** The mobile number without its country code, as pii-numbers.ts gives it. */
function nationalPhone(value: string): string {
  const d = normaliseDigits(value);
  return d.length > 11 && /^(?:0086|86)1/.test(d) ? d.slice(d.length - 11) : d;
}

type OwnNumber = [value: string, pattern: RegExp | null, rule: Disclosure];
// A packet masks every message and note with the same profile and rules: the patterns are built once per pair.
const built = new WeakMap<VictimProfile, WeakMap<Recipient['personalData'], OwnNumber[]>>();

function ownNumbers(profile: VictimProfile, rules: Recipient['personalData']): OwnNumber[] {
  let byRules = built.get(profile);
  if (!byRules) built.set(profile, (byRules = new WeakMap()));
  let own = byRules.get(rules);
  if (!own) {
    own = profile.cards.map((c): OwnNumber => [c.number, typedAs(normaliseDigits(c.number), false), rules.cardNumbers]);
    if (profile.idNumber) own.push([profile.idNumber, typedAs(normaliseDigits(profile.idNumber), false), rules.idNumber]);
    if (profile.phone) own.push([profile.phone, typedAs(nationalPhone(profile.phone), true), rules.phone]);
    byRules.set(rules, own);
  }
  return own;
}

function masked(span: string, rule: Disclosure): string {
  return rule === 'last4' ? maskLast4(span) : '[—]';
}

/**
 * Replaces the victim's own card, ID and phone numbers wherever they appear in free text (narrative, messages,
 * transaction notes) with the recipient's masked form, however they were typed (spaces, dashes, dots, full-width
 * digits, a line break, +86), so masking cannot be undone by reading the appendix. A resident ID number of anyone
 * (its check digit valid) is masked by the ID rule too: no recipient needs a third person's ID that its policy
 * would hide. Other people's cards and phones stay: the payee's card and the caller's number are the evidence.
 */
export function maskText(text: string, profile: VictimProfile, recipient: Recipient): string {
  const { rules } = rulesFor(profile, recipient);
  const own = ownNumbers(profile, rules);
  let out = text;
  for (const [value, pattern, rule] of own) {
    if (!value || rule === 'full') continue;
    // a value with too few digits to be a number is masked exactly as stored
    out = pattern ? out.replace(pattern, (span) => masked(span, rule)) : out.split(value).join(masked(value, rule));
  }
  if (rules.idNumber === 'full') return out;
  const ids = findPersonalNumbers(out).filter((n) => n.kind === 'id-number');
  for (const n of ids.reverse()) out = out.slice(0, n.start) + masked(out.slice(n.start, n.end), rules.idNumber) + out.slice(n.end);
  return out;
}
