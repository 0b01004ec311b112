import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { CaseList } from './CaseList';
import { GuidedStart } from './GuidedStart';
import { ProfileForm } from './ProfileForm';
import { AutoLockSetting } from './AutoLockSetting';
import { SettingsPassphrase } from './SettingsPassphrase';
import { VaultNotice } from './VaultNotice';
import { CaseWorkspace } from '../workspace/CaseWorkspace';
import { AssociationView } from '../association/AssociationView';

export type Route = { name: 'cases' } | { name: 'guided' } | { name: 'case'; caseId: string; tab?: string } | { name: 'profile' } | { name: 'association' };

/** The unlocked app. It is remounted for every unlock, so nothing decrypted survives a lock. */
export function Shell({ onLock }: { onLock: () => void }) {
  const { t } = useTranslation();
  const [route, setRoute] = useState<Route>({ name: 'cases' });
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Redress</span>
        <nav aria-label={t('ui.app.nav')}>
          <button type="button" className={route.name === 'cases' || route.name === 'case' ? 'nav active' : 'nav'} aria-current={route.name === 'cases' ? 'page' : undefined} onClick={() => setRoute({ name: 'cases' })}>
            {t('ui.nav.cases')}
          </button>
          <button type="button" className={route.name === 'guided' ? 'nav active' : 'nav'} aria-current={route.name === 'guided' ? 'page' : undefined} onClick={() => setRoute({ name: 'guided' })}>
            {t('ui.nav.newCase')}
          </button>
          <button type="button" className={route.name === 'profile' ? 'nav active' : 'nav'} aria-current={route.name === 'profile' ? 'page' : undefined} onClick={() => setRoute({ name: 'profile' })}>
            {t('ui.nav.profile')}
          </button>
          <button type="button" className={route.name === 'association' ? 'nav active' : 'nav'} aria-current={route.name === 'association' ? 'page' : undefined} onClick={() => setRoute({ name: 'association' })}>
            {t('ui.association.nav')}
          </button>
        </nav>
        <div className="topbar-end">
          <LanguageSwitch />
          <button type="button" className="lock" onClick={onLock}>
            {t('ui.app.lock')}
          </button>
        </div>
      </header>
      <main id="main" className="content">
        <VaultNotice />
        <ErrorBoundary key={JSON.stringify(route)} message={t('ui.app.crashed')} retry={t('ui.app.retry')}>
        {route.name === 'cases' && <CaseList onOpen={(caseId) => setRoute({ name: 'case', caseId })} onNew={() => setRoute({ name: 'guided' })} />}
        {route.name === 'guided' && <GuidedStart onCreated={(caseId) => setRoute({ name: 'case', caseId, tab: 'checklist' })} onCancel={() => setRoute({ name: 'cases' })} />}
        {route.name === 'case' && <CaseWorkspace caseId={route.caseId} initialTab={route.tab} onBack={() => setRoute({ name: 'cases' })} />}
        {route.name === 'association' && <AssociationView onOpenCase={(caseId) => setRoute({ name: 'case', caseId })} />}
        {route.name === 'profile' && (
          <section className="card narrow" aria-labelledby="profile-title">
            <h1 id="profile-title">{t('ui.profile.title')}</h1>
            <p>{t('ui.profile.intro')}</p>
            <ProfileForm />
            <AutoLockSetting />
            <SettingsPassphrase />
          </section>
        )}
        </ErrorBoundary>
      </main>
    </div>
  );
}
