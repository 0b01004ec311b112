import type { PartyIdentifier } from '../../../shared/case-model.js';

/** What identifiers are compared as: one phone number is the same whether typed as a phone or an Alipay login. */
export type IdentifierFamily = 'phone' | 'account' | 'email' | 'url';

const MAINLAND_MOBILE = /^(?:\+?86)?(1\d{10})$/;

/**
 * The form in which two spellings of one identifier compare equal: NFKC (full-width digits typed in a Chinese
 * IME become ASCII), spaces and dashes dropped from phones and account numbers, +86/0086 dropped from mainland
 * mobiles, case folded where case carries no meaning. Returns null for values that identify nothing.
 */
export function normalizeIdentifier(kind: PartyIdentifier['kind'] | 'account', value: string): { family: IdentifierFamily; key: string } | null {
  const v = value.normalize('NFKC').trim();
  if (!v) return null;
  const compact = v.replace(/[\s\-–—.()（）]/g, '').replace(/^00/, '+');
  switch (kind) {
    case 'phone': {
      const mobile = MAINLAND_MOBILE.exec(compact);
      const key = mobile ? mobile[1]! : compact;
      return /\d{5,}/.test(key) ? { family: 'phone', key } : null;
    }
    case 'email':
      return { family: 'email', key: v.toLowerCase() };
    case 'url':
      return { family: 'url', key: v.toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/+$/, '') };
    case 'app':
      return null; // an app name is a platform, not a counterparty
    default: {
      // Alipay and WeChat logins are often mobile numbers: compare those as phones.
      const mobile = MAINLAND_MOBILE.exec(compact);
      if (mobile) return { family: 'phone', key: mobile[1]! };
      if (v.includes('@')) return { family: 'email', key: v.toLowerCase() };
      const key = v.replace(/[\s-]/g, '').toLowerCase();
      return key.length >= 3 ? { family: 'account', key } : null;
    }
  }
}
