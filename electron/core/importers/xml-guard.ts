import { CUT_MARK, LIMITS, limitExceeded } from './limits.js';

/** Caps a format puts on what saxes may see, in characters of XML as written (entities count as written). */
export interface XmlCaps {
  /** by attribute name; LIMITS.xmlValue for any other attribute */
  attributes?: Record<string, number>;
  /** character data and CDATA runs; LIMITS.xmlValue by default */
  text?: number;
  /**
   * Attributes holding base64 (MMS attachments), with the most bytes one may decode to. The guard decodes them as
   * they stream, into Buffers, and saxes sees only a placeholder that XmlGuard.take turns back into the bytes: an
   * attachment never exists as a string of four thirds its size inside the parser (which cost about four times that).
   */
  binary?: Record<string, number>;
}

/** What XmlGuard.take gives for a binary attribute: its bytes, or that it was larger than its cap (and dropped). */
export type Binary = Buffer | 'too-large';

const PLACEHOLDER = /^#redress-binary-(\d+)$/;

class Base64Sink {
  private readonly parts: Buffer[] = [];
  private carry = '';
  bytes = 0;
  tooLarge = false;
  constructor(private readonly cap: number) {}

  push(piece: string): void {
    if (this.tooLarge) return;
    let text = this.carry + piece;
    // an entity reference (a line break written as &#10;) cut at the piece's end waits for the rest
    const amp = text.lastIndexOf('&');
    let held = '';
    if (amp !== -1 && text.indexOf(';', amp) === -1) {
      held = text.slice(amp);
      text = text.slice(0, amp);
    }
    const clean = text.replace(/&#?[0-9A-Za-z]*;|[^A-Za-z0-9+/=_-]/g, '');
    const whole = clean.length - (clean.length % 4);
    this.carry = clean.slice(whole) + held;
    if (whole) this.add(Buffer.from(clean.slice(0, whole), 'base64'));
  }

  end(): Binary {
    if (!this.tooLarge && this.carry) this.add(Buffer.from(this.carry.replace(/&.*$/, ''), 'base64'));
    return this.tooLarge ? 'too-large' : Buffer.concat(this.parts, this.bytes);
  }

  private add(b: Buffer): void {
    this.bytes += b.length;
    if (this.bytes > this.cap) {
      this.tooLarge = true;
      this.parts.length = 0;
    } else this.parts.push(b);
  }
}

type State = 'text' | 'tag' | 'value' | 'comment' | 'cdata' | 'pi' | 'decl';

/**
 * What one push passes on: runs of its input kept as they are, and what the guard puts in (cut marks, placeholders).
 * Adjacent runs join, so a chunk with nothing to change comes out as one slice of itself rather than a piece per
 * value and per tag joined again: the guard sees every character of a backup of 100k messages.
 */
class Output {
  private readonly parts: string[] = [];
  private from = -1;
  private to = -1;
  constructor(private readonly s: string) {}

  keep(from: number, to: number): void {
    if (from >= to) return;
    if (from === this.to) this.to = to;
    else {
      this.endRun();
      this.from = from;
      this.to = to;
    }
  }

  add(text: string): void {
    this.endRun();
    this.parts.push(text);
  }

  text(): string {
    if (!this.parts.length) return this.to > this.from ? this.s.slice(this.from, this.to) : '';
    this.endRun();
    return this.parts.join('');
  }

  private endRun(): void {
    if (this.to > this.from) this.parts.push(this.s.slice(this.from, this.to));
    this.from = this.to = -1;
  }
}

/** what separates attribute names (and the tag's name) inside a tag */
const isSeparator = (c: number) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0x3d /* = */ || c === 0x2f; /* / */

const TERMINATOR: Partial<Record<State, string>> = { comment: '-->', cdata: ']]>', pi: '?>' };
/** longest entity reference kept whole when a value is cut next to one ("&#x1F60E;" and then some) */
const MAX_ENTITY = 16;

/**
 * Sits between the decoder and saxes and bounds what the parser (and so the importer) ever holds. saxes builds a
 * whole attribute value, text run or comment in memory before it reports it, so a 400 MiB body attribute cost
 * 400 MiB and more several times over. Here, text is passed on as it streams:
 *  - an attribute value or text run longer than its cap is passed on up to the cap, never inside an entity
 *    reference or a surrogate pair, followed by CUT_MARK; the rest is read and dropped. The importer sees a value
 *    ending with CUT_MARK (limits.ts wasCut) and says so in a warning; the original file keeps it whole.
 *  - a tag without its values, a comment, a processing instruction or a DOCTYPE longer than LIMITS.xmlMarkup
 *    refuses the file (IMPORT_LIMIT): no real export writes one, and none of them is evidence.
 * Dropped text may hold newlines, so line numbers saxes reports after a cut are too small by those.
 */
export class XmlGuard {
  private state: State = 'text';
  /** characters of the current value or text run passed on, or of the current markup */
  private run = 0;
  private cutting = false;
  /** past the cap, characters still allowed to finish an entity reference begun before it */
  private finishing = 0;
  /** the output of the current value or text run ends inside an entity reference ("&am") */
  private openEntity = false;
  private quote = '';
  /** the attribute name being read, the last complete one, the one whose value is being read */
  private name = '';
  private lastName = '';
  private valueCap = 0;
  /** characters of the current tag outside its values, and what its values may still hold in all */
  private markup = 0;
  private tagBudget = 0;
  private bracketDepth = 0;
  private declQuote = '';
  /** text held back at a chunk's end: a "<" not yet classified, or a terminator's first characters */
  private held = '';
  private lines = 1;

  /** the values of one tag together: its largest cap and a few ordinary values */
  private readonly tagValues: number;
  /** the smallest cap of any attribute: a value no longer is passed on whole whatever its name */
  private readonly plainCap: number;
  /** the binary attribute being read, the decoded ones not yet taken, and the first one of the open tag */
  private sink: Base64Sink | null = null;
  private readonly binaries = new Map<number, Binary>();
  private nextBinary = 0;
  private tagFirstBinary = 0;

  /** the caps by the names the file gives: Maps, so that an attribute named "constructor" finds no cap of Object's */
  private readonly attributeCaps: Map<string, number>;
  private readonly binaryCaps: Map<string, number>;

  constructor(
    private readonly file: string,
    private readonly caps: XmlCaps = {},
  ) {
    this.attributeCaps = new Map(Object.entries(caps.attributes ?? {}));
    this.binaryCaps = new Map(Object.entries(caps.binary ?? {}));
    this.plainCap = Math.min(LIMITS.xmlValue, ...this.attributeCaps.values());
    this.tagValues = Math.max(LIMITS.xmlValue, ...Object.values(caps.attributes ?? {})) + 4 * LIMITS.xmlValue;
  }

  push(chunk: string): string {
    const s = this.held + chunk;
    this.held = '';
    const out = new Output(s);
    let i = 0;
    try {
      while (i < s.length) i = this.step(s, i, out);
    } finally {
      this.countLines(s, i);
    }
    return out.text();
  }

  /** The bytes behind a binary attribute's placeholder (once), or null when the value is not a placeholder. */
  take(value: string): Binary | null {
    const m = PLACEHOLDER.exec(value);
    if (!m) return null;
    const id = Number(m[1]);
    const b = this.binaries.get(id) ?? null;
    this.binaries.delete(id);
    return b;
  }

  /**
   * Called once saxes has parsed everything pushed so far: every tag but the open one has been reported, so their
   * binaries that nobody took are dropped (an attribute the importer does not read, on an element it ignores).
   */
  settle(): void {
    const keepFrom = this.state === 'tag' || this.state === 'value' ? this.tagFirstBinary : this.nextBinary;
    for (const id of this.binaries.keys()) if (id < keepFrom) this.binaries.delete(id);
  }

  /** What is still held back at the end of the input (an unfinished "<…" or terminator). */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }

  private countLines(s: string, end: number): void {
    for (let k = s.indexOf('\n'); k !== -1 && k < end; k = s.indexOf('\n', k + 1)) this.lines++;
  }

  private refuse(s: string, at: number): never {
    this.countLines(s, at);
    throw limitExceeded(this.file, 'xmlMarkup', `line ${this.lines}`);
  }

  private step(s: string, i: number, out: Output): number {
    switch (this.state) {
      case 'text': {
        const lt = s.indexOf('<', i);
        const end = lt === -1 ? s.length : lt;
        this.pass(s, i, end, this.caps.text ?? LIMITS.xmlValue, out, true, lt !== -1);
        if (lt === -1) return s.length;
        // "<!--", "<![CDATA[", "<!DOCTYPE", "<?" or a tag: a cut chunk may not show which yet
        const head = s.slice(lt, lt + 9);
        if (head.length < 9 && (head === '<' || ('<![CDATA['.startsWith(head) && head.length > 1) || ('<!--'.startsWith(head) && head.length > 1))) {
          this.held = s.slice(lt);
          return s.length;
        }
        this.endRun(out);
        const opener = head.startsWith('<!--') ? '<!--' : head.startsWith('<![CDATA[') ? '<![CDATA[' : head.startsWith('<!') ? '<!' : head.startsWith('<?') ? '<?' : '<';
        this.state = opener === '<!--' ? 'comment' : opener === '<![CDATA[' ? 'cdata' : opener === '<!' ? 'decl' : opener === '<?' ? 'pi' : 'tag';
        this.run = this.state === 'cdata' ? 0 : opener.length;
        this.markup = opener.length;
        this.tagBudget = this.tagValues;
        this.tagFirstBinary = this.nextBinary;
        this.name = '';
        this.lastName = '';
        this.bracketDepth = 0;
        this.declQuote = '';
        out.keep(lt, lt + opener.length);
        return lt + opener.length;
      }
      case 'value': {
        const q = s.indexOf(this.quote, i);
        const end = q === -1 ? s.length : q;
        if (this.sink) {
          this.sink.push(s.slice(i, end));
          if (q === -1) return s.length;
          const id = this.nextBinary++;
          this.binaries.set(id, this.sink.end());
          this.sink = null;
          out.add(`#redress-binary-${id}`);
          out.keep(q, q + 1);
          this.state = 'tag';
          return q + 1;
        }
        this.pass(s, i, end, this.valueCap, out, true, q !== -1);
        if (q === -1) return s.length;
        this.tagBudget -= this.run;
        this.endRun(out);
        out.keep(q, q + 1);
        this.state = 'tag';
        return q + 1;
      }
      case 'tag': {
        // to the tag's end or a value's opening quote (a loop: a regex's exec cost more than the names it skips).
        // A value too short to reach any cap, of an attribute that is not binary, is passed on in the same loop: no
        // name is read and no state changes for it (the 17 attributes of each of 100k messages otherwise went
        // through the value state one by one). What it passes on is what the value state would.
        let from = i;
        let k = i;
        for (;;) {
          for (let c = s.charCodeAt(k); k < s.length && c !== 0x3e && c !== 0x22 && c !== 0x27; c = s.charCodeAt(++k));
          if (this.markup + (k - from) > LIMITS.xmlMarkup) this.refuse(s, from + LIMITS.xmlMarkup - this.markup);
          this.markup += k - from;
          if (k === s.length || s.charCodeAt(k) === 0x3e || this.name || this.lastName) break;
          const close = s.indexOf(s[k]!, k + 1);
          const length = close - k - 1;
          if (close === -1 || length > this.plainCap || length > this.tagBudget || this.isBinary(s, from, k)) break;
          this.tagBudget -= length;
          from = k = close + 1;
        }
        this.readNames(s, from, k);
        out.keep(i, Math.min(k + 1, s.length));
        if (k === s.length) return k;
        if (s[k] === '>') {
          this.state = 'text';
          this.run = 0;
        } else {
          this.quote = s[k]!;
          const attr = this.name || this.lastName;
          this.name = '';
          this.lastName = '';
          // a tag with thousands of attributes must not add up to what one long value may not be
          this.valueCap = Math.min(this.attributeCaps.get(attr) ?? LIMITS.xmlValue, this.tagBudget);
          const binaryCap = this.binaryCaps.get(attr);
          if (binaryCap !== undefined) this.sink = new Base64Sink(binaryCap);
          this.state = 'value';
          this.run = 0;
        }
        return k + 1;
      }
      case 'decl': {
        let k = i;
        for (; k < s.length; k++) {
          const c = s[k]!;
          if (++this.run > LIMITS.xmlMarkup) this.refuse(s, k);
          if (this.declQuote) {
            if (c === this.declQuote) this.declQuote = '';
          } else if (c === '"' || c === "'") this.declQuote = c;
          else if (c === '[') this.bracketDepth++;
          else if (c === ']') this.bracketDepth--;
          else if (c === '>' && this.bracketDepth <= 0) break;
        }
        out.keep(i, Math.min(k + 1, s.length));
        if (k === s.length) return k;
        this.state = 'text';
        this.run = 0;
        return k + 1;
      }
      default: {
        // comment, CDATA, processing instruction: up to a terminator
        const term = TERMINATOR[this.state]!;
        const t = s.indexOf(term, i);
        let end = t === -1 ? s.length : t;
        if (t === -1) {
          // the terminator may start in this chunk and end in the next
          end = Math.max(i, s.length - (term.length - 1));
          this.held = s.slice(end);
        }
        if (this.state === 'cdata') this.pass(s, i, end, this.caps.text ?? LIMITS.xmlValue, out, false, t !== -1);
        else {
          this.run += end - i;
          if (this.run > LIMITS.xmlMarkup) this.refuse(s, end);
          out.keep(i, end);
        }
        if (t === -1) return s.length;
        if (this.state === 'cdata') this.endRun(out);
        out.keep(t, t + term.length);
        this.state = 'text';
        this.run = 0;
        return t + term.length;
      }
    }
  }

  /** Whether the last name in s[from, to) of a tag (complete: no name goes on from an earlier chunk) is a binary attribute's. */
  private isBinary(s: string, from: number, to: number): boolean {
    if (!this.binaryCaps.size) return false;
    let j = to - 1;
    while (j >= from && isSeparator(s.charCodeAt(j))) j--;
    const end = j + 1;
    while (j >= from && !isSeparator(s.charCodeAt(j))) j--;
    for (const name of this.binaryCaps.keys()) if (end - (j + 1) === name.length && s.startsWith(name, j + 1)) return true;
    return false;
  }

  /**
   * Follows the names in s[from, to) of a tag, which holds no quote and no ">": `name` is the one being read (it may
   * go on in the next chunk), `lastName` the last one complete. A value's cap is looked up by the name before it.
   */
  private readNames(s: string, from: number, to: number): void {
    let j = to - 1;
    while (j >= from && !isSeparator(s.charCodeAt(j))) j--;
    const trailing = s.slice(j + 1, to);
    if (j < from) {
      this.name += trailing;
      return;
    }
    while (j >= from && isSeparator(s.charCodeAt(j))) j--;
    if (j >= from) {
      const end = j + 1;
      while (j >= from && !isSeparator(s.charCodeAt(j))) j--;
      this.lastName = j < from ? this.name + s.slice(from, end) : s.slice(j + 1, end);
    } else if (this.name) this.lastName = this.name;
    this.name = trailing;
  }

  /** Passes s[from, to) of the current value or text run on, up to `cap` characters in all; drops the rest. `ends`: the run ends with this piece. */
  private pass(s: string, from: number, to: number, cap: number, out: Output, entities: boolean, ends: boolean): void {
    if (this.cutting || from >= to) return;
    if (this.finishing > 0) {
      // past the cap, finishing an entity reference that began before it (in an earlier piece)
      const semi = s.indexOf(';', from);
      const end = semi !== -1 && semi < to ? semi + 1 : to;
      out.keep(from, end);
      this.finishing -= end - from;
      if (end < to || (semi !== -1 && semi < to) || this.finishing <= 0) {
        this.finishing = 0;
        this.cutting = true;
      }
      return;
    }
    const room = cap - this.run;
    if (to - from <= room) {
      out.keep(from, to);
      this.run += to - from;
      // whether it ends inside a reference matters only to a later piece of the same run
      if (entities && !ends) this.trackEntity(s, from, to);
      return;
    }
    let keep = from + Math.max(0, room);
    if (entities) {
      // would the output end inside an entity reference ("&am")?
      let inside = this.openEntity;
      let amp = -1;
      for (let k = keep - 1; k >= from; k--) {
        const c = s.charCodeAt(k);
        if (c === 0x3b) {
          inside = false;
          break;
        }
        if (c === 0x26) {
          inside = true;
          amp = k;
          break;
        }
      }
      if (inside) {
        // finish the reference (it is short), also when it ends in a later piece, so that any chunking cuts alike
        const semi = s.indexOf(';', keep);
        if (semi !== -1 && semi < to) {
          if (semi < keep + MAX_ENTITY) keep = semi + 1;
          else if (amp !== -1) keep = amp; // not a reference: leave it out
        } else if (amp === -1 || to - amp < MAX_ENTITY) {
          out.keep(from, to);
          this.run += to - from;
          this.finishing = MAX_ENTITY - (amp === -1 ? 0 : to - amp);
          return;
        } else keep = amp;
      }
    }
    const last = s.charCodeAt(keep - 1);
    if (keep > from && last >= 0xd800 && last <= 0xdbff) keep--;
    out.keep(from, keep);
    this.run += keep - from;
    this.cutting = true;
  }

  /** Whether the output now ends inside an entity reference: only s[from, to) is looked at (never the whole chunk). */
  private trackEntity(s: string, from: number, to: number): void {
    for (let k = to - 1; k >= from; k--) {
      const c = s.charCodeAt(k);
      if (c === 0x3b /* ; */) return void (this.openEntity = false);
      if (c === 0x26 /* & */) return void (this.openEntity = true);
    }
  }

  /** The current value or text run ends: the mark when it was cut. */
  private endRun(out: Output): void {
    if (this.cutting || this.finishing) out.add(CUT_MARK);
    this.cutting = false;
    this.finishing = 0;
    this.openEntity = false;
    this.run = 0;
  }
}
