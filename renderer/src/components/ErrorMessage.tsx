import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';

/** Shows a typed error in the user's language; role=alert so screen readers announce it. */
export function ErrorMessage({ error }: { error: ErrorValue | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {t(error.messageKey, error.params)}
    </p>
  );
}
