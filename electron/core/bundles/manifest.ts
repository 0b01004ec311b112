import { RedressError } from '../errors.js';
import { BUNDLE_LIMITS, limitExceeded, type BundleLimit } from './limits.js';

/**
 * Reads a manifest (RFC 8785 JSON, see format.ts) without parsing it whole: a structural scan over its bytes finds
 * where each top-level member and each element of its arrays lies, and enforces the caps (nesting, string sizes,
 * element counts) as it goes, before anything is allocated for the values. Rows are then parsed one at a time from
 * the bytes, as often as needed, so a manifest of 100,000 messages costs its own size in memory, not the several
 * hundred MB its parsed objects would take, and a hostile one is refused at the first cap it breaks.
 *
 * The scan recognises JSON's structure (objects, arrays, strings with their escapes, and the extent of scalars); the
 * exact syntax of every value is checked by JSON.parse when the value itself is parsed, and every value is.
 */
export interface Span {
  start: number;
  end: number;
}

/** The elements of one array, as spans into the manifest's bytes (two u32 per element: a manifest is < 4 GiB). */
export class Elements {
  private spans = new Uint32Array(64);
  private count = 0;
  constructor(
    private readonly bytes: Buffer,
    private readonly file: string,
  ) {}
  push(span: Span): void {
    if (2 * this.count + 2 > this.spans.length) {
      const grown = new Uint32Array(this.spans.length * 2);
      grown.set(this.spans);
      this.spans = grown;
    }
    this.spans[2 * this.count] = span.start;
    this.spans[2 * this.count + 1] = span.end;
    this.count++;
  }
  get length(): number {
    return this.count;
  }
  /**
   * The `length` bytes after the first `needle` within element i, when a quote ends them (as `"id":"<uuid>"` in a
   * row), or undefined. Nothing is parsed: the caller compares with the parsed element.
   */
  stringAfter(i: number, needle: Buffer, length: number): string | undefined {
    const start = this.spans[2 * i]!;
    const end = this.spans[2 * i + 1]!;
    const found = this.bytes.subarray(start, end).indexOf(needle); // a view: the search stays within the element
    const at = start + found + needle.length;
    if (found < 0 || at + length >= end || this.bytes[at + length] !== 0x22) return undefined;
    return this.bytes.toString('latin1', at, at + length);
  }
  /** Parses element i afresh (nothing is kept). */
  parse(i: number): unknown {
    return parseJson(this.bytes, this.spans[2 * i]!, this.spans[2 * i + 1]!, this.file);
  }
}

function parseJson(bytes: Buffer, start: number, end: number, file: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8', start, end));
  } catch (err) {
    throw new RedressError('BUNDLE_INVALID', { file, detail: `the manifest is malformed (${(err as Error).message.slice(0, 80)} at byte ${start})` });
  }
}

export interface ManifestLayout {
  /** every top-level member but the arrays below, parsed (a Map: a member named __proto__ is just a name) */
  scalars: Map<string, unknown>;
  items: Elements;
  custody: Elements;
  /** per table name, its rows */
  tables: Map<string, Elements>;
}

/** Arrays whose elements are kept as spans, with the cap on their length. */
const ARRAYS = new Map<string, 'items' | 'entries'>([
  ['items', 'items'],
  ['custody', 'entries'],
]);
/** Longest string the scan lets through anywhere (a custody body is a JSON text in a string: escaping doubles quotes). */
const MAX_RAW_STRING = 2 * BUNDLE_LIMITS.entryBytes;
/** Longest string the scan lets through outside custody entries: every character escaped as \uXXXX. */
const MAX_RAW_FIELD = 6 * BUNDLE_LIMITS.fieldChars;
const MAX_KEY = 256;

const isWs = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export function scanManifest(bytes: Buffer, file: string): ManifestLayout {
  let pos = 0;
  const invalid = (detail: string) => new RedressError('BUNDLE_INVALID', { file, detail: `the manifest is malformed (${detail} at byte ${pos})` });

  const ws = () => {
    while (isWs(bytes[pos])) pos++;
  };
  const expect = (byte: number, what: string) => {
    ws();
    if (bytes[pos] !== byte) throw invalid(`expected ${what}`);
    pos++;
  };
  /** Past a string starting at pos; its span includes the quotes. */
  const string = (max: number, limit: BundleLimit): Span => {
    const start = pos;
    if (bytes[pos] !== QUOTE) throw invalid('expected a string');
    let i = pos + 1;
    for (;;) {
      const q = bytes.indexOf(QUOTE, i);
      if (q < 0) throw invalid('unterminated string');
      let slashes = 0;
      while (bytes[q - 1 - slashes] === BACKSLASH) slashes++;
      if (q - start > max) throw limitExceeded(file, limit, `a string of the manifest is longer than ${max} bytes (at byte ${start})`);
      if (slashes % 2 === 0) {
        pos = q + 1;
        return { start, end: pos };
      }
      i = q + 1;
    }
  };
  /** A member name: decoded only where the layout needs it (the top level and the tables), skipped elsewhere. */
  const key = (decode: boolean): string => {
    ws();
    const span = string(MAX_KEY, 'fieldChars');
    return decode ? (parseJson(bytes, span.start, span.end, file) as string) : '';
  };
  /** Past any value; nested arrays and objects count toward the depth. */
  const value = (depth: number, inCustody: boolean): Span => {
    ws();
    const start = pos;
    const c = bytes[pos];
    if (c === QUOTE) return string(inCustody ? MAX_RAW_STRING : MAX_RAW_FIELD, inCustody ? 'entryBytes' : 'fieldChars');
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth + 1 > BUNDLE_LIMITS.depth) throw limitExceeded(file, 'depth', `the manifest nests deeper than ${BUNDLE_LIMITS.depth} levels (at byte ${pos})`);
      if (c === 0x7b) object(() => value(depth + 1, inCustody), false);
      else array(() => value(depth + 1, inCustody), Infinity, 'rows');
      return { start, end: pos };
    }
    while (pos < bytes.length) {
      const b = bytes[pos]!;
      if (isWs(b) || b === 0x2c || b === 0x5d || b === 0x7d) break;
      pos++;
    }
    if (pos === start || pos - start > 64) throw invalid('expected a value');
    return { start, end: pos };
  };
  const object = (member: (name: string) => void, names = true) => {
    expect(0x7b, '{');
    ws();
    if (bytes[pos] === 0x7d) {
      pos++;
      return;
    }
    for (;;) {
      const name = key(names);
      expect(0x3a, ':');
      member(name);
      ws();
      if (bytes[pos] === 0x2c) {
        pos++;
        continue;
      }
      expect(0x7d, '}');
      return;
    }
  };
  const array = (element: () => Span | void, max: number, limit: BundleLimit, name = 'an array') => {
    expect(0x5b, '[');
    ws();
    if (bytes[pos] === 0x5d) {
      pos++;
      return;
    }
    for (let n = 1; ; n++) {
      if (n > max) throw limitExceeded(file, limit, `${name} has more than ${max} elements`);
      element();
      ws();
      if (bytes[pos] === 0x2c) {
        pos++;
        continue;
      }
      expect(0x5d, ']');
      return;
    }
  };

  const scalars = new Map<string, unknown>();
  const lists = new Map<string, Elements>();
  const tables = new Map<string, Elements>();
  const seen = new Set<string>();
  object((name) => {
    if (seen.has(name)) throw invalid(`"${name.slice(0, 40)}" appears twice`);
    seen.add(name);
    const limit = ARRAYS.get(name);
    if (limit) {
      const list = new Elements(bytes, file);
      lists.set(name, list);
      ws();
      if (bytes[pos] !== 0x5b) throw invalid(`"${name}" is not an array`);
      const from = pos;
      array(() => list.push(value(2, name === 'custody')), BUNDLE_LIMITS[limit], limit, name);
      if (name === 'custody' && pos - from > BUNDLE_LIMITS.custodyBytes) throw limitExceeded(file, 'custodyBytes', `the custody chain takes ${pos - from} bytes of the manifest`);
    } else if (name === 'tables') {
      ws();
      if (bytes[pos] !== 0x7b) throw invalid('"tables" is not an object');
      object((table) => {
        if (tables.has(table)) throw invalid(`table "${table.slice(0, 40)}" appears twice`);
        const rows = new Elements(bytes, file);
        tables.set(table, rows);
        ws();
        if (bytes[pos] !== 0x5b) throw invalid(`table "${table.slice(0, 40)}" is not an array`);
        array(() => rows.push(value(3, false)), BUNDLE_LIMITS.rows, 'rows', `table ${table.slice(0, 40)}`);
      });
    } else {
      const span = value(1, false);
      scalars.set(name, parseJson(bytes, span.start, span.end, file));
    }
  });
  ws();
  if (pos !== bytes.length) throw invalid('trailing bytes');
  return { scalars, items: lists.get('items') ?? new Elements(bytes, file), custody: lists.get('custody') ?? new Elements(bytes, file), tables };
}
