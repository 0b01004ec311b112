import i18next, { type i18n } from 'i18next';
import en from './en.json' with { type: 'json' };
import zhCN from './zh-CN.json' with { type: 'json' };

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const resources = { en: { translation: en }, 'zh-CN': { translation: zhCN } } as const;

/** Pick the UI language from a locale string such as LANG=zh_CN.UTF-8 or navigator.language. */
export function languageFromLocale(locale: string | undefined): Language {
  return locale && /^zh/i.test(locale) ? 'zh-CN' : 'en';
}

export function createI18n(lng: Language): i18n {
  const instance = i18next.createInstance();
  void instance.init({ lng, fallbackLng: 'en', resources, interpolation: { escapeValue: false }, initAsync: false, showSupportNotice: false });
  return instance;
}
