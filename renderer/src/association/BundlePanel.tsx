import { useState } from 'react';
import { BundleExport } from './BundleExport';
import { BundleImport } from './BundleImport';

/** Handing cases between computers: export one to an encrypted file, import one from such a file. */
export function BundlePanel({ onOpenCase }: { onOpenCase: (caseId: string) => void }) {
  const [imports, setImports] = useState(0);
  return (
    <div className="bundle-grid">
      <BundleExport casesVersion={imports} />
      <BundleImport onOpenCase={onOpenCase} onImported={() => setImports((n) => n + 1)} />
    </div>
  );
}
