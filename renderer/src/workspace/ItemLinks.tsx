import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import { call, toErrorValue } from '../api';
import type { ItemData } from './ItemFacts';
import { LinkTransaction } from './LinkTransaction';
import type { CaseData } from './types';

/** What the item is linked to, with pickers for another party or transaction; a link made reloads the item. */
export function ItemLinks({
  itemId,
  data,
  kase,
  setData,
  onChanged,
  onError,
}: {
  itemId: string;
  data: ItemData;
  kase: CaseData | null;
  setData: (data: ItemData) => void;
  onChanged: () => void;
  onError: (error: ErrorValue) => void;
}) {
  const { t } = useTranslation();
  const item = data.item;
  const partyName = (id: string) => kase?.parties.find((p) => p.id === id)?.name || id;
  const linkParty = async (partyId: string) => {
    try {
      await call('items.link', { itemId, targetType: 'party', targetId: partyId });
      setData(await call('items.get', { itemId }));
      onChanged();
    } catch (err) {
      onError(toErrorValue(err));
    }
  };
  return (
    <>
      <dt>{t('ui.item.links')}</dt>
      <dd>
        <span data-testid="item-links">
          {/* linked transactions are listed in words by LinkTransaction below */}
          {data.links.length
            ? data.links
                .filter((l) => l.targetType !== 'transaction')
                .map((l) => `${t(`ui.item.linkType.${l.targetType}`, { defaultValue: l.targetType })}: ${l.targetType === 'party' ? partyName(l.targetId) : l.targetId}`)
                .join('; ')
            : '—'}
        </span>
        {kase && kase.parties.some((p) => !data.links.some((l) => l.targetType === 'party' && l.targetId === p.id)) && (
          <label className="field inline link-party">
            <span className="sr-only">{t('ui.item.linkParty')}</span>
            <select value="" onChange={(e) => e.target.value && void linkParty(e.target.value)}>
              <option value="">{t('ui.item.linkParty')}</option>
              {kase.parties
                .filter((p) => !data.links.some((l) => l.targetType === 'party' && l.targetId === p.id))
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name || t(`ui.parties.role.${p.role}`)}
                  </option>
                ))}
            </select>
          </label>
        )}
        <LinkTransaction
          itemId={item.id}
          caseId={item.caseId}
          linkedIds={data.links.filter((l) => l.targetType === 'transaction').map((l) => l.targetId)}
          onLinked={() => void call('items.get', { itemId }).then((fresh) => (setData(fresh), onChanged()), (err) => onError(toErrorValue(err)))}
        />
      </dd>
    </>
  );
}
