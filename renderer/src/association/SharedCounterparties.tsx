import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../../../shared/ipc/contract';

type Shared = ResponseOf<'association.stats'>['sharedCounterparties'];

/** The same scam phone or account in several victims' cases, with those cases, each a link to open it. */
export function SharedCounterparties({ shared, titles, onOpenCase }: { shared: Shared; titles: Record<string, string>; onOpenCase: (caseId: string) => void }) {
  const { t, i18n } = useTranslation();
  const s = (k: string) => t(`ui.association.stats.${k}`);
  return (
    <section aria-labelledby="shared-title" className="chart-card">
      <h2 id="shared-title">{s('shared')}</h2>
      <p className="hint">{s('sharedIntro')}</p>
      {shared.length === 0 ? (
        <p className="empty">{s('noShared')}</p>
      ) : (
        <table className="data-table shared" data-testid="shared-counterparties">
          <thead>
            <tr>
              <th scope="col">{s('identifier')}</th>
              <th scope="col">{s('kind')}</th>
              <th scope="col">{s('spellings')}</th>
              <th scope="col">{s('inCases')}</th>
            </tr>
          </thead>
          <tbody>
            {shared.map((c) => (
              <tr key={`${c.family}:${c.identifier}`}>
                <th scope="row" className="mono">
                  {c.identifier}
                </th>
                <td>{t(`ui.association.stats.family.${c.family}`)}</td>
                <td>{c.spellings.join('; ')}</td>
                <td>
                  <ul className="case-links">
                    {[...c.caseIds].sort((a, b) => (titles[a] ?? a).localeCompare(titles[b] ?? b, i18n.language)).map((id) => (
                      <li key={id}>
                        <button type="button" className="link" onClick={() => onOpenCase(id)}>
                          {titles[id] ?? id.slice(0, 8)}
                        </button>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
