import { randomUUID } from 'node:crypto';
import { RedressError } from '../errors.js';

/**
 * Paths the user picked in a main-process dialog, handed to the renderer as opaque tokens: the renderer can say
 * "that folder again" (to resume a batch) or "that bundle, with another passphrase" without ever naming a path.
 * Forgotten when the vault locks.
 */
export class PickedPaths {
  private readonly paths = new Map<string, string>();

  add(path: string): string {
    for (const [id, p] of this.paths) if (p === path) return id;
    const id = randomUUID();
    this.paths.set(id, path);
    return id;
  }

  get(id: string, field: string): string {
    const path = this.paths.get(id);
    if (!path) throw new RedressError('INVALID_INPUT', { field, reason: 'pick it again' });
    return path;
  }

  clear(): void {
    this.paths.clear();
  }
}
