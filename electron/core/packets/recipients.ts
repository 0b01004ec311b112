import type { Recipient } from '../../../shared/recipient.js';
import { RECIPIENTS } from '../../../shared/recipients/index.js';
import { RedressError } from '../errors.js';

/** Every recipient profile shipped with Redress (data files in shared/recipients/). */
export function listRecipients(): readonly Recipient[] {
  return RECIPIENTS;
}

export function getRecipient(id: string): Recipient {
  const found = RECIPIENTS.find((r) => r.id === id);
  if (!found) throw new RedressError('RECIPIENT_NOT_FOUND', { ref: id });
  return found;
}
