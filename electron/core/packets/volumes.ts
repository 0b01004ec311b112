import type { Recipient } from '../../../shared/recipient.js';

export interface VolumeFile {
  path: string;
  size: number;
}

export interface VolumePlan {
  /** files per volume; volume 1 always starts with the packet's own files (PDF, manifest, checks) */
  volumes: VolumeFile[][];
  /** files larger than a limit on their own: they get a volume to themselves and the user is told */
  oversized: string[];
}

// Local header + central directory record per entry (30 + 46 bytes + name twice + UTF-8 extra field), generous.
const perEntryOverhead = (path: string) => 140 + 2 * Buffer.byteLength(path);

/**
 * Splits the packet into numbered volumes that each stay under the recipient's total attachment limit (first fit,
 * in evidence order, so numbering stays readable). `shared` files (the checks: SHA256SUMS, manifest, README,
 * verify.html) go into every volume so each one can be checked on its own; `core` (the PDF) into the first.
 * Without a limit there is one volume.
 */
export function planVolumes(core: VolumeFile[], evidence: VolumeFile[], limit: Recipient['attachmentLimit'], shared: VolumeFile[] = []): VolumePlan {
  const oversized: string[] = [];
  const perFile = limit?.perFileBytes;
  if (perFile) for (const f of [...shared, ...core, ...evidence]) if (f.size > perFile) oversized.push(f.path);
  const total = limit?.totalBytes;
  if (!total) return { volumes: [[...shared, ...core, ...evidence]], oversized };
  const cost = (f: VolumeFile) => f.size + perEntryOverhead(f.path);
  const sharedCost = shared.reduce((a, f) => a + cost(f), 0);
  const budget = total - 22 - 4096 - sharedCost; // end-of-central-directory plus slack for rounding
  const volumes: VolumeFile[][] = [[...core]];
  const used = [core.reduce((a, f) => a + cost(f), 0)];
  for (const f of core) if (cost(f) > budget && !oversized.includes(f.path)) oversized.push(f.path);
  for (const f of evidence) {
    const c = cost(f);
    if (c > budget && !oversized.includes(f.path)) oversized.push(f.path);
    const slot = used.findIndex((u) => u + c <= budget);
    if (slot >= 0) {
      volumes[slot]!.push(f);
      used[slot]! += c;
    } else {
      volumes.push([f]);
      used.push(c);
    }
  }
  return { volumes: volumes.map((v) => [...shared, ...v]), oversized };
}
