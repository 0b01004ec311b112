import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../../shared/errors';
import type { ResponseOf } from '../../../../shared/ipc/contract';
import { call, toErrorValue } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useAsync } from '../../components/useAsync';
import type { ListedItem } from '../types';
import { DisclosureList } from './DisclosureList';
import { choosableItems, ItemChooser } from './ItemChooser';
import { PacketResult } from './PacketResult';
import { RecipientPicker } from './RecipientPicker';
import './packets.css';

type Job = ResponseOf<'packets.status'>;
type Preview = ResponseOf<'packets.preview'>;
type Lang = 'zh-CN' | 'en';

/**
 * Prepares a complaint packet: recipient, items, a preview of exactly what personal data leaves and to whom, then
 * a build (output folder picked in the main process) with progress and cancel, and the result.
 */
export function PacketPanel({ caseId, items }: { caseId: string; items: ListedItem[] }) {
  const { t } = useTranslation();
  const recipients = useAsync(() => call('packets.recipients', {}), []);
  const [recipientId, setRecipientId] = useState('');
  const recipient = recipients.data?.find((r) => r.id === recipientId) ?? null;
  const [lang, setLang] = useState<Lang>('zh-CN');
  const [request, setRequest] = useState('');
  const choosable = useMemo(() => choosableItems(items), [items]);
  const [picked, setPicked] = useState<Set<string> | null>(null);
  // until the user changes the selection it follows the core's default: every item not excluded
  const selected = useMemo(() => picked ?? new Set(choosable.map((i) => i.id)), [picked, choosable]);
  const itemIds = useMemo(() => (picked && choosable.some((i) => !picked.has(i.id)) ? choosable.filter((i) => picked.has(i.id)).map((i) => i.id) : undefined), [picked, choosable]);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [noFolder, setNoFolder] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  useEffect(() => {
    if (!recipient) return;
    setLang(recipient.defaultLang);
    setRequest(recipient.request[recipient.defaultLang]);
  }, [recipient]);

  useEffect(() => {
    setPreview(null);
    if (!recipientId || selected.size === 0) return;
    let live = true;
    call('packets.preview', { caseId, recipientId, ...(itemIds ? { itemIds } : {}) }).then(
      (p) => live && (setPreview(p), setError(null)),
      (e) => live && setError(toErrorValue(e)),
    );
    return () => {
      live = false;
    };
  }, [caseId, recipientId, itemIds, selected.size]);

  const changeLang = (next: Lang) => {
    // keep a request the user wrote; replace only the recipient's default text
    if (recipient && request === recipient.request[lang]) setRequest(recipient.request[next]);
    setLang(next);
  };

  const poll = (jobId: string) => {
    timer.current = setTimeout(async () => {
      try {
        const s = await call('packets.status', { jobId });
        setJob(s);
        if (s.state === 'running') poll(jobId);
      } catch (err) {
        setError(toErrorValue(err));
      }
    }, 150);
  };
  const build = async () => {
    if (!recipient) return;
    setError(null);
    setNoFolder(false);
    setJob(null);
    try {
      const custom = request.trim() && request !== recipient.request[lang] ? { request } : {};
      const { jobId } = await call('packets.start', { caseId, recipientId, lang, ...(itemIds ? { itemIds } : {}), ...custom });
      if (!jobId) return setNoFolder(true);
      setJob({ jobId, state: 'running', phase: 'originals', done: 0, total: selected.size, result: null, error: null });
      poll(jobId);
    } catch (err) {
      setError(toErrorValue(err));
    }
  };

  const running = job?.state === 'running';
  return (
    <section aria-labelledby="packet-title" className="packet-panel">
      <h2 id="packet-title">{t('ui.packet.title')}</h2>
      <p>{t('ui.packet.intro')}</p>
      <ErrorMessage error={recipients.error} />
      <div className="packet-grid">
        <div>
          <h3>{t('ui.packet.step1')}</h3>
          {recipients.data && <RecipientPicker recipients={recipients.data} value={recipientId} onChange={setRecipientId} />}
          {recipient && (
            <>
              <label className="field">
                <span>{t('ui.packet.lang')}</span>
                <select value={lang} onChange={(e) => changeLang(e.target.value as Lang)}>
                  <option value="zh-CN">中文</option>
                  <option value="en">English</option>
                </select>
              </label>
              <label className="field">
                <span>{t('ui.packet.request')}</span>
                <textarea rows={3} value={request} maxLength={5000} onChange={(e) => setRequest(e.target.value)} />
              </label>
            </>
          )}
          <h3>{t('ui.packet.step2')}</h3>
          {choosable.length ? <ItemChooser items={choosable} allItems={items} selected={selected} onChange={setPicked} /> : <p className="empty">{t('ui.packet.noItems')}</p>}
        </div>
        <div>
          <h3>{t('ui.packet.step3')}</h3>
          {!recipient && <p className="empty">{t('ui.packet.pickFirst')}</p>}
          {recipient && selected.size === 0 && <p className="empty">{t('ui.packet.pickItems')}</p>}
          {preview && <DisclosureList preview={preview} />}
          <div className="row">
            <button type="button" className="primary" disabled={!preview || running} onClick={() => void build()}>
              {t('ui.packet.build')}
            </button>
            {running && (
              <button type="button" onClick={() => void call('packets.cancel', { jobId: job.jobId })}>
                {t('ui.common.cancel')}
              </button>
            )}
          </div>
          {noFolder && <p role="status">{t('ui.packet.noFolder')}</p>}
          {running && (
            <div className="progress">
              <label htmlFor="packet-progress">{t(`ui.packet.phase.${job.phase}`, { done: job.done, total: job.total })}</label>
              <progress id="packet-progress" max={Math.max(job.total, 1)} value={job.done} />
            </div>
          )}
          <ErrorMessage error={error ?? (job?.state === 'failed' || job?.state === 'cancelled' ? job.error : null)} />
          {job?.result && <PacketResult result={job.result} />}
        </div>
      </div>
    </section>
  );
}
