// RFC 3161 against a real TSA: OpenSSL's `openssl ts -reply` behind a loopback HTTP server (tests/helpers/tsa.ts).
// What the app keeps must be what `openssl ts -verify` accepts; each way a token can be wrong is refused by name.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { postQuery } from '../../electron/core/timestamps/client.js';
import { buildQuery, readToken, replyOfToken, tokenFromReply, TokenError, verifyToken } from '../../electron/core/timestamps/rfc3161.js';
import type { TokenFailure } from '../../shared/timestamps.js';
import { resignToken, startTestTsa, type TestTsa } from '../helpers/tsa.js';

const digest = (s: string) => createHash('sha256').update(s).digest('hex');

async function stamp(tsa: TestTsa, imprint: string): Promise<{ token: Buffer; nonce: string }> {
  const q = buildQuery(imprint);
  const reply = await postQuery(tsa.url, q.der);
  return { token: tokenFromReply(reply), nonce: q.nonce };
}

async function refused(p: Promise<unknown>, failure: TokenFailure): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof TokenError, String(err));
    assert.equal(err.failure, failure, err.message);
    return true;
  });
}

describe('RFC 3161 tokens from a real TSA', () => {
  let tsa: TestTsa;
  before(async () => {
    tsa = await startTestTsa();
  });
  after(() => tsa.close());

  it('a token for a digest verifies here and with openssl ts -verify, as a token and as a reply', async () => {
    const imprint = digest('chain head 1');
    const before = Date.now();
    const { token, nonce } = await stamp(tsa, imprint);
    const ok = await verifyToken({ token, imprint, trustedRoots: [Buffer.from(tsa.rootPem)], nonce });
    assert.equal(ok.info.imprint, imprint);
    assert.ok(Math.abs(new Date(ok.info.genTime).getTime() - before) < 60_000, ok.info.genTime);
    assert.match(ok.info.tsaName, /Test tsa/);
    assert.equal(ok.info.policy, '1.3.6.1.4.1.99999.1.1');
    assert.equal(ok.info.accuracyMs, 1000);
    assert.match(await tsa.opensslVerify({ digestHex: imprint, token }), /Verification: OK/);
    assert.match(await tsa.opensslVerify({ digestHex: imprint, response: replyOfToken(token) }), /Verification: OK/);
    // and OpenSSL refuses it for another digest, as the app does
    await assert.rejects(tsa.opensslVerify({ digestHex: digest('other'), token }));
  });

  it('a token for another imprint: imprint-mismatch', async () => {
    const { token } = await stamp(tsa, digest('a'));
    await refused(verifyToken({ token, imprint: digest('b'), trustedRoots: [Buffer.from(tsa.rootPem)] }), 'imprint-mismatch');
  });

  it('an answer to another request: nonce-mismatch', async () => {
    const imprint = digest('n');
    const { token } = await stamp(tsa, imprint);
    await refused(verifyToken({ token, imprint, trustedRoots: [Buffer.from(tsa.rootPem)], nonce: '0102030405060708' }), 'nonce-mismatch');
  });

  it('a TSA certificate that had expired at genTime: certificate-expired', async () => {
    const imprint = digest('e');
    tsa.useSigner('expired');
    const { token } = await stamp(tsa, imprint);
    await refused(verifyToken({ token, imprint, trustedRoots: [Buffer.from(tsa.rootPem)] }), 'certificate-expired');
  });

  it('a certificate without the timeStamping usage: not-a-tsa-certificate', async () => {
    const imprint = digest('k');
    // OpenSSL will not sign with such a certificate; pkijs will, and the token is otherwise as a TSA makes it
    const { token } = await stamp(tsa, imprint);
    const resigned = await resignToken(tsa, token, 'noeku');
    await refused(verifyToken({ token: resigned, imprint, trustedRoots: [Buffer.from(tsa.rootPem)] }), 'not-a-tsa-certificate');
    await assert.rejects(tsa.opensslVerify({ digestHex: imprint, token: resigned }));
  });

  it('a TSA under a root the verifier does not trust, or no root at all: untrusted', async () => {
    const imprint = digest('u');
    tsa.useSigner('other-root');
    const { token } = await stamp(tsa, imprint);
    await refused(verifyToken({ token, imprint, trustedRoots: [Buffer.from(tsa.rootPem)] }), 'untrusted');
    const good = await stamp(tsa, imprint);
    await refused(verifyToken({ token: good.token, imprint, trustedRoots: [] }), 'untrusted');
  });

  it('a tampered token: genTime moved back a year, a byte flipped anywhere', async () => {
    const imprint = digest('t');
    const { token } = await stamp(tsa, imprint);
    const roots = [Buffer.from(tsa.rootPem)];
    const { info } = readToken(token);
    // genTime is GeneralizedTime inside the signed TSTInfo: move it a year back
    const year = info.genTime.slice(0, 4);
    const at = token.indexOf(Buffer.from(`${year}${info.genTime.slice(5, 7)}`));
    assert.ok(at > 0);
    const backdated = Buffer.from(token);
    backdated.write(String(Number(year) - 1), at, 'latin1');
    await refused(verifyToken({ token: backdated, imprint, trustedRoots: roots }), 'signature-invalid');
    await assert.rejects(tsa.opensslVerify({ digestHex: imprint, token: backdated }));
    let rejected = 0;
    for (let i = 0; i < 40; i++) {
      const flipped = Buffer.from(token);
      const pos = Math.floor((i / 40) * token.length);
      flipped[pos] = flipped[pos]! ^ 0x20;
      const r = await verifyToken({ token: flipped, imprint, trustedRoots: roots }).then(
        () => null,
        (e: unknown) => e,
      );
      if (r !== null) {
        assert.ok(r instanceof TokenError, String(r));
        rejected++;
      }
    }
    // a flip inside an unsigned, unused part (an unsigned certificate field's padding, say) may pass; nearly all fail
    assert.ok(rejected >= 36, `${rejected} of 40 flipped tokens refused`);
  });

  it('a refusal by the TSA, garbage and an oversized answer: rejected or malformed, never a crash', async () => {
    assert.throws(() => tokenFromReply(Buffer.from('<html>error</html>')), (e: unknown) => e instanceof TokenError && e.failure === 'malformed');
    assert.throws(() => tokenFromReply(Buffer.alloc(200_000)), (e: unknown) => e instanceof TokenError && e.failure === 'malformed');
    // PKIStatus rejection (2) with a status string, DER by hand as a TSA sends it
    const rejection = Buffer.from('300d300b020102300606045f626164', 'hex'); // SEQ{ SEQ{ INT 2, SEQ{ UTF8String? } } }
    assert.throws(() => tokenFromReply(rejection), (e: unknown) => e instanceof TokenError && (e.failure === 'rejected' || e.failure === 'malformed'));
  });
});
