import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { createLimiter } from '../../electron/core/async/limiter.js';
import { mapLimited } from '../../electron/core/async/map-limited.js';

describe('bounded concurrency', () => {
  it('mapLimited keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimited([30, 5, 20, 1, 15, 2, 8], 3, async (ms, i) => {
      most = Math.max(most, ++running);
      await sleep(ms);
      running--;
      return `${i}:${ms}`;
    });
    assert.deepEqual(out, ['0:30', '1:5', '2:20', '3:1', '4:15', '5:2', '6:8']);
    assert.equal(most, 3);
  });

  it('mapLimited throws the first failure only after the running tasks settle, and starts no new ones', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    await assert.rejects(
      mapLimited([0, 1, 2, 3, 4, 5], 2, async (n) => {
        started.push(n);
        if (n === 1) throw new Error('boom');
        await sleep(20);
        finished.push(n);
      }),
      /boom/,
    );
    assert.deepEqual(finished, started.filter((n) => n !== 1), 'every task that started has finished');
    assert.ok(!started.includes(5), `no new work after the failure: ${started}`);
  });

  it('createLimiter starts tasks in queue order with at most `limit` at once', async () => {
    const limit = createLimiter(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (n: number) => async () => {
      most = Math.max(most, ++running);
      order.push(n);
      await sleep(n % 3);
      running--;
      return n;
    };
    const results = await Promise.all(Array.from({ length: 12 }, (_, n) => limit(task(n))));
    assert.equal(most, 2);
    assert.deepEqual(order, [...Array(12).keys()]);
    assert.deepEqual(results, [...Array(12).keys()]);
  });

  it('createLimiter frees the slot of a task that fails', async () => {
    const limit = createLimiter(1);
    await assert.rejects(limit(async () => Promise.reject(new Error('no'))), /no/);
    assert.equal(await limit(async () => 7), 7);
  });
});
