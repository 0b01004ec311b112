import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import { normaliseFingerprint, type KnownVault } from '../../../shared/key-fingerprint';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';

/**
 * This vault's own key fingerprint (to give others another way than the files), and the vaults it recorded: a bundle
 * import says whether a bundle comes from one of them. `version` changes when an import recorded one.
 */
export function KnownVaults({ version }: { version: number }) {
  const { t } = useTranslation();
  const k = (key: string, o?: Record<string, unknown>) => t(`ui.association.keys.${key}`, o);
  const [own, setOwn] = useState<string | null>(null);
  const [known, setKnown] = useState<KnownVault[]>([]);
  const [fingerprint, setFingerprint] = useState('');
  const [label, setLabel] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);

  const load = async () => {
    try {
      setOwn((await call('vault.key', {})).fingerprint);
      setKnown(await call('vault.knownVaults.list', {}));
    } catch (err) {
      setError(toErrorValue(err));
    }
  };
  useEffect(() => void load(), [version]);

  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!normaliseFingerprint(fingerprint)) return setProblem(k('badFingerprint'));
    if (!label.trim()) return setProblem(k('noLabel'));
    setProblem(null);
    try {
      await call('vault.knownVaults.add', { fingerprint, label });
      setFingerprint('');
      setLabel('');
      await load();
    } catch (err) {
      setError(toErrorValue(err));
    }
  };
  const remove = async (fp: string) => {
    setError(null);
    try {
      await call('vault.knownVaults.remove', { fingerprint: fp });
      await load();
    } catch (err) {
      setError(toErrorValue(err));
    }
  };

  return (
    <section aria-labelledby="known-vaults-title" className="chart-card bundle-card">
      <h2 id="known-vaults-title">{k('title')}</h2>
      <p className="hint">{k('intro')}</p>
      <p>
        {k('own')} <code className="hash" data-testid="own-fingerprint">{own ?? '…'}</code>
      </p>
      <p className="hint">{k('ownHint')}</p>
      {known.length === 0 ? (
        <p className="hint" data-testid="known-vaults-empty">
          {k('none')}
        </p>
      ) : (
        <table className="known-vaults" data-testid="known-vaults">
          <caption className="sr-only">{k('title')}</caption>
          <thead>
            <tr>
              <th scope="col">{k('label')}</th>
              <th scope="col">{k('fingerprint')}</th>
              <th scope="col">
                <span className="sr-only">{k('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {known.map((v) => (
              <tr key={v.fingerprint}>
                <td>{v.label}</td>
                <td>
                  <code className="hash">{v.fingerprint}</code>
                </td>
                <td>
                  <button type="button" onClick={() => void remove(v.fingerprint)} aria-label={k('removeOne', { label: v.label })}>
                    {k('remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={(e) => void add(e)} aria-labelledby="known-vaults-add">
        <h3 id="known-vaults-add">{k('addTitle')}</h3>
        <label className="field" htmlFor="known-fingerprint">
          <span>{k('fingerprint')}</span>
          <input id="known-fingerprint" className="mono" autoComplete="off" spellCheck={false} value={fingerprint} onChange={(e) => setFingerprint(e.target.value)} placeholder="3F2A 9C01 …" />
        </label>
        <label className="field" htmlFor="known-label">
          <span>{k('label')}</span>
          <input id="known-label" autoComplete="off" value={label} onChange={(e) => setLabel(e.target.value)} maxLength={200} />
        </label>
        <button type="submit">{k('add')}</button>
      </form>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
