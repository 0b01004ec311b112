import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAsync } from '../components/useAsync';
import { CaptureDialog } from './CaptureDialog';

type Summary = ResponseOf<'items.pickAndAdd'>;

/**
 * Every way evidence comes in: the system file dialog (run by the main process), a screen capture, an image pasted
 * from the clipboard, or files dropped onto the window. Pasted and dropped files arrive as bytes, never as paths.
 */
export function AddEvidence({ caseId, onAdded, onImport }: { caseId: string; onAdded: () => void; onImport: () => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string>('');
  const [error, setError] = useState<ErrorValue | null>(null);
  const [busy, setBusy] = useState(false);
  const [capturing, setCapturing] = useState(false);
  const { data: info } = useAsync(() => call('app.info', {}), []);

  const report = (s: Summary) => {
    const parts = [t('ui.add.added', { count: s.added.length })];
    if (s.duplicates.length) parts.push(t('ui.add.duplicates', { count: s.duplicates.length }));
    setStatus(s.cancelled ? '' : parts.join(' '));
    setError(s.failed[0]?.error ?? null);
    if (s.added.length) onAdded();
  };
  const run = async (work: () => Promise<Summary>) => {
    setBusy(true);
    setError(null);
    setStatus(t('ui.add.working'));
    try {
      report(await work());
    } catch (err) {
      setStatus('');
      setError(toErrorValue(err));
    } finally {
      setBusy(false);
    }
  };
  const addFiles = async (files: File[], via: 'paste' | 'drop') => {
    const all: Summary = { added: [], duplicates: [], failed: [], cancelled: false };
    for (const file of files) {
      const data = new Uint8Array(await file.arrayBuffer());
      if (data.byteLength === 0) continue;
      const name = file.name || (via === 'paste' ? `pasted-${new Date().toISOString().replace(/[:.]/g, '-')}.png` : 'file');
      const s = await call('items.addBytes', { caseId, name, data, via, ...(file.type ? { mediaType: file.type } : {}) });
      all.added.push(...s.added);
      all.duplicates.push(...s.duplicates);
    }
    return all;
  };

  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const files = [...(e.clipboardData?.files ?? [])];
      if (!files.length) return;
      e.preventDefault();
      void run(() => addFiles(files, 'paste'));
    };
    const onDragOver = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    const onDrop = (e: DragEvent) => {
      const files = [...(e.dataTransfer?.files ?? [])];
      if (!files.length) return;
      e.preventDefault();
      void run(() => addFiles(files, 'drop'));
    };
    window.addEventListener('paste', onPaste);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('paste', onPaste);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  });

  return (
    <div className="add-evidence">
      <div className="row">
        <button type="button" className="primary" disabled={busy} onClick={() => void run(() => call('items.pickAndAdd', { caseId }))}>
          {t('ui.add.files')}
        </button>
        <button type="button" disabled={busy} onClick={onImport}>
          {t('ui.add.import')}
        </button>
        {info?.canCapture && (
          <button type="button" disabled={busy} onClick={() => setCapturing(true)}>
            {t('ui.add.capture')}
          </button>
        )}
      </div>
      <p className="hint">{t('ui.add.pasteHint')}</p>
      <p role="status" className="status" data-testid="add-status">
        {status}
      </p>
      <ErrorMessage error={error} />
      {capturing && (
        <CaptureDialog
          caseId={caseId}
          onClose={(added) => {
            setCapturing(false);
            if (added) {
              setStatus(t('ui.add.added', { count: 1 }));
              onAdded();
            }
          }}
        />
      )}
    </div>
  );
}
