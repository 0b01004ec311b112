import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, onEvent } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAsync } from '../components/useAsync';
import { AddEvidence } from './AddEvidence';
import { ChecklistPanel } from './ChecklistPanel';
import { Gallery } from './Gallery';
import { IntegrityPanel } from './IntegrityPanel';
import { ItemDetail } from './ItemDetail';
import { PartiesLosses } from './PartiesLosses';
import { RecordsTab } from './RecordsTab';
import { PacketPanel } from './packets/PacketPanel';
import { Timeline } from './Timeline';

const TABS = ['checklist', 'timeline', 'records', 'gallery', 'parties', 'integrity', 'packet'] as const;
type Tab = (typeof TABS)[number];

export function CaseWorkspace({ caseId, initialTab, onBack }: { caseId: string; initialTab?: string | undefined; onBack: () => void }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>(TABS.includes(initialTab as Tab) ? (initialTab as Tab) : 'timeline');
  const [selected, setSelected] = useState<string | null>(null);
  // the header's "import" opens the records section's own picker, so every import is previewed before it is stored
  const [importRequested, setImportRequested] = useState(false);
  const kase = useAsync(() => call('cases.get', { caseId }), [caseId]);
  const items = useAsync(() => call('items.list', { caseId }), [caseId]);
  const reloadItems = items.reload;
  const reloadCase = kase.reload;
  const refresh = useCallback(() => {
    reloadItems();
    reloadCase();
  }, [reloadItems, reloadCase]);
  useEffect(() => onEvent('items.changed', (e) => e.caseId === caseId && refresh()), [caseId, refresh]);

  const onTabKey = (e: React.KeyboardEvent) => {
    const i = TABS.indexOf(tab);
    const next = e.key === 'ArrowRight' ? TABS[(i + 1) % TABS.length] : e.key === 'ArrowLeft' ? TABS[(i + TABS.length - 1) % TABS.length] : null;
    if (next) {
      setTab(next);
      document.getElementById(`tab-${next}`)?.focus();
    }
  };

  if (!kase.data) return <ErrorMessage error={kase.error} />;
  const c = kase.data;
  return (
    <section className="workspace" aria-labelledby="case-title">
      <div className="page-head">
        <div>
          <button type="button" className="link back" onClick={onBack}>
            ← {t('ui.nav.cases')}
          </button>
          <h1 id="case-title">{c.title}</h1>
          <p className="case-meta">
            {t(`incidentType.${c.incidentType}`)} · {t(`status.${c.status}`)} · {t('ui.cases.items', { count: c.itemCount })}
          </p>
        </div>
        <AddEvidence
          caseId={caseId}
          onAdded={refresh}
          onImport={() => {
            setTab('records');
            setImportRequested(true);
          }}
        />
      </div>
      <div role="tablist" aria-label={t('ui.workspace.sections')} className="tabs" onKeyDown={onTabKey}>
        {TABS.map((name) => (
          <button
            key={name}
            id={`tab-${name}`}
            type="button"
            role="tab"
            aria-selected={tab === name}
            aria-controls={`panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
          >
            {t(`ui.workspace.tab.${name}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="panel">
        {tab === 'checklist' && <ChecklistPanel caseId={caseId} items={items.data ?? []} onOpenItem={setSelected} />}
        {tab === 'timeline' && <Timeline caseId={caseId} version={items.data} onOpen={setSelected} />}
        {tab === 'records' && <RecordsTab caseId={caseId} onImported={refresh} pickNow={importRequested} onPickStarted={() => setImportRequested(false)} />}
        {tab === 'gallery' && <Gallery items={items.data ?? []} onOpen={setSelected} />}
        {tab === 'parties' && <PartiesLosses kase={c} onSaved={(updated) => kase.setData(updated)} />}
        {tab === 'integrity' && <IntegrityPanel caseId={caseId} items={items.data ?? []} onOpen={setSelected} />}
        {tab === 'packet' && <PacketPanel caseId={caseId} items={items.data ?? []} />}
      </div>
      {selected && <ItemDetail itemId={selected} onClose={() => setSelected(null)} onChanged={refresh} />}
    </section>
  );
}
