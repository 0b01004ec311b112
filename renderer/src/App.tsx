import { useEffect, useRef, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { i18n } from 'i18next';
import type { ErrorValue } from '../../shared/errors';
import { call, onEvent, toErrorValue } from './api';
import { ErrorMessage } from './components/ErrorMessage';
import { setUserZone } from './format';
import { initialLanguage, setupI18n } from './i18n';
import { FirstRun } from './screens/FirstRun';
import { Unlock } from './screens/Unlock';
import { Shell } from './screens/Shell';

type Phase = { name: 'loading' } | { name: 'broken'; error: ErrorValue } | { name: 'first-run' } | { name: 'unlock'; reason?: 'user' | 'inactivity' | 'system' } | { name: 'open'; session: number };

export function App() {
  const [i18n, setI18n] = useState<i18n | null>(null);
  useEffect(() => {
    // the user's zone is known before the first time is drawn, so every time is shown on the user's clock
    const zone = call('app.info', {}).then((info) => setUserZone(info.zone), () => undefined);
    void call('prefs.get', {})
      .then((p) => p.language)
      .catch(() => null)
      .then(async (saved) => {
        await zone;
        setI18n(setupI18n(initialLanguage(saved)));
      });
  }, []);
  if (!i18n) return null;
  return (
    <I18nextProvider i18n={i18n}>
      <Root />
    </I18nextProvider>
  );
}

function Root() {
  const { t } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });
  const session = useRef(0);

  useEffect(() => {
    void call('vault.status', {}).then(
      (s) => setPhase(s.unlocked ? { name: 'open', session: ++session.current } : s.exists ? { name: 'unlock' } : { name: 'first-run' }),
      // A core that could not start (a broken installation) says why instead of loading forever.
      (err: unknown) => setPhase({ name: 'broken', error: toErrorValue(err) }),
    );
    // Locking unmounts everything that held decrypted data: the open phase's whole tree goes away.
    return onEvent('vault.locked', ({ reason }) => setPhase({ name: 'unlock', reason }));
  }, []);

  useActivityReporting(phase.name === 'open');

  const opened = () => setPhase({ name: 'open', session: ++session.current });
  return (
    <>
      <a className="skip" href="#main">
        {t('ui.app.skip')}
      </a>
      {phase.name === 'loading' && <p className="loading">{t('ui.app.loading')}</p>}
      {phase.name === 'broken' && (
        <main id="main" className="broken">
          <ErrorMessage error={phase.error} />
        </main>
      )}
      {phase.name === 'first-run' && <FirstRun onDone={opened} />}
      {phase.name === 'unlock' && <Unlock reason={phase.reason} onUnlocked={opened} />}
      {phase.name === 'open' && <Shell key={phase.session} onLock={() => void call('vault.lock', {})} />}
    </>
  );
}

/** Tells the main process the user is active (at most every 20 s), so auto-lock counts from the last input. */
function useActivityReporting(active: boolean) {
  useEffect(() => {
    if (!active) return;
    let last = 0;
    const report = () => {
      const now = Date.now();
      if (now - last < 20_000) return;
      last = now;
      void call('app.activity', {}).catch(() => undefined);
    };
    const events = ['keydown', 'pointerdown', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, report, { passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, report);
    };
  }, [active]);
}
