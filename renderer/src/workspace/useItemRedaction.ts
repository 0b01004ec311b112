import { useState } from 'react';
import type { ErrorValue } from '../../../shared/errors';
import { call, toErrorValue } from '../api';
import type { ItemData, Redaction } from './ItemFacts';
import type { RedactionBox } from './packets/RedactEditor';

/** What the redaction editor works on: this image, or, for a redacted copy, its original with the copy's boxes. */
export interface RedactionTarget {
  itemId: string;
  src: string;
  title: string;
  boxes: RedactionBox[];
}

export function useItemRedaction({ data, redaction, onError }: { data: ItemData | null; redaction: Redaction | undefined; onError: (error: ErrorValue) => void }) {
  const [redacting, setRedacting] = useState<RedactionTarget | null>(null);
  // the editor saved a copy: the preview says so until the editor is opened again
  const [redactedCopy, setRedactedCopy] = useState(false);
  const item = data?.item;
  const startRedaction = async () => {
    setRedactedCopy(false);
    if (!item || !data?.previewUrl) return;
    if (!redaction) return setRedacting({ itemId: item.id, src: data.previewUrl, title: item.title, boxes: [] });
    // redacting a copy again starts from the original with the copy's boxes, so one copy per original stays current
    try {
      const original = await call('items.get', { itemId: redaction.originalItemId });
      if (original.previewUrl) setRedacting({ itemId: original.item.id, src: original.previewUrl, title: original.item.title, boxes: redaction.boxes });
    } catch (err) {
      onError(toErrorValue(err));
    }
  };
  return { redacting, setRedacting, redactedCopy, setRedactedCopy, startRedaction };
}
