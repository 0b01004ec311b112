import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatTime } from '../format';
import type { ListedItem } from './types';

type Job = ResponseOf<'verify.status'>;

/** Intact rows shown after the problems; a 10,000-item case would otherwise put 10,000 rows in the page. */
const OK_ROWS = 100;

/** Re-hashes every stored original and replays the custody chain, with progress, cancel, and a result per item. */
export function IntegrityPanel({ caseId, items, onOpen }: { caseId: string; items: ListedItem[]; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const poll = (jobId: string) => {
    timer.current = setTimeout(async () => {
      try {
        const s = await call('verify.status', { jobId });
        setJob(s);
        if (s.state === 'running') poll(jobId);
      } catch (err) {
        setError(toErrorValue(err));
      }
    }, 150);
  };
  const start = async () => {
    setError(null);
    try {
      const { jobId } = await call('verify.start', { caseId });
      setJob({ jobId, state: 'running', itemsDone: 0, itemsTotal: items.length, report: null, error: null });
      poll(jobId);
    } catch (err) {
      setError(toErrorValue(err));
    }
  };

  const report = job?.report?.cases[0] ?? null;
  const problemsByItem = new Map<string, string[]>();
  for (const p of report?.problems ?? []) if (p.itemId) problemsByItem.set(p.itemId, [...(problemsByItem.get(p.itemId) ?? []), p.kind]);
  const caseProblems = (report?.problems ?? []).filter((p) => !p.itemId);
  // problems first: they are what the user has to act on
  const badItems = items.filter((i) => problemsByItem.has(i.id));
  const okItems = items.filter((i) => !problemsByItem.has(i.id));
  const rows = [...badItems, ...okItems.slice(0, OK_ROWS)];
  const moreOk = okItems.length - Math.min(okItems.length, OK_ROWS);

  return (
    <section aria-labelledby="integrity-title" className="integrity">
      <h2 id="integrity-title">{t('ui.integrity.title')}</h2>
      <p>{t('ui.integrity.intro')}</p>
      <div className="row">
        <button type="button" className="primary" disabled={job?.state === 'running'} onClick={() => void start()}>
          {t('ui.integrity.run')}
        </button>
        {job?.state === 'running' && (
          <button type="button" onClick={() => void call('verify.cancel', { jobId: job.jobId })}>
            {t('ui.common.cancel')}
          </button>
        )}
      </div>
      {job?.state === 'running' && (
        <div className="progress">
          <label htmlFor="verify-progress">{t('ui.integrity.running', { done: job.itemsDone, total: job.itemsTotal })}</label>
          <progress id="verify-progress" max={Math.max(job.itemsTotal, 1)} value={job.itemsDone} />
        </div>
      )}
      <ErrorMessage error={error ?? (job?.state === 'failed' || job?.state === 'cancelled' ? job.error : null)} />
      {report && (
        <div role="status" data-testid="verify-result" className={report.ok ? 'result ok' : 'result bad'}>
          <strong>{report.ok ? t('ui.integrity.ok') : t('ui.integrity.failed', { count: report.problems.length })}</strong>
          <span>
            {' '}
            {t('ui.integrity.summary', { entries: report.entries, items: report.items, time: formatTime(job!.report!.checkedAt, i18n.language) })}
          </span>
          {!report.ok && <p className="advice">{t('ui.integrity.badAdvice')}</p>}
        </div>
      )}
      {caseProblems.length > 0 && (
        <ul className="problems">
          {caseProblems.map((p, i) => (
            <li key={i}>
              {t(`problem.${p.kind}`, { defaultValue: p.kind })}
              {p.seq !== undefined && ` (${t('ui.integrity.atEntry', { seq: p.seq })})`}
              {/* the core's detail is an English sentence: a Chinese screen shows the translated kind and the entry */}
              {i18n.language.startsWith('en') && `: ${p.detail}`}
            </li>
          ))}
        </ul>
      )}
      {report && (
        <table className="verify-table">
          <caption className="sr-only">{t('ui.integrity.perItem')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('ui.integrity.item')}</th>
              <th scope="col">{t('ui.integrity.result')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((item) => {
              const kinds = problemsByItem.get(item.id);
              return (
                <tr key={item.id} className={kinds ? 'bad' : 'ok'} data-testid={`verify-row-${item.id}`}>
                  <td>
                    <button type="button" className="link" onClick={() => onOpen(item.id)}>
                      {item.title}
                    </button>
                  </td>
                  <td>{kinds ? kinds.map((k) => t(`problem.${k}`, { defaultValue: k })).join('; ') : t('ui.integrity.itemOk')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {report && moreOk > 0 && <p className="hint">{t('ui.integrity.moreOk', { count: moreOk, n: new Intl.NumberFormat(i18n.language).format(moreOk) })}</p>}
    </section>
  );
}
