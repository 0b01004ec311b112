import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../../shared/i18n';
import { call } from '../api';
import { switchLanguage } from '../i18n';

const NAMES: Record<Language, string> = { 'zh-CN': '简体中文', en: 'English' };

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const change = async (lng: Language) => {
    await switchLanguage(lng);
    await call('prefs.set', { language: lng }).catch(() => undefined);
  };
  return (
    <label className="lang">
      <span>{t('ui.app.language')}</span>
      <select value={i18n.language} onChange={(e) => void change(e.target.value as Language)} data-testid="language">
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
