import type { ReadableVault } from '../vault/reader.js';

/** A stored original decrypted into memory (images and small files only: large files are streamed to disk). */
export async function readItem(vault: ReadableVault, itemId: string, limit = Infinity): Promise<Buffer> {
  if (limit === Infinity) return vault.items.readAll(itemId);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of vault.items.read(itemId)) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) break;
  }
  return Buffer.concat(chunks);
}
