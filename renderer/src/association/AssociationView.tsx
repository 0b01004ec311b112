import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import './association.css';
import { BatchPanel } from './BatchPanel';
import { BundlePanel } from './BundlePanel';
import { StatsPanel } from './StatsPanel';

const TABS = ['stats', 'batch', 'bundles'] as const;
type Tab = (typeof TABS)[number];

/** The association's view over all cases: statistics, batch export, and case bundles in and out. */
export function AssociationView({ onOpenCase, initialTab }: { onOpenCase: (caseId: string) => void; initialTab?: Tab | undefined }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>(initialTab ?? 'stats');
  const onTabKey = (e: React.KeyboardEvent) => {
    const i = TABS.indexOf(tab);
    const next = e.key === 'ArrowRight' ? TABS[(i + 1) % TABS.length] : e.key === 'ArrowLeft' ? TABS[(i + TABS.length - 1) % TABS.length] : null;
    if (next) {
      setTab(next);
      document.getElementById(`assoc-tab-${next}`)?.focus();
    }
  };
  return (
    <section className="workspace association" aria-labelledby="association-title">
      <div className="page-head">
        <div>
          <h1 id="association-title">{t('ui.association.title')}</h1>
          <p className="hint intro">{t('ui.association.intro')}</p>
        </div>
      </div>
      <div role="tablist" aria-label={t('ui.association.sections')} className="tabs" onKeyDown={onTabKey}>
        {TABS.map((name) => (
          <button
            key={name}
            id={`assoc-tab-${name}`}
            type="button"
            role="tab"
            aria-selected={tab === name}
            aria-controls={`assoc-panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
          >
            {t(`ui.association.tab.${name}`)}
          </button>
        ))}
      </div>
      {/* the batch and bundle panels stay mounted, so a running job keeps its progress while the user looks at the
          figures; the figures are fetched afresh on every visit, so they include what was just imported */}
      {TABS.map((name) => (
        <div key={name} role="tabpanel" id={`assoc-panel-${name}`} aria-labelledby={`assoc-tab-${name}`} className="panel" hidden={tab !== name}>
          {name === 'stats' && tab === 'stats' && <StatsPanel onOpenCase={onOpenCase} />}
          {name === 'batch' && <BatchPanel />}
          {name === 'bundles' && <BundlePanel onOpenCase={onOpenCase} />}
        </div>
      ))}
    </section>
  );
}
