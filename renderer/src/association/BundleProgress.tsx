import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { formatSize } from '../format';

type Job = ResponseOf<'bundle.status'>;

/** The running phase of a bundle export or import, with a progress bar over the bytes of that phase. */
export function BundleProgress({ job, id }: { job: Job; id: string }) {
  const { t, i18n } = useTranslation();
  if (job.state !== 'running') return null;
  const phase = job.phase ?? (job.kind === 'export' ? 'export' : 'verify');
  return (
    <div className="progress">
      <label htmlFor={id}>
        {t(`ui.association.bundle.phase.${phase}`)} {job.total > 0 && `${formatSize(job.done, i18n.language)} / ${formatSize(job.total, i18n.language)}`}
      </label>
      <progress id={id} max={Math.max(job.total, 1)} value={job.done} />
    </div>
  );
}
