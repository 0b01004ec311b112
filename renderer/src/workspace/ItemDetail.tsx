import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import { call } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAsync } from '../components/useAsync';
import { formatTime } from '../format';
import { AnnotateForm, useItemAnnotation } from './ItemAnnotation';
import { captureOf, ItemFacts, type ItemData } from './ItemFacts';
import { ItemLinks } from './ItemLinks';
import { RedactEditor } from './packets/RedactEditor';
import { useItemRedaction } from './useItemRedaction';

export function ItemDetail({ itemId, onClose, onChanged }: { itemId: string; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const { data, error, setData } = useAsync(() => call('items.get', { itemId }), [itemId]);
  const caseId = data?.item.caseId;
  const { data: kase } = useAsync(() => (caseId ? call('cases.get', { caseId }) : Promise.resolve(null)), [caseId]);
  const [saveError, setSaveError] = useState<ErrorValue | null>(null);
  const { captureInfo, redaction } = captureOf(data);
  const { redacting, setRedacting, redactedCopy, setRedactedCopy, startRedaction } = useItemRedaction({ data, redaction, onError: setSaveError });
  useEffect(() => {
    if (!ref.current?.open) ref.current?.showModal();
  }, []);
  const annotation = useItemAnnotation({ itemId, data, setData, onChanged, setSaveError });

  const item = data?.item;
  return (
    <dialog ref={ref} className="dialog wide item-detail" aria-labelledby="item-title" onCancel={onClose} data-testid="item-detail">
      <div className="dialog-head">
        <h2 id="item-title">{item?.title ?? t('ui.app.loading')}</h2>
        <button type="button" onClick={onClose}>
          {t('ui.common.close')}
        </button>
      </div>
      <ErrorMessage error={error} />
      {redacting && (
        <RedactEditor
          itemId={redacting.itemId}
          src={redacting.src}
          title={redacting.title}
          initialBoxes={redacting.boxes}
          onCancel={() => setRedacting(null)}
          onSaved={() => {
            setRedacting(null);
            setRedactedCopy(true);
            onChanged();
          }}
        />
      )}
      {item && data && !redacting && (
        <div className="detail-grid">
          <ItemPreview data={data} redactedCopy={redactedCopy} onRedact={() => void startRedaction()} />
          <div>
            <dl className="facts">
              <ItemFacts item={item} captureInfo={captureInfo} redaction={redaction} />
              <ItemLinks itemId={itemId} data={data} kase={kase} setData={setData} onChanged={onChanged} onError={setSaveError} />
            </dl>
            <AnnotateForm annotation={annotation} error={saveError} />
            <ItemCustody custody={data.custody} />
          </div>
        </div>
      )}
    </dialog>
  );
}

function ItemPreview({ data, redactedCopy, onRedact }: { data: ItemData; redactedCopy: boolean; onRedact: () => void }) {
  const { t } = useTranslation();
  const item = data.item;
  return (
    <div className="detail-preview">
      {data.previewUrl ? <img src={data.previewUrl} alt={t('ui.item.previewOf', { title: item.title })} /> : <p className="file-card">{item.mediaType}</p>}
      {data.previewUrl && item.mediaType.startsWith('image/') && !item.excluded && (
        <button type="button" onClick={onRedact}>
          {t('ui.redact.open')}
        </button>
      )}
      {redactedCopy && (
        <p role="status" className="ok-text">
          {t('ui.redact.saved')}
        </p>
      )}
    </div>
  );
}

function ItemCustody({ custody }: { custody: ItemData['custody'] }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <h3>{t('ui.item.custody')}</h3>
      <ol className="custody">
        {custody.map((e) => (
          <li key={e.seq}>
            <span className="mono">#{e.seq}</span> {t(`ui.custody.${e.action.replace('.', '_')}`, { defaultValue: e.action })} · {formatTime(e.time, i18n.language)} · {e.actor}
            <br />
            <code className="hash small">{e.hash}</code>
          </li>
        ))}
      </ol>
    </>
  );
}
