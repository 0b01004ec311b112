import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { INCIDENT_TYPES, type IncidentType } from '../../../shared/case-model';
import type { ErrorValue } from '../../../shared/errors';
import type { Language } from '../../../shared/i18n';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAsync } from '../components/useAsync';

/** "What happened?": the incident type chooses the checklist, whose urgent steps are shown before anything else. */
export function GuidedStart({ onCreated, onCancel }: { onCreated: (caseId: string) => void; onCancel: () => void }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language as Language;
  const [type, setType] = useState<IncidentType | null>(null);
  const [title, setTitle] = useState('');
  const [started, setStarted] = useState('');
  const [error, setError] = useState<ErrorValue | null>(null);
  const [busy, setBusy] = useState(false);
  const { data: checklist } = useAsync(() => (type ? call('checklist.forType', { incidentType: type }) : Promise.resolve(null)), [type]);

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!type) return;
    setBusy(true);
    try {
      const startedAt = started ? new Date(started).toISOString() : undefined;
      const kase = await call('cases.create', { title: title.trim() || t(`incidentType.${type}`), incidentType: type, ...(startedAt ? { startedAt } : {}) });
      onCreated(kase.id);
    } catch (err) {
      setError(toErrorValue(err));
      setBusy(false);
    }
  };

  return (
    <form className="guided" onSubmit={create} aria-labelledby="guided-title">
      <h1 id="guided-title">{t('ui.guided.title')}</h1>
      <p>{t('ui.guided.intro')}</p>
      <fieldset className="type-grid">
        <legend>{t('ui.guided.pickType')}</legend>
        {INCIDENT_TYPES.map((it) => (
          <label key={it} className={type === it ? 'type-card selected' : 'type-card'}>
            <input type="radio" name="incident-type" value={it} checked={type === it} onChange={() => setType(it)} />
            <span>{t(`incidentType.${it}`)}</span>
          </label>
        ))}
      </fieldset>
      {type && (
        <div className="guided-details">
          <label className="field">
            <span>{t('ui.guided.caseTitle')}</span>
            <input value={title} placeholder={t(`incidentType.${type}`)} onChange={(e) => setTitle(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('ui.guided.started')}</span>
            <input type="datetime-local" value={started} onChange={(e) => setStarted(e.target.value)} />
          </label>
          {checklist && (
            <section className="checklist-preview" aria-labelledby="preview-title">
              <h2 id="preview-title">{t('ui.guided.preview')}</h2>
              <ol>
                {checklist.steps.map((s) => (
                  <li key={s.id} className={s.urgent ? 'urgent' : ''}>
                    {s.urgent && <strong className="urgent-tag">{t('ui.checklist.urgent')}</strong>} {s.title[lng]}
                  </li>
                ))}
              </ol>
            </section>
          )}
        </div>
      )}
      <ErrorMessage error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={!type || busy}>
          {t('ui.guided.create')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('ui.common.cancel')}
        </button>
      </div>
    </form>
  );
}
