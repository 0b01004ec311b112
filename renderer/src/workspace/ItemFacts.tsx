import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { formatCaptured, formatOffset, formatSize, formatTime } from '../format';
import type { RedactionBox } from './packets/RedactEditor';

export type ItemData = ResponseOf<'items.get'>;

export interface CaptureInfo {
  what?: 'screen' | 'window';
  title?: string;
  at?: string;
}

export interface Redaction {
  originalItemId: string;
  originalSha256: string;
  boxes: RedactionBox[];
}

/** What a screen capture recorded (screen or window title, when), and a redacted copy's original: both live in the item's custody entry. */
export function captureOf(data: ItemData | null): { captureInfo: CaptureInfo | undefined; redaction: Redaction | undefined } {
  const added = data?.custody.find((e) => e.action === 'item.added');
  const captureInfo = added?.payload.capture as CaptureInfo | undefined;
  const redaction = (added?.payload.capture as { redaction?: Redaction } | undefined)?.redaction;
  return { captureInfo, redaction };
}

/** The item's facts, as terms of the detail's list. */
export function ItemFacts({ item, captureInfo, redaction }: { item: ItemData['item']; captureInfo: CaptureInfo | undefined; redaction: Redaction | undefined }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <dt>{t('ui.item.sha256')}</dt>
      <dd>
        <code className="hash" data-testid="item-hash">
          {item.sha256}
        </code>
      </dd>
      <dt>{t('ui.item.captured')}</dt>
      <dd data-testid="item-captured">
        {formatCaptured(item.captured, i18n.language)}{' '}
        <span className="hint">{t('ui.item.recordedAt', { offset: formatOffset(item.captured.offsetMinutes), zone: item.captured.zone })}</span>
      </dd>
      <dt>{t('ui.item.source')}</dt>
      <dd>{t(`ui.source.${item.source}`, { defaultValue: item.source })}</dd>
      {captureInfo && (captureInfo.what || captureInfo.title || captureInfo.at) && (
        <>
          <dt>{t('ui.item.captureOf')}</dt>
          <dd data-testid="capture-info">
            {captureInfo.what ? `${t(`ui.capture.${captureInfo.what}`)}: ` : ''}
            {captureInfo.title ?? ''} {captureInfo.at ? `· ${formatTime(captureInfo.at, i18n.language)}` : ''}
          </dd>
        </>
      )}
      <dt>{t('ui.item.kind')}</dt>
      <dd>{t(`ui.kind.${item.kind}`)}</dd>
      <dt>{t('ui.item.file')}</dt>
      <dd>
        {item.originalName ?? '—'} · {item.mediaType} · {formatSize(item.size, i18n.language)}
      </dd>
      {redaction && (
        <>
          <dt>{t('ui.redact.derivedFrom')}</dt>
          <dd data-testid="redacted-from">
            <code className="hash small">{redaction.originalSha256}</code>
          </dd>
        </>
      )}
      {item.excluded && (
        <>
          <dt>{t('ui.item.excluded')}</dt>
          <dd>{item.excluded.reason}</dd>
        </>
      )}
    </>
  );
}
