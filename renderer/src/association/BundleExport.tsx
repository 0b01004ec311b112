import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { PassphraseMeter } from '../components/PassphraseMeter';
import { MIN_PASSPHRASE as MIN, newPassphraseError } from '../screens/passphrase-rules';
import { useAsync } from '../components/useAsync';
import { formatSize } from '../format';
import { BundleProgress } from './BundleProgress';
import { useJobPoll } from './useJobPoll';

type Job = ResponseOf<'bundle.status'>;

/** Exports one case to an encrypted .redress file; the transfer passphrase is typed twice. */
export function BundleExport({ casesVersion }: { casesVersion: number }) {
  const { t, i18n } = useTranslation();
  const b = (k: string, o?: Record<string, unknown>) => t(`ui.association.bundle.${k}`, o);
  // listed again after an import, so a case that just arrived can be passed on
  const cases = useAsync(() => call('cases.list', {}), [casesVersion]);
  const [caseId, setCaseId] = useState('');
  const [pass, setPass] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<ErrorValue | null>(null);
  const [mismatch, setMismatch] = useState(false);
  const { job, error: pollError, follow, reset } = useJobPoll((jobId) => call('bundle.status', { jobId }));
  const running = job?.state === 'running';
  const title = cases.data?.find((c) => c.id === (job?.exported?.caseId ?? caseId))?.title ?? '';

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setMismatch(pass !== repeat);
    if (pass !== repeat || !caseId) return;
    try {
      // the vault's rule applies to a transfer passphrase too (the core checks it again)
      const weak = await newPassphraseError(pass, repeat);
      if (weak) return setError(weak);
      reset();
      const { jobId } = await call('bundle.exportStart', { caseId, passphrase: pass, passphraseRepeat: repeat });
      if (!jobId) return;
      follow(jobId, { jobId, kind: 'export', state: 'running', phase: null, done: 0, total: 0, exported: null, imported: null, error: null } satisfies Job);
      setPass('');
      setRepeat('');
    } catch (err) {
      setError(toErrorValue(err));
    }
  };

  return (
    <section aria-labelledby="bundle-export-title" className="chart-card bundle-card">
      <h2 id="bundle-export-title">{b('exportTitle')}</h2>
      <p className="hint">{b('exportIntro')}</p>
      <form onSubmit={(e) => void submit(e)}>
        <label className="field" htmlFor="bundle-case">
          <span>{b('case')}</span>
          <select id="bundle-case" value={caseId} onChange={(e) => setCaseId(e.target.value)} disabled={running} required>
            <option value="">{b('chooseCase')}</option>
            {cases.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </label>
        <label className="field" htmlFor="bundle-pass">
          <span>{b('passphrase')}</span>
          <input id="bundle-pass" type="password" autoComplete="new-password" value={pass} minLength={MIN} onChange={(e) => setPass(e.target.value)} aria-describedby="bundle-pass-hint bundle-pass-meter" disabled={running} />
        </label>
        <p id="bundle-pass-hint" className="hint">
          {b('passphraseHint', { min: MIN })}
        </p>
        <PassphraseMeter value={pass} id="bundle-pass-meter" />
        <label className="field" htmlFor="bundle-repeat">
          <span>{b('repeat')}</span>
          <input id="bundle-repeat" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} aria-invalid={mismatch} disabled={running} />
        </label>
        {mismatch && (
          <p className="error" role="alert">
            {b('mismatch')}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={running || !caseId || !pass || !repeat}>
            {b('export')}
          </button>
          {running && (
            <button type="button" onClick={() => void call('bundle.cancel', { jobId: job.jobId })}>
              {b('cancel')}
            </button>
          )}
        </div>
      </form>
      <ErrorMessage error={error ?? pollError ?? (job && job.state !== 'running' ? job.error : null)} />
      {job && <BundleProgress job={job} id="bundle-export-progress" />}
      {job?.exported && (
        <div role="status" className="result ok" data-testid="bundle-exported">
          <p>{b('exported', { title, file: job.exported.file, count: job.exported.items, entries: job.exported.entries, size: formatSize(job.exported.bytes, i18n.language) })}</p>
          <p>
            {b('sha256')} <code className="hash">{job.exported.sha256}</code>
          </p>
        </div>
      )}
    </section>
  );
}
