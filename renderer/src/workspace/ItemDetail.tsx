import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAsync } from '../components/useAsync';
import { formatCaptured, formatOffset, formatSize, formatTime } from '../format';
import { LinkTransaction } from './LinkTransaction';
import { RedactEditor, type RedactionBox } from './packets/RedactEditor';

export function ItemDetail({ itemId, onClose, onChanged }: { itemId: string; onClose: () => void; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const { data, error, setData } = useAsync(() => call('items.get', { itemId }), [itemId]);
  const caseId = data?.item.caseId;
  const { data: kase } = useAsync(() => (caseId ? call('cases.get', { caseId }) : Promise.resolve(null)), [caseId]);
  const partyName = (id: string) => kase?.parties.find((p) => p.id === id)?.name || id;
  const linkParty = async (partyId: string) => {
    try {
      await call('items.link', { itemId, targetType: 'party', targetId: partyId });
      setData(await call('items.get', { itemId }));
      onChanged();
    } catch (err) {
      setSaveError(toErrorValue(err));
    }
  };
  const [notes, setNotes] = useState('');
  const [tags, setTags] = useState('');
  const [saveError, setSaveError] = useState<ErrorValue | null>(null);
  const [saved, setSaved] = useState(false);
  /** what the editor works on: this image, or, for a redacted copy, its original with the copy's boxes */
  const [redacting, setRedacting] = useState<{ itemId: string; src: string; title: string; boxes: RedactionBox[] } | null>(null);
  const [redactedCopy, setRedactedCopy] = useState(false);
  useEffect(() => {
    if (!ref.current?.open) ref.current?.showModal();
  }, []);
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

  const item = data?.item;
  // what a screen capture recorded (screen or window title, when) lives in its custody entry
  const added = data?.custody.find((e) => e.action === 'item.added');
  const captureInfo = added?.payload.capture as { what?: 'screen' | 'window'; title?: string; at?: string } | undefined;
  const redaction = (added?.payload.capture as { redaction?: { originalItemId: string; originalSha256: string; boxes: RedactionBox[] } } | undefined)?.redaction;
  const startRedaction = async () => {
    setRedactedCopy(false);
    if (!item || !data?.previewUrl) return;
    if (!redaction) return setRedacting({ itemId: item.id, src: data.previewUrl, title: item.title, boxes: [] });
    // redacting a copy again starts from the original with the copy's boxes, so one copy per original stays current
    try {
      const original = await call('items.get', { itemId: redaction.originalItemId });
      if (original.previewUrl) setRedacting({ itemId: original.item.id, src: original.previewUrl, title: original.item.title, boxes: redaction.boxes });
    } catch (err) {
      setSaveError(toErrorValue(err));
    }
  };
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
          <div className="detail-preview">
            {data.previewUrl ? <img src={data.previewUrl} alt={t('ui.item.previewOf', { title: item.title })} /> : <p className="file-card">{item.mediaType}</p>}
            {data.previewUrl && item.mediaType.startsWith('image/') && !item.excluded && (
              <button type="button" onClick={() => void startRedaction()}>
                {t('ui.redact.open')}
              </button>
            )}
            {redactedCopy && (
              <p role="status" className="ok-text">
                {t('ui.redact.saved')}
              </p>
            )}
          </div>
          <div>
            <dl className="facts">
              <dt>{t('ui.item.sha256')}</dt>
              <dd>
                <code className="hash" data-testid="item-hash">
                  {item.sha256}
                </code>
              </dd>
              <dt>{t('ui.item.captured')}</dt>
              <dd data-testid="item-captured">
                {formatCaptured(item.captured, i18n.language)}{' '}
                <span className="hint">{t('ui.item.recordedAt', { offset: formatOffset(item.captured.offsetMinutes), zone: item.captured.zone })}</span>
              </dd>
              <dt>{t('ui.item.source')}</dt>
              <dd>{t(`ui.source.${item.source}`, { defaultValue: item.source })}</dd>
              {captureInfo && (captureInfo.what || captureInfo.title || captureInfo.at) && (
                <>
                  <dt>{t('ui.item.captureOf')}</dt>
                  <dd data-testid="capture-info">
                    {captureInfo.what ? `${t(`ui.capture.${captureInfo.what}`)}: ` : ''}
                    {captureInfo.title ?? ''} {captureInfo.at ? `· ${formatTime(captureInfo.at, i18n.language)}` : ''}
                  </dd>
                </>
              )}
              <dt>{t('ui.item.kind')}</dt>
              <dd>{t(`ui.kind.${item.kind}`)}</dd>
              <dt>{t('ui.item.file')}</dt>
              <dd>
                {item.originalName ?? '—'} · {item.mediaType} · {formatSize(item.size, i18n.language)}
              </dd>
              {redaction && (
                <>
                  <dt>{t('ui.redact.derivedFrom')}</dt>
                  <dd data-testid="redacted-from">
                    <code className="hash small">{redaction.originalSha256}</code>
                  </dd>
                </>
              )}
              {item.excluded && (
                <>
                  <dt>{t('ui.item.excluded')}</dt>
                  <dd>{item.excluded.reason}</dd>
                </>
              )}
              <dt>{t('ui.item.links')}</dt>
              <dd>
                <span data-testid="item-links">
                  {/* linked transactions are listed in words by LinkTransaction below */}
                  {data.links.length
                    ? data.links
                        .filter((l) => l.targetType !== 'transaction')
                        .map((l) => `${t(`ui.item.linkType.${l.targetType}`, { defaultValue: l.targetType })}: ${l.targetType === 'party' ? partyName(l.targetId) : l.targetId}`)
                        .join('; ')
                    : '—'}
                </span>
                {kase && kase.parties.some((p) => !data.links.some((l) => l.targetType === 'party' && l.targetId === p.id)) && (
                  <label className="field inline link-party">
                    <span className="sr-only">{t('ui.item.linkParty')}</span>
                    <select value="" onChange={(e) => e.target.value && void linkParty(e.target.value)}>
                      <option value="">{t('ui.item.linkParty')}</option>
                      {kase.parties
                        .filter((p) => !data.links.some((l) => l.targetType === 'party' && l.targetId === p.id))
                        .map((p) => (
                          <option key={p.id} value={p.id}>
                            {p.name || t(`ui.parties.role.${p.role}`)}
                          </option>
                        ))}
                    </select>
                  </label>
                )}
                <LinkTransaction
                  itemId={item.id}
                  caseId={item.caseId}
                  linkedIds={data.links.filter((l) => l.targetType === 'transaction').map((l) => l.targetId)}
                  onLinked={() => void call('items.get', { itemId }).then((fresh) => (setData(fresh), onChanged()), (err) => setSaveError(toErrorValue(err)))}
                />
              </dd>
            </dl>
            <form onSubmit={save} className="annotate">
              <label className="field">
                <span>{t('ui.item.notes')}</span>
                <textarea rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />
              </label>
              <label className="field">
                <span>{t('ui.item.tags')}</span>
                <input value={tags} onChange={(e) => setTags(e.target.value)} />
              </label>
              <ErrorMessage error={saveError} />
              <div className="row">
                <button type="submit">{t('ui.common.save')}</button>
                {saved && (
                  <span role="status" className="ok-text">
                    {t('ui.common.saved')}
                  </span>
                )}
              </div>
            </form>
            <h3>{t('ui.item.custody')}</h3>
            <ol className="custody">
              {data.custody.map((e) => (
                <li key={e.seq}>
                  <span className="mono">#{e.seq}</span> {t(`ui.custody.${e.action.replace('.', '_')}`, { defaultValue: e.action })} · {formatTime(e.time, i18n.language)} · {e.actor}
                  <br />
                  <code className="hash small">{e.hash}</code>
                </li>
              ))}
            </ol>
          </div>
        </div>
      )}
    </dialog>
  );
}
