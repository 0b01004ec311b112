/**
 * SMS Backup & Restore writes characters outside the BMP (emoji) as two numeric references, one per UTF-16
 * surrogate (`&#55357;&#56846;`). XML forbids surrogate code points, so strict parsers reject them. This joiner
 * rewrites each valid pair into one reference to the real code point (`&#x1F60E;`) before the parser sees the
 * text, and a lone surrogate into U+FFFD (counted, so the import can say so). It works on a stream of text chunks:
 * a reference or a pair cut by a chunk boundary is held back until the next chunk.
 */
const REF = /&#(?:x([0-9a-fA-F]{1,8})|([0-9]{1,10}));/g;
const PAIR_OR_LONE = /&#(?:x([0-9a-fA-F]{1,8})|([0-9]{1,10}));(?:&#(?:x([0-9a-fA-F]{1,8})|([0-9]{1,10}));)?/g;
/** longer than any reference pair: a tail this long is always held back */
const HOLD = 48;

function refValue(hex: string | undefined, dec: string | undefined): number {
  return hex !== undefined ? parseInt(hex, 16) : parseInt(dec!, 10);
}

const isHigh = (v: number) => v >= 0xd800 && v <= 0xdbff;
const isLow = (v: number) => v >= 0xdc00 && v <= 0xdfff;

export class SurrogateRefJoiner {
  private carry = '';
  loneSurrogates = 0;
  pairsJoined = 0;

  push(chunk: string): string {
    const text = this.carry + chunk;
    let cut = Math.max(0, text.length - HOLD);
    // Never cut inside a reference...
    const amp = text.lastIndexOf('&', cut - 1);
    if (amp >= 0 && cut > 0) {
      const semi = text.indexOf(';', amp);
      if (semi === -1 || semi >= cut) cut = amp;
    }
    // ...nor between the two halves of a pair.
    const before = text.slice(0, cut);
    const last = /&#(?:x([0-9a-fA-F]{1,8})|([0-9]{1,10}));$/.exec(before);
    if (last && isHigh(refValue(last[1], last[2]))) cut = last.index;
    this.carry = text.slice(cut);
    return this.rewrite(text.slice(0, cut));
  }

  flush(): string {
    const rest = this.carry;
    this.carry = '';
    return this.rewrite(rest);
  }

  private rewrite(text: string): string {
    if (!text.includes('&#')) return text;
    return text.replace(PAIR_OR_LONE, (whole, h1: string | undefined, d1: string | undefined, h2: string | undefined, d2: string | undefined) => {
      const first = refValue(h1, d1);
      const hasSecond = h2 !== undefined || d2 !== undefined;
      const second = hasSecond ? refValue(h2, d2) : -1;
      if (isHigh(first) && isLow(second)) {
        this.pairsJoined++;
        const cp = 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00);
        return `&#x${cp.toString(16).toUpperCase()};`;
      }
      const fix = (v: number, ref: string) => (isHigh(v) || isLow(v) ? (this.loneSurrogates++, '&#xFFFD;') : ref);
      const firstRef = whole.slice(0, whole.indexOf(';') + 1);
      if (!hasSecond) return fix(first, firstRef);
      // Two references that are not a pair: fix each on its own.
      return fix(first, firstRef) + whole.slice(firstRef.length).replace(REF, (ref, h: string | undefined, d: string | undefined) => fix(refValue(h, d), ref));
    });
  }
}
