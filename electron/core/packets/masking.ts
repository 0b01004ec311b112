import type { Disclosure, PersonalField, Recipient } from '../../../shared/recipient.js';
import type { VictimProfile } from '../../../shared/victim-profile.js';

/** Keeps the last four characters visible; everything else becomes '*' (spaces and dashes keep their place). */
export function maskLast4(value: string): string {
  const chars = [...value];
  let keep = 4;
  for (let i = chars.length - 1; i >= 0; i--) {
    if (/[\s-]/.test(chars[i]!)) continue;
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
}

/** The victim's details as one recipient gets them. */
export interface MaskedProfile {
  name?: string;
  idNumber?: string;
  phone?: string;
  email?: string;
  address?: string;
  cards: { bank: string; number: string }[];
  fields: DisclosedField[];
}

export function maskProfile(profile: VictimProfile, recipient: Recipient): MaskedProfile {
  const rules = recipient.personalData;
  const single = (field: Exclude<PersonalField, 'cardNumbers'>): DisclosedField => {
    const raw = profile[field] || undefined;
    const shown = applyDisclosure(raw, rules[field]);
    return { field, rule: rules[field], present: !!raw, ...(shown ? { shown } : {}) };
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
    fields: [name, idNumber, phone, email, address, cardField],
  };
}

/**
 * Replaces the victim's own card numbers and ID number wherever they appear in free text (narrative, messages,
 * transaction notes) with the recipient's masked form, so masking cannot be undone by reading the appendix.
 */
export function maskText(text: string, profile: VictimProfile, recipient: Recipient): string {
  let out = text;
  const swaps: [string, Disclosure][] = [...profile.cards.map((c): [string, Disclosure] => [c.number, recipient.personalData.cardNumbers])];
  if (profile.idNumber) swaps.push([profile.idNumber, recipient.personalData.idNumber]);
  if (profile.phone) swaps.push([profile.phone, recipient.personalData.phone]);
  for (const [secret, rule] of swaps) {
    if (!secret || rule === 'full') continue;
    const replacement = rule === 'last4' ? maskLast4(secret) : '[—]';
    out = out.split(secret).join(replacement);
  }
  return out;
}
