import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../../../../shared/ipc/contract';
import { formatSize } from '../../format';

export type RecipientData = ResponseOf<'packets.recipients'>[number];
type Lang = 'zh-CN' | 'en';

const JURISDICTIONS = ['CN', 'US', 'UK', 'EU'] as const;

/** Recipients grouped by jurisdiction, each named in the UI language, with its kind and how to submit. */
export function RecipientPicker({ recipients, value, onChange }: { recipients: RecipientData[]; value: string; onChange: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang: Lang = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  const chosen = recipients.find((r) => r.id === value) ?? null;
  return (
    <div className="recipient-picker">
      <label className="field">
        <span>{t('ui.packet.recipient')}</span>
        <select value={value} onChange={(e) => onChange(e.target.value)} data-testid="recipient-select">
          <option value="">{t('ui.packet.chooseRecipient')}</option>
          {JURISDICTIONS.map((j) => (
            <optgroup key={j} label={t(`ui.packet.jurisdiction.${j}`)}>
              {recipients
                .filter((r) => r.jurisdiction === j)
                .map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name[lang]}
                    {r.hotline ? ` (${r.hotline})` : ''} · {t(`ui.packet.kind.${r.kind}`)}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </label>
      {chosen && (
        <dl className="facts recipient-card" data-testid="recipient-card">
          <dt>{t('ui.packet.kindLabel')}</dt>
          <dd>
            {t(`ui.packet.kind.${chosen.kind}`)} · {t(`ui.packet.jurisdiction.${chosen.jurisdiction}`)}
            {chosen.hotline ? ` · ${chosen.hotline}` : ''}
          </dd>
          <dt>{t('ui.packet.howToSubmit')}</dt>
          <dd>{chosen.submit[lang]}</dd>
          {chosen.attachmentLimit && (
            <>
              <dt>{t('ui.packet.limit')}</dt>
              <dd>
                {[
                  chosen.attachmentLimit.totalBytes ? t('ui.packet.limitTotal', { size: formatSize(chosen.attachmentLimit.totalBytes, i18n.language) }) : null,
                  chosen.attachmentLimit.perFileBytes ? t('ui.packet.limitPerFile', { size: formatSize(chosen.attachmentLimit.perFileBytes, i18n.language) }) : null,
                ]
                  .filter(Boolean)
                  .join('; ')}
              </dd>
            </>
          )}
          <dt>{t('ui.packet.asks')}</dt>
          <dd>
            <ul className="asks">
              {chosen.asks.map((a, i) => (
                <li key={i}>{a[lang]}</li>
              ))}
            </ul>
          </dd>
          {chosen.notes && (
            <>
              <dt>{t('ui.packet.notes')}</dt>
              <dd>{chosen.notes[lang]}</dd>
            </>
          )}
        </dl>
      )}
    </div>
  );
}
