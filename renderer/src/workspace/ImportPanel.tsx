import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorValue, type ErrorValue } from '../../../shared/errors';
import type { ImportStage } from '../../../shared/ipc/channels-records';
import { ApiError, call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatSize } from '../format';
import { ImportPreviewView } from './ImportPreview';
import './records.css';

const POLL_MS = 150;

/**
 * Bringing in an SMS backup, a bill export, a bank statement or a chat export: the file is dropped here (sent as
 * bytes) or picked in the main-process dialog, read without storing anything, and shown as a preview the user
 * confirms or cancels. Only a confirmed file is stored, as an evidence item plus its records.
 */
export function ImportPanel({ caseId, onImported, pickNow = false, onPickStarted }: { caseId: string; onImported: () => void; pickNow?: boolean; onPickStarted?: () => void }) {
  const { t, i18n } = useTranslation();
  const [stage, setStage] = useState<ImportStage | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [note, setNote] = useState('');
  const [over, setOver] = useState(false);
  const [sending, setSending] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const live = useRef(true);
  const latest = useRef<ImportStage | null>(null);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
      if (timer.current) clearTimeout(timer.current);
      // leaving the section drops an unconfirmed preview, so its private copy of the file does not linger
      const s = latest.current;
      if (s && (s.state === 'reading' || s.state === 'ready')) void call('records.stageCancel', { stageId: s.stageId }).catch(() => undefined);
    };
  }, []);

  const follow = (s: ImportStage) => {
    latest.current = s;
    setStage(s);
    if (s.state === 'done') {
      setNote('');
      onImported();
    }
    if (s.state !== 'reading' && s.state !== 'importing') return;
    timer.current = setTimeout(async () => {
      try {
        const next = await call('records.stageStatus', { stageId: s.stageId });
        if (live.current) follow(next);
      } catch (err) {
        if (live.current) setError(toErrorValue(err));
      }
    }, POLL_MS);
  };
  const run = async (work: () => Promise<ImportStage | null>) => {
    if (timer.current) clearTimeout(timer.current);
    setError(null);
    setNote('');
    setSending(true);
    try {
      const s = await work();
      if (s) follow(s);
    } catch (err) {
      setError(toErrorValue(err));
    } finally {
      setSending(false);
    }
  };

  const busy = sending || stage?.state === 'reading' || stage?.state === 'importing' || stage?.state === 'ready';
  const pick = () =>
    run(async () => {
      const r = await call('records.stagePick', { caseId });
      if (r.ignored) setNote(t('ui.records.import.oneAtATime', { count: r.ignored }));
      return r.stage;
    });
  // the header's import button opens the picker once per press; while a preview is open it stays in front instead
  useEffect(() => {
    if (!pickNow) return;
    onPickStarted?.();
    if (!busy) void pick();
  });
  const onDrop = (e: React.DragEvent) => {
    // handled here, not by the window-wide "add as evidence" drop
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    const files = [...e.dataTransfer.files];
    const file = files[0];
    if (!file || busy) return;
    void run(async () => {
      if (files.length > 1) setNote(t('ui.records.import.oneAtATime', { count: files.length - 1 }));
      const data = new Uint8Array(await file.arrayBuffer());
      if (data.byteLength === 0) throw new ApiError(errorValue('FILE_UNREADABLE', { file: file.name, reason: 'empty' }));
      return call('records.stageBytes', { caseId, name: file.name || 'dropped-file', data });
    });
  };

  const progress = stage?.progress;
  return (
    <section className="import-panel" aria-labelledby="import-title">
      <h2 id="import-title">{t('ui.records.import.title')}</h2>
      {!busy && (
        <div
          className={`drop-zone${over ? ' over' : ''}`}
          data-testid="import-drop"
          onDragOver={(e) => {
            e.preventDefault();
            e.stopPropagation();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={onDrop}
        >
          <p>{t('ui.records.import.drop')}</p>
          <p className="hint">{t('ui.records.import.formats')}</p>
          <button type="button" className="primary" onClick={() => void pick()}>
            {t('ui.records.import.choose')}
          </button>
        </div>
      )}
      {stage && (stage.state === 'reading' || stage.state === 'importing') && (
        <div className="progress" data-testid="import-progress">
          <label htmlFor="import-progress-bar">
            {t(stage.state === 'reading' ? 'ui.records.import.reading' : 'ui.records.import.storing', { name: stage.name })}
            {progress && progress.totalBytes > 0 && ` ${formatSize(progress.bytes, i18n.language)} / ${formatSize(progress.totalBytes, i18n.language)}`}
          </label>
          <progress id="import-progress-bar" max={Math.max(progress?.totalBytes ?? 1, 1)} value={progress?.bytes ?? 0} />
          {stage.state === 'reading' && (
            <button type="button" onClick={() => void run(() => call('records.stageCancel', { stageId: stage.stageId }))}>
              {t('ui.common.cancel')}
            </button>
          )}
        </div>
      )}
      {stage?.state === 'ready' && stage.preview && (
        <div className="import-preview" data-testid="import-preview" role="region" aria-labelledby="preview-title">
          <h3 id="preview-title">{t('ui.records.preview.title', { name: stage.name })}</h3>
          <ImportPreviewView preview={stage.preview} />
          <p className="hint">{t('ui.records.preview.nothingStored')}</p>
          <div className="row">
            <button type="button" className="primary" disabled={sending} onClick={() => void run(() => call('records.stageConfirm', { stageId: stage.stageId }))}>
              {t('ui.records.preview.confirm')}
            </button>
            <button type="button" disabled={sending} onClick={() => void run(() => call('records.stageCancel', { stageId: stage.stageId }))}>
              {t('ui.common.cancel')}
            </button>
          </div>
        </div>
      )}
      <p role="status" className="status" data-testid="import-status">
        {stage?.state === 'done' && stage.result
          ? t('ui.records.import.done', {
              name: stage.name,
              messages: stage.result.messages.added,
              transactions: stage.result.transactions.added,
              duplicates: stage.result.messages.duplicate + stage.result.transactions.duplicate,
            })
          : stage?.state === 'cancelled'
            ? t('ui.records.import.cancelled')
            : note}
      </p>
      <ErrorMessage error={error ?? (stage?.state === 'failed' ? stage.error : null)} />
    </section>
  );
}
