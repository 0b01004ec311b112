import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../../../../shared/ipc/contract';
import { formatSize } from '../../format';

type Result = NonNullable<ResponseOf<'packets.status'>['result']>;

/** Where the packet went, its own hash (the SHA-256 of SHA256SUMS, recorded on the custody chain) and its volumes. */
export function PacketResult({ result }: { result: Result }) {
  const { t, i18n } = useTranslation();
  return (
    <div role="status" className="result ok packet-result" data-testid="packet-result">
      <strong>{t('ui.packet.built', { pages: result.pages, files: result.files })}</strong>
      <dl className="facts">
        <dt>{t('ui.packet.folder')}</dt>
        <dd>
          <code className="hash" data-testid="packet-dir">
            {result.dir}
          </code>
        </dd>
        <dt>{result.volumes.length > 1 ? t('ui.packet.volumes', { count: result.volumes.length }) : t('ui.packet.zip')}</dt>
        <dd>
          <ul className="volumes" data-testid="packet-volumes">
            {result.volumes.map((v) => (
              <li key={v.path}>
                <code className="hash">{v.path}</code> · {formatSize(v.bytes, i18n.language)} · {t('ui.packet.volumeFiles', { count: v.files })}
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t('ui.packet.hash')}</dt>
        <dd>
          <code className="hash" data-testid="packet-hash">
            {result.packetSha256}
          </code>
          <div className="hint">{t('ui.packet.hashHint')}</div>
        </dd>
        <dt>{t('ui.packet.keyFingerprint')}</dt>
        <dd>
          <code className="hash" data-testid="packet-key">
            {result.keyFingerprint}
          </code>
          <div className="hint">{t('ui.packet.keyFingerprintHint')}</div>
        </dd>
      </dl>
      {result.oversized.length > 0 && (
        <p className="error">
          {t('ui.packet.oversized')}: {result.oversized.join(', ')}
        </p>
      )}
      {result.locationKept.length > 0 && (
        <p className="error">
          {t('ui.packet.locationKept')}: {result.locationKept.join(', ')}
        </p>
      )}
      <p className="hint">{t('ui.packet.nextSteps')}</p>
    </div>
  );
}
