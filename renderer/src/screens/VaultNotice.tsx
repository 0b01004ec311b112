import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import type { ResponseOf } from '../../../shared/ipc/contract';
import type { QuarantinedFile } from '../../../shared/custody';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatSize, formatTime } from '../format';

type Integrity = ResponseOf<'vault.integrity'>;

/**
 * What opening the vault found, shown above every screen until it is dealt with: originals that no item refers to
 * (set aside in quarantine, never deleted by Redress) and a database older than the last state the vault recorded.
 * The user decides: add a set-aside original back to a case, delete it for good, or continue with the older database.
 */
export function VaultNotice() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [integrity, setIntegrity] = useState<Integrity | null>(null);
  const [files, setFiles] = useState<QuarantinedFile[] | null>(null);
  const [cases, setCases] = useState<{ id: string; title: string }[]>([]);
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorValue | null>(null);

  /** listed: the list is open, so it is refreshed too */
  const refresh = useCallback(async (listed: boolean) => {
    try {
      const next = await call('vault.integrity', {});
      setIntegrity(next);
      if (listed) setFiles(next.quarantine.count ? await call('vault.quarantine.list', { inspect: true }) : null);
    } catch (err) {
      setError(toErrorValue(err));
    }
  }, []);
  // once per unlock: the shell is remounted for each
  useEffect(() => void refresh(false), [refresh]);

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      await refresh(files !== null);
    } catch (err) {
      setError(toErrorValue(err));
    } finally {
      setBusy(false);
    }
  };
  const show = () =>
    act(async () => {
      const [list, all] = await Promise.all([call('vault.quarantine.list', { inspect: true }), call('cases.list', {})]);
      setFiles(list);
      setCases(all.map((c) => ({ id: c.id, title: c.title })));
      setTarget((current) => current || all[0]?.id || '');
    });

  if (!integrity) return <ErrorMessage error={error} />;
  const { quarantine, rollback } = integrity;
  if (quarantine.count === 0 && !rollback) return null;
  const span = (a: string | null, b: string | null) => (a && b ? { from: formatTime(a, lng), to: formatTime(b, lng) } : { from: '?', to: '?' });

  return (
    <section className="card vault-notice" role="region" aria-labelledby="vault-notice-title">
      <h2 id="vault-notice-title">{t('ui.vaultNotice.title')}</h2>
      {rollback && (
        <div className="notice-part">
          <p>{rollback.unreadable ? t('ui.vaultNotice.rollbackUnreadable') : t('ui.vaultNotice.rollback', { entries: rollback.entriesMissing, cases: rollback.cases.length, seen: rollback.seen ? formatTime(rollback.seen.at, lng) : '?' })}</p>
          <p>{t('ui.vaultNotice.rollbackWayOut')}</p>
          <button type="button" disabled={busy} onClick={() => window.confirm(t('ui.vaultNotice.rollbackConfirm')) && void act(() => call('vault.rollback.acknowledge', {}))}>
            {t('ui.vaultNotice.rollbackContinue')}
          </button>
        </div>
      )}
      {quarantine.count > 0 && (
        <div className="notice-part">
          <p>{t('ui.vaultNotice.quarantine', { count: quarantine.count, size: formatSize(quarantine.bytes, lng), ...span(quarantine.oldest, quarantine.newest) })}</p>
          {files === null ? (
            <button type="button" disabled={busy} onClick={() => void show()}>
              {t('ui.vaultNotice.show')}
            </button>
          ) : (
            <>
              <label>
                {t('ui.vaultNotice.target')}{' '}
                <select value={target} onChange={(e) => setTarget(e.target.value)}>
                  {cases.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.title}
                    </option>
                  ))}
                </select>
              </label>
              <table className="quarantine">
                <thead>
                  <tr>
                    <th scope="col">{t('ui.vaultNotice.stored')}</th>
                    <th scope="col">{t('ui.vaultNotice.size')}</th>
                    <th scope="col">{t('ui.vaultNotice.state')}</th>
                    <th scope="col">{t('ui.vaultNotice.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {files.map((f) => (
                    <tr key={f.id}>
                      <td>{formatTime(f.storedAt, lng)}</td>
                      <td>{f.size === null ? '?' : formatSize(f.size, lng)}</td>
                      <td>{f.intact === false ? t('ui.vaultNotice.damaged') : f.mediaType ?? t('ui.vaultNotice.intact')}</td>
                      <td>
                        <button type="button" disabled={busy || !target || f.intact === false} onClick={() => void act(() => call('vault.quarantine.reattach', { quarantineId: f.id, caseId: target }))}>
                          {t('ui.vaultNotice.reattach')}
                        </button>{' '}
                        <button type="button" className="danger" disabled={busy} onClick={() => window.confirm(t('ui.vaultNotice.discardConfirm')) && void act(() => call('vault.quarantine.discard', { quarantineIds: [f.id] }))}>
                          {t('ui.vaultNotice.discard')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
