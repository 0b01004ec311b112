import { useState } from 'react';
import { ImportPanel } from './ImportPanel';
import { RecordsPanel } from './RecordsPanel';

/** The "messages and transactions" section of a case: import with a preview, then mark the records that matter. */
export function RecordsTab(props: { caseId: string; onImported: () => void; pickNow?: boolean; onPickStarted?: () => void }) {
  const { caseId, onImported, pickNow = false, onPickStarted } = props;
  const [version, setVersion] = useState(0);
  return (
    <>
      <ImportPanel
        caseId={caseId}
        pickNow={pickNow}
        {...(onPickStarted ? { onPickStarted } : {})}
        onImported={() => {
          setVersion((v) => v + 1);
          onImported();
        }}
      />
      <RecordsPanel caseId={caseId} version={version} />
    </>
  );
}
