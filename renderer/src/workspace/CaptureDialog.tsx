import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';

type Source = ResponseOf<'capture.sources'>[number];

/** Lets the user pick a whole screen or one window; the main process hides Redress while it takes the picture. */
export function CaptureDialog({ caseId, onClose }: { caseId: string; onClose: (added: boolean) => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const [sources, setSources] = useState<Source[] | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    ref.current?.showModal();
    void call('capture.sources', {}).then(setSources, (e) => setError(toErrorValue(e)));
  }, []);
  const take = async (s: Source) => {
    setBusy(true);
    try {
      await call('capture.take', { caseId, sourceId: s.id });
      onClose(true);
    } catch (err) {
      setError(toErrorValue(err));
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} className="dialog wide" aria-labelledby="capture-title" onCancel={() => onClose(false)}>
      <h2 id="capture-title">{t('ui.capture.title')}</h2>
      <p>{t('ui.capture.intro')}</p>
      <ErrorMessage error={error} />
      <ul className="capture-grid">
        {sources?.map((s) => (
          <li key={s.id}>
            <button type="button" disabled={busy} onClick={() => void take(s)} className="capture-source">
              {s.thumbnail ? <img src={s.thumbnail} alt="" /> : <span className="thumb-placeholder" aria-hidden="true" />}
              <span className="capture-kind">{t(`ui.capture.${s.kind}`)}</span>{' '}
              <span className="capture-name">{s.name}</span>
            </button>
          </li>
        ))}
      </ul>
      <div className="row">
        <button type="button" onClick={() => onClose(false)}>
          {t('ui.common.cancel')}
        </button>
      </div>
    </dialog>
  );
}
