import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChecklistStep, StepState } from '../../../shared/checklist';
import type { ErrorValue } from '../../../shared/errors';
import type { Language } from '../../../shared/i18n';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAsync } from '../components/useAsync';
import { ItemPicker } from './ItemPicker';
import type { ListedItem } from './types';

/** The case's checklist: urgent steps first, each ticked off or linked to the evidence that satisfies it. */
export function ChecklistPanel({ caseId, items, onOpenItem }: { caseId: string; items: ListedItem[]; onOpenItem: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language as Language;
  const { data, error, setData } = useAsync(() => call('checklist.get', { caseId }), [caseId]);
  const [saveError, setSaveError] = useState<ErrorValue | null>(null);
  if (!data) return <ErrorMessage error={error} />;
  const { checklist, state } = data;
  const update = async (step: ChecklistStep, next: StepState) => {
    // optimistic: the box ticks at once; the stored state replaces it when the vault answers
    setData({ checklist, state: { ...state, [step.id]: next } });
    try {
      setData({ checklist, state: await call('checklist.setStep', { caseId, stepId: step.id, state: next }) });
      setSaveError(null);
    } catch (err) {
      setData({ checklist, state });
      setSaveError(toErrorValue(err));
    }
  };
  const done = checklist.steps.filter((s) => state[s.id]?.done).length;
  const groups = [
    { key: 'urgent', steps: checklist.steps.filter((s) => s.urgent) },
    { key: 'collect', steps: checklist.steps.filter((s) => !s.urgent) },
  ];
  return (
    <section aria-labelledby="checklist-title" className="checklist">
      <h2 id="checklist-title">
        {t('ui.checklist.title')} <span className="count">{t('ui.checklist.progress', { done, total: checklist.steps.length })}</span>
      </h2>
      <ErrorMessage error={saveError} />
      {groups.map((g) => (
        <div key={g.key} className={`step-group ${g.key}`}>
          <h3>{t(`ui.checklist.group.${g.key}`)}</h3>
          <ol>
            {g.steps.map((step) => {
              const s = state[step.id] ?? { done: false, itemIds: [] };
              const ids = new Set(s.itemIds);
              const linked = items.filter((i) => ids.has(i.id));
              const candidates = items.filter((i) => !ids.has(i.id));
              return (
                <li key={step.id} className={s.done ? 'step done' : 'step'} data-testid={`step-${step.id}`}>
                  <label className="check">
                    <input type="checkbox" checked={s.done} onChange={(e) => void update(step, { ...s, done: e.target.checked })} />
                    <span className="step-title">{step.title[lng]}</span>
                  </label>
                  <p className="step-detail">{step.detail[lng]}</p>
                  {step.kind === 'evidence' && (
                    <div className="step-links">
                      {linked.map((i) => (
                        <span key={i.id} className="chip">
                          <button type="button" className="link" onClick={() => onOpenItem(i.id)}>
                            {i.title}
                          </button>
                          <button type="button" className="chip-x" aria-label={t('ui.checklist.unlink', { title: i.title })} onClick={() => void update(step, { ...s, itemIds: s.itemIds.filter((x) => x !== i.id) })}>
                            ×
                          </button>
                        </span>
                      ))}
                      {candidates.length > 0 && (
                        <ItemPicker
                          items={candidates}
                          label={t('ui.checklist.link', { step: step.title[lng] })}
                          placeholder={t('ui.checklist.linkPlaceholder')}
                          onPick={(itemId) => void update(step, { ...s, done: true, itemIds: [...s.itemIds, itemId] })}
                        />
                      )}
                    </div>
                  )}
                </li>
              );
            })}
          </ol>
        </div>
      ))}
    </section>
  );
}
