import { useState } from 'react';
import { ImportPanel } from './ImportPanel';
import { RecordsPanel } from './RecordsPanel';

/** The "messages and transactions" section of a case: import with a preview, then mark the records that matter. */
export function RecordsTab({ caseId, onImported }: { caseId: string; onImported: () => void }) {
  const [version, setVersion] = useState(0);
  return (
    <>
      <ImportPanel
        caseId={caseId}
        onImported={() => {
          setVersion((v) => v + 1);
          onImported();
        }}
      />
      <RecordsPanel caseId={caseId} version={version} />
    </>
  );
}
