import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAsync } from '../components/useAsync';
import { BatchCaseList } from './BatchCaseList';
import { SelectionFilters } from './SelectionFilters';
import { NO_SELECTION, toSelection, type SelectionForm } from './selection';
import { useJobPoll } from './useJobPoll';

type Job = ResponseOf<'batch.status'>;

/** A packet per matching case, built in the background with a status per case; cancel, then resume later. */
export function BatchPanel() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  const b = (k: string, o?: Record<string, unknown>) => t(`ui.association.batch.${k}`, o);
  const [form, setForm] = useState<SelectionForm>(NO_SELECTION);
  const selection = toSelection(form);
  const key = JSON.stringify(selection);
  const matching = useAsync(() => call('association.stats', selection).then((s) => s.cases), [key]);
  const recipients = useAsync(() => call('association.recipients', {}), []);
  const [recipientId, setRecipientId] = useState('');
  const [folder, setFolder] = useState<{ folderId: string; folder: string } | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const { job, error: pollError, follow } = useJobPoll((jobId) => call('batch.status', { jobId }));
  const running = job?.state === 'running';

  const chooseFolder = async () => {
    setError(null);
    try {
      const r = await call('batch.pickFolder', {});
      if (r.folderId && r.folder) setFolder({ folderId: r.folderId, folder: r.folder });
    } catch (err) {
      setError(toErrorValue(err));
    }
  };
  const start = async () => {
    if (!folder || !recipientId) return;
    setError(null);
    try {
      const { jobId } = await call('batch.start', { folderId: folder.folderId, recipientId, selection, lang: lng });
      follow(jobId, { jobId, state: 'running', folder: folder.folder, total: matching.data ?? 0, finished: 0, cases: [], result: null, error: null } satisfies Job);
    } catch (err) {
      setError(toErrorValue(err));
    }
  };

  return (
    <div className="assoc-batch">
      <p className="hint">{b('intro')}</p>
      <SelectionFilters value={form} onChange={setForm} idPrefix="batch" />
      <p className="hint" data-testid="batch-matching">
        {matching.data !== null ? t('ui.association.filter.matching', { count: matching.data }) : ''}
      </p>
      <div className="batch-setup">
        <label className="field" htmlFor="batch-recipient">
          <span>{b('recipient')}</span>
          <select id="batch-recipient" value={recipientId} disabled={running} onChange={(e) => setRecipientId(e.target.value)}>
            <option value="">{b('chooseRecipient')}</option>
            {recipients.data?.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name[lng]}
              </option>
            ))}
          </select>
        </label>
        <div className="field" role="group" aria-labelledby="batch-folder-label">
          <span id="batch-folder-label">{b('folder')}</span>
          <div className="row folder-row">
            <button type="button" disabled={running} onClick={() => void chooseFolder()} aria-describedby="batch-folder">
              {b('chooseFolder')}
            </button>
            <span id="batch-folder" className={folder ? 'mono path' : 'hint'} data-testid="batch-folder">
              {folder?.folder ?? b('noFolder')}
            </span>
          </div>
        </div>
      </div>
      <div className="row">
        <button type="button" className="primary" disabled={running || !folder || !recipientId || matching.data === 0} onClick={() => void start()}>
          {job?.state === 'cancelled' ? b('resume') : b('start')}
        </button>
        {running && (
          <button type="button" onClick={() => void call('batch.cancel', { jobId: job.jobId })}>
            {b('cancel')}
          </button>
        )}
      </div>
      <ErrorMessage error={error ?? pollError ?? (job?.state === 'failed' ? job.error : null)} />
      {job && (
        <div className="progress batch-progress">
          <label htmlFor="batch-progress">{b('progress', { done: job.finished, count: job.total })}</label>
          <progress id="batch-progress" max={Math.max(job.total, 1)} value={job.finished} />
        </div>
      )}
      {job?.state === 'done' && job.result && (
        <p role="status" className="result ok" data-testid="batch-done">
          {b('done', { count: job.result.built, skipped: job.result.skipped, failed: job.result.failed, csv: job.result.summaryCsv, xlsx: job.result.summaryXlsx, folder: job.folder })}
        </p>
      )}
      {job?.state === 'cancelled' && (
        <p role="status" className="notice" data-testid="batch-cancelled">
          {b('cancelled', { count: job.result?.built ?? job.cases.filter((c) => c.state === 'done').length })}
        </p>
      )}
      {job && job.cases.length > 0 && <BatchCaseList cases={job.cases} />}
    </div>
  );
}
