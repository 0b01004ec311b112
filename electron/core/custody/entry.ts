import { hash, randomBytes } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

// The package is CommonJS whose module.exports is the function, but its typings declare an ES default export;
// under NodeNext the default import is module.exports at runtime.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

export const GENESIS_HASH = '0'.repeat(64);

// The entry's shape is defined once, in shared/custody.ts.
export type { CustodyEntry, CustodyEntryBody } from '../../../shared/custody.js';
import type { CustodyEntry, CustodyEntryBody } from '../../../shared/custody.js';

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value cannot be canonicalized');
  return text;
}

/**
 * v1: hash = SHA-256( prev as 64 lowercase hex ASCII characters || RFC 8785 canonical JSON of the body ).
 * v2: the same over committedBody(body), in which the payload is replaced by one salted digest per field.
 * A v2 body whose salts do not name exactly its payload's fields has no valid hash: it can only fail verification.
 */
export function entryHash(body: CustodyEntryBody): string {
  const hashed = body.v === 2 ? committedBody(body) : body;
  if (!hashed || typeof body.prev !== 'string') return INVALID_HASH;
  // prev is 64 hex digits, the same bytes in Latin-1 and UTF-8; one-shot hashing is 3x cheaper per entry
  return hash('sha256', body.prev + canonicalJson(hashed), 'hex');
}

/** never the SHA-256 of anything: what a body that cannot be committed to hashes to */
const INVALID_HASH = 'invalid';
const SALT = /^[A-Za-z0-9_-]{22}$/;

/** The fields of a v2 body that are hashed as they are; the payload and its salts become `digests`. */
export interface CommittedBody extends Omit<CustodyEntryBody, 'payload' | 'salts'> {
  v: 2;
  digests: Record<string, string>;
}

/**
 * What a v2 entry's hash covers: the body without its payload and salts, with `digests` holding, for each payload
 * field, fieldDigest(salt, name, value). A packet carries this for every entry, and a field's salt and value only
 * where that recipient gets the value. Null when the salts do not match the payload's fields one for one.
 */
export function committedBody(body: CustodyEntryBody): CommittedBody | null {
  const { payload, salts, ...rest } = body;
  if (body.v !== 2 || !salts) return null;
  // a field left undefined is not stored (canonical JSON drops it), so it has no digest either
  const names = Object.keys(payload).filter((name) => payload[name] !== undefined);
  if (names.length !== Object.keys(salts).length) return null;
  const digests: Record<string, string> = {};
  for (const name of names) {
    const salt = salts[name];
    if (typeof salt !== 'string' || !SALT.test(salt)) return null;
    digests[name] = fieldDigest(salt, name, payload[name]);
  }
  return { ...rest, v: 2, digests };
}

/**
 * One field's digest, as SD-JWT makes its disclosures: SHA-256 (hex) of the RFC 8785 JSON array [salt, name, value].
 * With standard tools: printf '%s' '["<salt>","<name>",<value as canonical JSON>]' | sha256sum
 */
export function fieldDigest(salt: string, name: string, value: unknown): string {
  // a string, number, boolean or null serialises the same under RFC 8785 and JSON.stringify (RFC 8785 adopts ES
  // serialisation for them), and most fields are one: only objects and arrays need the canonical form's sorted keys
  const v = value ?? null;
  const text = typeof v === 'object' && v !== null ? canonicalJson([salt, name, v]) : JSON.stringify([salt, name, v]);
  return hash('sha256', text, 'hex');
}

/** A fresh salt for each field of a payload. */
export function newSalts(payload: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(payload)
      .filter((name) => payload[name] !== undefined)
      .map((name) => [name, randomBytes(16).toString('base64url')]),
  );
}

export function bodyOf(entry: CustodyEntry): CustodyEntryBody {
  const { hash: _hash, ...body } = entry;
  return body;
}
