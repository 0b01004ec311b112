import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import type { ItemData } from './ItemFacts';

export interface ItemAnnotation {
  notes: string;
  setNotes: (notes: string) => void;
  tags: string;
  setTags: (tags: string) => void;
  saved: boolean;
  save: (e: React.FormEvent) => Promise<void>;
}

/**
 * The notes and tags being edited, held by the dialog rather than the form: the form is gone while the redaction
 * editor is open, so what was typed is still there when it closes. Each reload of the item shows the item's own.
 */
export function useItemAnnotation({
  itemId,
  data,
  setData,
  onChanged,
  setSaveError,
}: {
  itemId: string;
  data: ItemData | null;
  setData: (data: ItemData) => void;
  onChanged: () => void;
  setSaveError: (error: ErrorValue | null) => void;
}): ItemAnnotation {
  const [notes, setNotes] = useState('');
  const [tags, setTags] = useState('');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (data) {
      setNotes(data.item.notes);
      setTags(data.item.tags.join(', '));
    }
  }, [data]);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const tagList = tags
        .split(/[,，]/)
        .map((s) => s.trim())
        .filter(Boolean);
      const item = await call('items.annotate', { itemId, notes, tags: tagList });
      const fresh = await call('items.get', { itemId });
      setData({ ...fresh, item });
      setSaved(true);
      setSaveError(null);
      onChanged();
    } catch (err) {
      setSaveError(toErrorValue(err));
    }
  };
  return { notes, setNotes, tags, setTags, saved, save };
}

/** The notes and tags form; its error line also reports a failed link or redaction. */
export function AnnotateForm({ annotation, error }: { annotation: ItemAnnotation; error: ErrorValue | null }) {
  const { t } = useTranslation();
  const { notes, setNotes, tags, setTags, saved, save } = annotation;
  return (
    <form onSubmit={save} className="annotate">
      <label className="field">
        <span>{t('ui.item.notes')}</span>
        <textarea rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('ui.item.tags')}</span>
        <input value={tags} onChange={(e) => setTags(e.target.value)} />
      </label>
      <ErrorMessage error={error} />
      <div className="row">
        <button type="submit">{t('ui.common.save')}</button>
        {saved && (
          <span role="status" className="ok-text">
            {t('ui.common.saved')}
          </span>
        )}
      </div>
    </form>
  );
}
