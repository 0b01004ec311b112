import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../../../../shared/ipc/contract';

type Preview = ResponseOf<'packets.preview'>;

/**
 * Exactly what leaves, and to whom, before anything is written: each of the victim's details as the recipient
 * will read it (or that it is withheld), the files (redacted copies, stripped locations) and the record counts.
 */
export function DisclosureList({ preview }: { preview: Preview }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  const to = preview.recipient.name[lang];
  const redacted = preview.items.filter((i) => i.redactedFrom);
  const located = preview.items.filter((i) => i.locationStripped);
  const unchecked = preview.items.filter((i) => i.unchecked);
  return (
    <section className="disclosure" aria-labelledby="disclosure-title" data-testid="disclosure">
      <h3 id="disclosure-title">{t('ui.packet.disclosureTitle', { recipient: to })}</h3>
      <table className="verify-table disclosure-table">
        <caption className="sr-only">{t('ui.packet.personalData')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('ui.packet.personalData')}</th>
            <th scope="col">{t('ui.packet.rule')}</th>
            <th scope="col">{t('ui.packet.recipientSees', { recipient: to })}</th>
          </tr>
        </thead>
        <tbody>
          {preview.fields.map((f) => (
            <tr key={f.field} data-testid={`disclosed-${f.field}`} className={`rule-${f.rule}`}>
              <th scope="row">{t(`ui.packet.field.${f.field}`)}</th>
              <td>{t(`ui.packet.ruleName.${f.rule}`)}</td>
              <td>{f.shown ? <span className="mono">{f.shown}</span> : <span className="muted">{f.present ? t('ui.packet.withheld') : t('ui.packet.notInProfile')}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="disclosure-facts">
        <li data-testid="disclosed-items">{t('ui.packet.filesLeaving', { count: preview.items.length })}</li>
        {redacted.length > 0 && (
          <li data-testid="disclosed-redacted">
            {t('ui.packet.redactedCopies', { count: redacted.length, titles: redacted.map((i) => i.title).join('; ') })}
          </li>
        )}
        {located.length > 0 && <li data-testid="disclosed-location">{t('ui.packet.locationStripped', { count: located.length })}</li>}
        <li data-testid="disclosed-location-policy">{t(preview.recipient.photoMetadata === 'capture' ? 'ui.packet.locationPolicyCapture' : 'ui.packet.locationPolicy')}</li>
        {unchecked.length > 0 && (
          <li className="warn" data-testid="disclosed-unchecked">
            {t('ui.packet.uncheckedImages', { count: unchecked.length, titles: unchecked.map((i) => i.title).join('; ') })}
          </li>
        )}
        <li className="warn" data-testid="disclosed-originals">
          {t('ui.packet.originalsUnchanged')}
        </li>
        <li>{preview.narrativeIncluded ? t('ui.packet.narrativeIncluded') : t('ui.packet.narrativeNotIncluded')}</li>
        <li data-testid="disclosed-records">
          {t('ui.packet.records', {
            list: new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format([
              t('ui.packet.recordMessages', { count: preview.messages }),
              t('ui.packet.recordTransactions', { count: preview.transactions }),
              t('ui.packet.recordCounterparties', { count: preview.counterparties }),
            ]),
          })}
        </li>
      </ul>
    </section>
  );
}
