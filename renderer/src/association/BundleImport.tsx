import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatTime } from '../format';
import { BundleProgress } from './BundleProgress';
import { useJobPoll } from './useJobPoll';

type Job = ResponseOf<'bundle.status'>;

/** Imports a .redress bundle: picked in the main process, then its passphrase; the outcome says new, appended or already here. */
export function BundleImport({ onOpenCase, onImported, onRecorded }: { onOpenCase: (caseId: string) => void; onImported: () => void; onRecorded: () => void }) {
  const { t, i18n } = useTranslation();
  const b = (k: string, o?: Record<string, unknown>) => t(`ui.association.bundle.${k}`, o);
  const [file, setFile] = useState<{ fileId: string; name: string } | null>(null);
  const [pass, setPass] = useState('');
  const [acceptSigner, setAcceptSigner] = useState(false);
  const [error, setError] = useState<ErrorValue | null>(null);
  const { job, error: pollError, follow, reset } = useJobPoll((jobId) => call('bundle.status', { jobId }));
  const running = job?.state === 'running';

  const choose = async () => {
    setError(null);
    try {
      const r = await call('bundle.pickImport', {});
      if (r.fileId && r.name) {
        setFile({ fileId: r.fileId, name: r.name });
        reset();
      }
    } catch (err) {
      setError(toErrorValue(err));
    }
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!file || !pass) return;
    setError(null);
    try {
      reset();
      const { jobId } = await call('bundle.importStart', { fileId: file.fileId, passphrase: pass, ...(acceptSigner ? { acceptSigner } : {}) });
      setAcceptSigner(false);
      follow(jobId, { jobId, kind: 'import', state: 'running', phase: null, done: 0, total: 0, exported: null, imported: null, error: null } satisfies Job);
    } catch (err) {
      setError(toErrorValue(err));
    }
  };
  const refused = job && (job.state === 'failed' || job.state === 'cancelled') ? job.error : null;
  const imported = job?.imported;
  const changed = imported && imported.status !== 'unchanged' ? job?.jobId : null;
  useEffect(() => {
    if (changed) onImported();
    // once per finished import, not again when the parent re-renders with a new callback
  }, [changed]);

  return (
    <section aria-labelledby="bundle-import-title" className="chart-card bundle-card">
      <h2 id="bundle-import-title">{b('importTitle')}</h2>
      <p className="hint">{b('importIntro')}</p>
      <div className="field" role="group" aria-labelledby="bundle-file-label">
        <span id="bundle-file-label">{b('file')}</span>
        <div className="row folder-row">
          <button type="button" onClick={() => void choose()} disabled={running} aria-describedby="bundle-file">
            {b('chooseFile')}
          </button>
          <span id="bundle-file" className={file ? 'mono path' : 'hint'} data-testid="bundle-file">
            {file?.name ?? b('noFile')}
          </span>
        </div>
      </div>
      <form onSubmit={(e) => void submit(e)}>
        <label className="field" htmlFor="bundle-import-pass">
          <span>{b('importPassphrase')}</span>
          <input id="bundle-import-pass" type="password" autoComplete="off" value={pass} onChange={(e) => setPass(e.target.value)} disabled={running || !file} />
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={running || !file || !pass}>
            {b('import')}
          </button>
          {running && (
            <button type="button" onClick={() => void call('bundle.cancel', { jobId: job.jobId })}>
              {b('cancel')}
            </button>
          )}
        </div>
      </form>
      <ErrorMessage error={error ?? pollError} />
      {job && <BundleProgress job={job} id="bundle-import-progress" />}
      {refused && (
        <div className="error" role="alert" data-testid="bundle-refused">
          <strong>{b('refused')}</strong> {t(refused.messageKey, refused.params)}
        </div>
      )}
      {refused?.code === 'BUNDLE_SIGNER_CHANGED' && (
        <label className="field check">
          <input type="checkbox" checked={acceptSigner} onChange={(e) => setAcceptSigner(e.target.checked)} />
          <span>{b('acceptSigner')}</span>
        </label>
      )}
      {imported && (
        <div role="status" className={imported.status === 'unchanged' ? 'result notice' : 'result ok'} data-testid="bundle-imported" data-status={imported.status}>
          <p>{b(`result.${imported.status}`, { title: imported.title, entries: imported.entriesAdded, count: imported.itemsAdded })}</p>
          <p className="hint">{b('from', { by: imported.exportedBy, at: formatTime(imported.exportedAt, i18n.language) })}</p>
          <BundleSignerNote key={job.jobId} signer={imported.signer} onRecorded={onRecorded} />
          <button type="button" onClick={() => onOpenCase(imported.caseId)}>
            {b('openCase')}
          </button>
        </div>
      )}
    </section>
  );
}

type Signer = NonNullable<Job['imported']>['signer'];

/**
 * Which vault signed the bundle: one recorded here (by the name given it), one not recorded (its fingerprint, to
 * confirm with the sender another way, and a way to record it), or nobody.
 */
function BundleSignerNote({ signer, onRecorded }: { signer: Signer; onRecorded: () => void }) {
  const { t } = useTranslation();
  const s = (k: string, o?: Record<string, unknown>) => t(`ui.association.bundle.signer.${k}`, o);
  const [current, setCurrent] = useState(signer);
  const [label, setLabel] = useState('');
  const [error, setError] = useState<ErrorValue | null>(null);
  const record = async (e: React.FormEvent) => {
    e.preventDefault();
    if (current.status !== 'new' || !label.trim()) return;
    try {
      const known = await call('vault.knownVaults.add', { fingerprint: current.fingerprint, label });
      setCurrent({ status: 'known', fingerprint: known.fingerprint, label: known.label });
      onRecorded();
    } catch (err) {
      setError(toErrorValue(err));
    }
  };
  return (
    <div className={current.status === 'known' ? 'signer ok' : 'signer notice'} data-testid="bundle-signer" data-signer={current.status}>
      {current.status === 'known' && <p>{s('known', { label: current.label, fingerprint: current.fingerprint })}</p>}
      {current.status === 'unsigned' && <p>{s('unsigned')}</p>}
      {current.status === 'new' && (
        <>
          <p>{s('new', { fingerprint: current.fingerprint })}</p>
          <form className="row" onSubmit={(e) => void record(e)}>
            <label htmlFor="signer-label">{s('recordLabel')}</label>
            <input id="signer-label" autoComplete="off" maxLength={200} value={label} onChange={(e) => setLabel(e.target.value)} />
            <button type="submit" disabled={!label.trim()}>
              {s('record')}
            </button>
          </form>
        </>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}
