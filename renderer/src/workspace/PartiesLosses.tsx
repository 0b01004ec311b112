import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IDENTIFIER_KINDS, PARTY_ROLES, totalLosses, type Loss, type Party } from '../../../shared/case-model';
import type { ErrorValue } from '../../../shared/errors';
import { formatMoney, minorToDecimal } from '../../../shared/format';
import { parseAmount } from '../../../shared/money-input';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import type { CaseData } from './types';

interface LossDraft {
  amount: string;
  currency: string;
  occurredAt: string;
  description: string;
}

const toDraft = (l: Loss): LossDraft => ({ amount: minorToDecimal(l.amount), currency: l.amount.currency, occurredAt: l.occurredAt ? l.occurredAt.slice(0, 16) : '', description: l.description ?? '' });

/** Who is involved and what was lost. Totals are exact sums of integer minor units, per currency. */
export function PartiesLosses({ kase, onSaved }: { kase: CaseData; onSaved: (c: CaseData) => void }) {
  const { t, i18n } = useTranslation();
  const [parties, setParties] = useState<Party[]>(kase.parties);
  const [losses, setLosses] = useState<LossDraft[]>(kase.losses.map(toDraft));
  const [error, setError] = useState<ErrorValue | null>(null);
  const [saved, setSaved] = useState(false);

  const parsed = losses.map((l) => parseAmount(l.amount, l.currency));
  const valid = parsed.every((m) => m !== null);
  const totals = valid ? totalLosses(parsed.map((amount) => ({ amount: amount! }))) : [];

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!valid) return setError({ code: 'INVALID_INPUT', messageKey: 'errors.invalidInput', params: { field: t('ui.losses.amount'), reason: t('ui.losses.badAmount') } });
    const lossValues: Loss[] = losses.map((l, i) => ({
      amount: parsed[i]!,
      ...(l.occurredAt ? { occurredAt: new Date(l.occurredAt).toISOString() } : {}),
      ...(l.description.trim() ? { description: l.description.trim() } : {}),
    }));
    try {
      onSaved(await call('cases.update', { caseId: kase.id, patch: { parties, losses: lossValues } }));
      setSaved(true);
      setError(null);
    } catch (err) {
      setError(toErrorValue(err));
    }
  };
  const setParty = (i: number, p: Party) => setParties(parties.map((x, j) => (j === i ? p : x)));
  const setLoss = (i: number, l: LossDraft) => setLosses(losses.map((x, j) => (j === i ? l : x)));

  return (
    <form onSubmit={save} className="parties-losses">
      <section aria-labelledby="parties-title">
        <h2 id="parties-title">{t('ui.parties.title')}</h2>
        {parties.length === 0 && <p className="empty">{t('ui.parties.empty')}</p>}
        {parties.map((p, i) => (
          <fieldset key={p.id} className="party">
            <legend>{p.name || t(`ui.parties.role.${p.role}`)}</legend>
            <div className="row wrap">
              <label className="field inline">
                <span>{t('ui.parties.roleLabel')}</span>
                <select value={p.role} onChange={(e) => setParty(i, { ...p, role: e.target.value as Party['role'] })}>
                  {PARTY_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`ui.parties.role.${r}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field inline">
                <span>{t('ui.parties.name')}</span>
                <input value={p.name ?? ''} onChange={(e) => setParty(i, { ...p, name: e.target.value })} />
              </label>
              <button type="button" onClick={() => setParties(parties.filter((_, j) => j !== i))}>
                {t('ui.common.remove')}
              </button>
            </div>
            {p.identifiers.map((id, k) => (
              <div className="row wrap" key={k}>
                <label className="field inline">
                  <span>{t('ui.parties.idKind')}</span>
                  <select value={id.kind} onChange={(e) => setParty(i, { ...p, identifiers: p.identifiers.map((x, m) => (m === k ? { ...x, kind: e.target.value as typeof id.kind } : x)) })}>
                    {IDENTIFIER_KINDS.map((r) => (
                      <option key={r} value={r}>
                        {t(`ui.parties.idKinds.${r}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="field inline grow">
                  <span>{t('ui.parties.idValue')}</span>
                  <input value={id.value} onChange={(e) => setParty(i, { ...p, identifiers: p.identifiers.map((x, m) => (m === k ? { ...x, value: e.target.value } : x)) })} />
                </label>
                <button type="button" onClick={() => setParty(i, { ...p, identifiers: p.identifiers.filter((_, m) => m !== k) })}>
                  {t('ui.common.remove')}
                </button>
              </div>
            ))}
            <button type="button" className="link" onClick={() => setParty(i, { ...p, identifiers: [...p.identifiers, { kind: 'phone', value: '' }] })}>
              + {t('ui.parties.addIdentifier')}
            </button>
          </fieldset>
        ))}
        <button type="button" onClick={() => setParties([...parties, { id: crypto.randomUUID(), role: 'suspect', identifiers: [] }])}>
          + {t('ui.parties.add')}
        </button>
      </section>

      <section aria-labelledby="losses-title">
        <h2 id="losses-title">{t('ui.losses.title')}</h2>
        {losses.length === 0 && <p className="empty">{t('ui.losses.empty')}</p>}
        {losses.map((l, i) => (
          <div className="row wrap loss" key={i}>
            <label className="field inline">
              <span>{t('ui.losses.amount')}</span>
              <input inputMode="decimal" value={l.amount} aria-invalid={parsed[i] === null} onChange={(e) => setLoss(i, { ...l, amount: e.target.value })} />
            </label>
            <label className="field inline">
              <span>{t('ui.losses.currency')}</span>
              <select value={l.currency} onChange={(e) => setLoss(i, { ...l, currency: e.target.value })}>
                {['CNY', 'HKD', 'USD', 'EUR', 'GBP', 'JPY'].map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <label className="field inline">
              <span>{t('ui.losses.when')}</span>
              <input type="datetime-local" value={l.occurredAt} onChange={(e) => setLoss(i, { ...l, occurredAt: e.target.value })} />
            </label>
            <label className="field inline grow">
              <span>{t('ui.losses.description')}</span>
              <input value={l.description} onChange={(e) => setLoss(i, { ...l, description: e.target.value })} />
            </label>
            <button type="button" onClick={() => setLosses(losses.filter((_, j) => j !== i))}>
              {t('ui.common.remove')}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setLosses([...losses, { amount: '', currency: 'CNY', occurredAt: '', description: '' }])}>
          + {t('ui.losses.add')}
        </button>
        <p className="total" data-testid="loss-total">
          {t('ui.losses.total')}: {valid ? (totals.length ? totals.map((m) => formatMoney(m, i18n.language)).join(' + ') : '—') : t('ui.losses.badAmount')}
        </p>
      </section>
      <ErrorMessage error={error} />
      <div className="row">
        <button type="submit" className="primary">
          {t('ui.common.save')}
        </button>
        {saved && (
          <span role="status" className="ok-text">
            {t('ui.common.saved')}
          </span>
        )}
      </div>
    </form>
  );
}
