import { useState } from 'react';
import { BundleExport } from './BundleExport';
import { BundleImport } from './BundleImport';
import { KnownVaults } from './KnownVaults';

/**
 * Handing cases between computers: export one to an encrypted file, import one from such a file, and the vault keys
 * that tell who a bundle comes from.
 */
export function BundlePanel({ onOpenCase }: { onOpenCase: (caseId: string) => void }) {
  const [imports, setImports] = useState(0);
  const [keys, setKeys] = useState(0);
  return (
    <div className="bundle-grid">
      <BundleExport casesVersion={imports} />
      <BundleImport onOpenCase={onOpenCase} onImported={() => setImports((n) => n + 1)} onRecorded={() => setKeys((n) => n + 1)} />
      <KnownVaults version={keys} />
    </div>
  );
}
