// Trusted timestamps on a real vault: the case's chain head goes to a real TSA (openssl ts -reply on loopback), the
// token is recorded on the chain, and what the vault keeps is what `openssl ts -verify` accepts. Offline, the request
// waits in the queue or travels as a .tsq; a .tsr brought back must answer that request.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { postQuery, TsaUnreachable } from '../../electron/core/timestamps/client.js';
import { TimestampSettingsStore } from '../../electron/core/timestamps/settings.js';
import { exportQuery, importReply, listTimestamps, retryQueued, stampCaseHead } from '../../electron/core/timestamps/stamp.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { RedressError } from '../../electron/core/errors.js';
import { startTestTsa, type TestTsa } from '../helpers/tsa.js';
import { newVault, openVault, tempDir } from '../helpers/vault.js';

describe('trusted timestamps on a vault', () => {
  let tsa: TestTsa;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let vault: Vault;
  let caseId: string;
  before(async () => {
    tsa = await startTestTsa();
  });
  after(() => tsa.close());
  beforeEach(async () => {
    dir = await tempDir();
    vault = (await newVault(dir.path)).vault;
    caseId = vault.cases.create({ title: 'Fake customer service', incidentType: 'phishing' }).id;
    await vault.items.addBuffer(caseId, Buffer.from('transfer receipt'), { name: 'receipt.txt' });
    const store = new TimestampSettingsStore(vault.context.db);
    store.addCustom({ id: 'test-tsa', name: 'Test TSA', url: tsa.url, rootPem: tsa.rootPem });
    store.set({ enabled: true, tsaId: 'test-tsa' });
  });
  afterEach(async () => {
    await vault.close().catch(() => undefined);
    await dir.cleanup();
  });

  const head = () => vault.log(caseId).at(-1)!;

  it('stamps the chain head: the token is on the chain, openssl accepts it and verify stays ok', async () => {
    const stamped = head();
    const out = await stampCaseHead(vault.context, caseId);
    assert.equal(out.status, 'stamped');
    const entry = head();
    assert.equal(entry.action, 'timestamp.recorded');
    assert.equal(entry.seq, stamped.seq + 1);
    const p = entry.payload as Record<string, unknown>;
    assert.equal(p.imprint, stamped.hash);
    assert.equal(p.seq, stamped.seq);
    assert.equal(p.tsaId, 'test-tsa');
    assert.match(String(p.tsaName), /Test tsa/);
    assert.ok(Math.abs(Number(p.skewMs)) < 60_000, `skew ${String(p.skewMs)}`);
    const token = Buffer.from(String(p.token), 'base64');
    const openssl = await tsa.opensslVerify({ digestHex: stamped.hash, token });
    assert.match(openssl, /Verification: OK/);
    assert.deepEqual(
      listTimestamps(vault.context, caseId).map((r) => [r.seq, r.imprint]),
      [[stamped.seq, stamped.hash]],
    );
    // nothing new: the head is the timestamp itself, and no request goes out
    const before = tsa.requests;
    assert.equal((await stampCaseHead(vault.context, caseId)).status, 'current');
    assert.equal(tsa.requests, before);
    const report = await vault.verify(caseId);
    assert.equal(report.ok, true, JSON.stringify(report.cases[0]?.problems));
    await vault.close();
    const reopened = await openVault(dir.path);
    vault = reopened;
    assert.equal((await reopened.verify(caseId)).ok, true);
  });

  it('a token from a TSA the user chose with a root is refused when another root signed it, and nothing is recorded', async () => {
    const seq = head().seq;
    tsa.useSigner('other-root');
    await assert.rejects(stampCaseHead(vault.context, caseId), (err: unknown) => {
      assert.ok(err instanceof RedressError);
      assert.equal(err.code, 'TIMESTAMP_REFUSED');
      assert.equal((err.value.params as { failure: string }).failure, 'untrusted');
      return true;
    });
    assert.equal(head().seq, seq);
    tsa.useSigner('expired');
    await assert.rejects(stampCaseHead(vault.context, caseId), (err: unknown) => err instanceof RedressError && (err.value.params as { failure: string }).failure === 'certificate-expired');
    assert.equal(head().seq, seq);
  });

  it('a catalog TSA without a confirmed root: its token is kept, every check but the chain having held', async () => {
    const store = new TimestampSettingsStore(vault.context.db);
    store.set({ enabled: true, tsaId: 'freetsa' });
    const seq = head().seq;
    // the catalog's address is not reachable here: the answer comes from the test TSA instead
    const post = (_url: string, der: Buffer) => postQuery(tsa.url, der);
    assert.equal((await stampCaseHead(vault.context, caseId, { post })).status, 'stamped');
    assert.equal(head().seq, seq + 1);
    // still refused by name when anything else is wrong
    await vault.items.addBuffer(caseId, Buffer.from('second receipt'), { name: 'b.txt' });
    tsa.useSigner('expired');
    await assert.rejects(stampCaseHead(vault.context, caseId, { post }), (err: unknown) => err instanceof RedressError && (err.value.params as { failure: string }).failure === 'certificate-expired');
  });

  it('offline: the request is queued, sent again when allowed, and stamped once', async () => {
    const stamped = head();
    const down = () => Promise.reject(new TsaUnreachable('network is unreachable'));
    const out = await stampCaseHead(vault.context, caseId, { post: down });
    assert.equal(out.status, 'queued');
    assert.equal(head().seq, stamped.seq, 'nothing recorded while offline');
    // a second try while still offline keeps one request, counting attempts
    await stampCaseHead(vault.context, caseId, { post: down });
    const queue = new TimestampSettingsStore(vault.context.db).queue();
    assert.equal(queue.length, 1);
    assert.equal(queue[0]!.attempts, 2);
    assert.equal((await retryQueued(vault.context, { post: down })).waiting, 1);
    const retried = await retryQueued(vault.context);
    assert.deepEqual(retried, { stamped: 1, waiting: 0 });
    assert.equal(head().action, 'timestamp.recorded');
    assert.equal((head().payload as { imprint: string }).imprint, stamped.hash);
  });

  it('a TSA that cannot be reached at all queues the request (a real closed port)', async () => {
    const store = new TimestampSettingsStore(vault.context.db);
    store.addCustom({ id: 'closed', name: 'Closed', url: 'http://127.0.0.1:9/tsr', rootPem: tsa.rootPem });
    store.set({ enabled: true, tsaId: 'closed' });
    const out = await stampCaseHead(vault.context, caseId);
    assert.equal(out.status, 'queued');
  });

  it('from another device: a .tsq answered by openssl ts -reply is imported as a .tsr', async () => {
    const stamped = head();
    const query = exportQuery(vault.context, caseId);
    assert.equal(query.imprint, stamped.hash);
    const reply = await tsa.replyTo(query.der);
    const record = await importReply(vault.context, caseId, reply);
    assert.equal(record.imprint, stamped.hash);
    assert.equal(head().action, 'timestamp.recorded');
    assert.equal(new TimestampSettingsStore(vault.context.db).queue().length, 0);
    assert.equal((await vault.verify(caseId)).ok, true);
  });

  it('a .tsr for another request (its nonce) or for a digest never asked is refused', async () => {
    const seq = head().seq;
    const mine = exportQuery(vault.context, caseId);
    // a second export replaces the nonce: the answer to the first request no longer matches
    const firstReply = await tsa.replyTo(mine.der);
    exportQuery(vault.context, caseId);
    await assert.rejects(importReply(vault.context, caseId, firstReply), (err: unknown) => err instanceof RedressError && (err.value.params as { failure: string }).failure === 'nonce-mismatch');
    // a reply for something this vault never asked about
    const { buildQuery } = await import('../../electron/core/timestamps/rfc3161.js');
    const stranger = await tsa.replyTo(buildQuery('ab'.repeat(32)).der);
    await assert.rejects(importReply(vault.context, caseId, stranger), (err: unknown) => err instanceof RedressError && (err.value.params as { failure: string }).failure === 'imprint-mismatch');
    assert.equal(head().seq, seq);
  });
});
