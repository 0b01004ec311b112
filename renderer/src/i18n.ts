import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { languageFromLocale, resources, type Language } from '../../shared/i18n';
import uiEn from './locales/en.json';
import uiZh from './locales/zh-CN.json';
import associationEn from './association/locales/en.json';
import associationZh from './association/locales/zh-CN.json';

/** The shared resources (errors, incident types, statuses) plus the desktop UI's own strings under "ui". */
export function setupI18n(lng: Language) {
  void i18next.use(initReactI18next).init({
    lng,
    fallbackLng: 'en',
    resources: {
      en: { translation: { ...resources.en.translation, ui: { ...uiEn, association: associationEn } } },
      'zh-CN': { translation: { ...resources['zh-CN'].translation, ui: { ...uiZh, association: associationZh } } },
    },
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  document.documentElement.lang = lng;
  return i18next;
}

export function initialLanguage(saved: Language | null): Language {
  return saved ?? languageFromLocale(navigator.language);
}

export async function switchLanguage(lng: Language): Promise<void> {
  await i18next.changeLanguage(lng);
  document.documentElement.lang = lng;
}
