// How long the host's event loop is blocked while the core works: a 100k-SMS import and a 200-photo packet, each
// driven through the channel contract as the window drives it. With the core in its worker the host only relays
// messages; the same work run through an in-process AppService (the layout before the worker) is measured in the
// same run as the baseline. Target: the longest block under 50 ms.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Result } from '../../shared/ipc/contract.js';
import { dispatch } from '../../electron/core/app-service/dispatch.js';
import { AppService } from '../../electron/core/app-service/service.js';
import { CoreClient } from '../../electron/core/worker/core-client.js';
import type { HostCalls } from '../../electron/core/worker/protocol.js';
import { round, writeResults } from './measure.js';

const KDF = { name: 'scrypt' as const, N: 2 ** 14, r: 8, p: 1 };
type Invoke = (channel: string, request: unknown) => Promise<Result<unknown>>;

function inputs(dir: string): { sms: string; photos: string } {
  const gen = (script: string, args: string[]) => {
    const r = spawnSync(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`${script} failed`);
  };
  gen('./importers-inputs.js', [dir]);
  const photos = join(dir, 'photos');
  mkdirSync(photos, { recursive: true });
  gen('./packet-photos.js', [photos, '200']);
  return { sms: join(dir, 'sms-100k.xml'), photos };
}

async function value<T>(invoke: Invoke, channel: string, request: unknown): Promise<T> {
  const r = await invoke(channel, request);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

async function until<T extends { state: string }>(poll: () => Promise<T>, busy: string[]): Promise<T> {
  for (let last = ''; ; ) {
    const s = await poll();
    if (s.state !== last) console.error(`  ${(last = s.state)}`);
    if (!busy.includes(s.state)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs the scenario and reports the longest event-loop block of this thread during each phase, in ms. */
async function scenario(invoke: Invoke, photoCount: number) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  const phase = async (work: () => Promise<void>) => {
    histogram.reset();
    histogram.enable();
    const start = performance.now();
    await work();
    histogram.disable();
    return { seconds: round((performance.now() - start) / 1000, 2), maxBlockMs: round(histogram.max / 1e6, 1), p99BlockMs: round(histogram.percentile(99) / 1e6, 1) };
  };
  await value(invoke, 'vault.create', { passphrase: 'benchmark passphrase' });
  const kase = await value<{ id: string }>(invoke, 'cases.create', { title: 'bench', incidentType: 'impersonation' });
  const smsImport = await phase(async () => {
    const { stage } = await value<{ stage: { stageId: string } }>(invoke, 'records.stagePick', { caseId: kase.id });
    const ready = await until(() => value<{ state: string }>(invoke, 'records.stageStatus', { stageId: stage.stageId }), ['reading']);
    if (ready.state !== 'ready') throw new Error(`stage ${ready.state}`);
    await value(invoke, 'records.stageConfirm', { stageId: stage.stageId });
    const done = await until(() => value<{ state: string }>(invoke, 'records.stageStatus', { stageId: stage.stageId }), ['importing', 'ready']);
    if (done.state !== 'done') throw new Error(`import ${done.state}`);
  });
  const added = await value<{ added: unknown[] }>(invoke, 'items.pickAndAdd', { caseId: kase.id });
  if (added.added.length !== photoCount) throw new Error(`added ${added.added.length} photos`);
  const packet = await phase(async () => {
    const { jobId } = await value<{ jobId: string }>(invoke, 'packets.start', { caseId: kase.id, recipientId: 'cn-police', lang: 'zh-CN' });
    const done = await until(() => value<{ state: string }>(invoke, 'packets.status', { jobId }), ['running']);
    if (done.state !== 'done') throw new Error(`packet ${done.state}: ${JSON.stringify(done)}`);
  });
  return { smsImport, packet };
}

function hostCalls(files: string[][], folder: string): HostCalls {
  return {
    pickFiles: async () => files.shift() ?? [],
    pickFolder: async () => folder,
    pickBundle: async () => null,
    saveFile: async () => null,
    captureSources: async () => [],
    capture: async () => {
      throw new Error('no capture in benchmarks');
    },
  };
}

export async function runHostLoopBenchmarks() {
  const dir = await mkdtemp(join(tmpdir(), 'redress-bench-loop-'));
  try {
    const { sms, photos } = inputs(dir);
    const photoFiles = (await readdir(photos)).map((f) => join(photos, f));
    const run = async (name: string) => {
      console.error(`${name}:`);
      const work = join(dir, name);
      const host = hostCalls([[sms], photoFiles], join(work, 'out'));
      mkdirSync(join(work, 'out'), { recursive: true });
      const init = { dataDir: join(work, 'data'), prefsFile: join(work, 'prefs.json'), actor: 'bench', kdf: KDF, canCapture: false, previewUrlPrefix: 'x:' };
      if (name === 'worker') {
        const core = await CoreClient.start({ ...init, host, onEvent: () => undefined });
        try {
          return await scenario((c, r) => core.invoke(c, r), photoFiles.length);
        } finally {
          await core.close();
        }
      }
      const service = new AppService({ ...init, ...host, capturer: null, previewUrl: (id) => id, emit: () => undefined });
      await service.init();
      try {
        return await scenario((c, r) => dispatch(service.handlers, c, r), photoFiles.length);
      } finally {
        await service.lock('system');
      }
    };
    const inProcess = await run('in-process');
    const worker = await run('worker');
    const results = {
      worker,
      inProcessBaseline: inProcess,
      targets: { maxBlockMs: 50 },
      met: worker.smsImport.maxBlockMs < 50 && worker.packet.maxBlockMs < 50,
    };
    console.log(JSON.stringify(results, null, 2));
    console.log(`results: ${await writeResults('host-loop', results)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
