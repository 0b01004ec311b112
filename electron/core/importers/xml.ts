import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { RedressError } from '../errors.js';
import { LIMITS, limitExceeded } from './limits.js';
import { streamChunks } from './source.js';
import { SurrogateRefJoiner } from './surrogate-refs.js';
import type { FormatId, ParseContext } from './types.js';
import { XmlGuard, type Binary, type XmlCaps } from './xml-guard.js';

export interface XmlHandlers {
  /** `binary` gives the bytes of an attribute the caps name as binary (XmlCaps.binary), from its placeholder */
  open?(tag: SaxesTagPlain, binary: (value: string) => Binary | null): void;
  close?(tag: SaxesTagPlain): void;
  text?(text: string): void;
  /** async work queued by the handlers (storing attachments), run between chunks so it never piles up */
  drain?(): Promise<void>;
}

export interface XmlStreamResult {
  /** set when the file ended early or broke off: what came before was read */
  error?: { detail: string; line: number; column: number };
  loneSurrogates: number;
  /** bytes that are not UTF-8 were read as U+FFFD: the text is not what the file holds, so callers must say so */
  invalidUtf8: boolean;
}

/**
 * Streams an XML file through saxes. saxes never fetches or expands external entities and rejects undeclared
 * ones; a DOCTYPE that declares entities (billion laughs, XXE) is refused outright. Handler errors that are
 * RedressErrors (cancel, refusal) propagate; a well-formedness error ends the stream and is returned, so the
 * caller can keep what it read and mark the import partial.
 * What saxes sees is bounded first (XmlGuard): values and text runs over their caps arrive cut and marked, and
 * markup over LIMITS.xmlMarkup or elements nested deeper than LIMITS.xmlDepth refuse the file (IMPORT_LIMIT).
 */
export async function streamXml(ctx: ParseContext, format: FormatId, handlers: XmlHandlers, caps: XmlCaps = {}): Promise<XmlStreamResult> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const joiner = new SurrogateRefJoiner();
  const guard = new XmlGuard(ctx.path, caps);
  const binary = (value: string) => guard.take(value);
  let depth = 0;
  const decoder = new TextDecoder('utf-8');
  // A second, strict decoder only notices bad bytes; the lenient one keeps the rest of the file readable.
  const strict = new TextDecoder('utf-8', { fatal: true });
  let invalidUtf8 = false;
  const check = (chunk?: Buffer) => {
    if (invalidUtf8) return;
    try {
      if (chunk) strict.decode(chunk, { stream: true });
      else strict.decode();
    } catch {
      invalidUtf8 = true;
    }
  };
  let failed: XmlStreamResult['error'];
  let sawRoot = false;
  parser.on('doctype', (doctype) => {
    if (/<!ENTITY|SYSTEM|PUBLIC/i.test(doctype)) throw new RedressError('IMPORT_UNSAFE', { file: ctx.path, reason: 'the XML declares entities or external files (DOCTYPE)' });
  });
  parser.on('opentag', (tag) => {
    sawRoot = true;
    if (++depth > LIMITS.xmlDepth) throw limitExceeded(ctx.path, 'xmlDepth', `line ${parser.line}`);
    handlers.open?.(tag as SaxesTagPlain, binary);
  });
  parser.on('closetag', (tag) => {
    depth--;
    handlers.close?.(tag as SaxesTagPlain);
  });
  if (handlers.text) parser.on('text', (t) => handlers.text!(t));
  const feed = (text: string) => {
    if (failed || !text) return;
    try {
      parser.write(text);
      guard.settle();
    } catch (err) {
      if (err instanceof RedressError) throw err;
      failed = { detail: (err as Error).message.replace(/^.*?:\d+:\d+: /, '').slice(0, 200), line: parser.line, column: parser.column };
    }
  };
  await streamChunks(ctx, async (chunk) => {
    check(chunk);
    feed(guard.push(joiner.push(decoder.decode(chunk, { stream: true }))));
    await handlers.drain?.();
    return !failed;
  });
  if (!failed) {
    check();
    feed(guard.push(joiner.push(decoder.decode())));
    feed(guard.push(joiner.flush()));
    feed(guard.flush());
  }
  if (!failed) {
    try {
      parser.close();
    } catch (err) {
      if (err instanceof RedressError) throw err;
      failed = { detail: (err as Error).message.replace(/^.*?:\d+:\d+: /, '').slice(0, 200), line: parser.line, column: parser.column };
    }
  }
  await handlers.drain?.();
  if (!sawRoot && failed) {
    throw new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format, detail: failed.detail, locator: `line ${failed.line}` });
  }
  return { ...(failed ? { error: failed } : {}), loneSurrogates: joiner.loneSurrogates, invalidUtf8 };
}
