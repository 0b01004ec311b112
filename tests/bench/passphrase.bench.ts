// How long the passphrase estimator takes to load and, per keystroke, to estimate what has been typed so far.
import { loadPassphraseEstimator } from '../../shared/passphrase-strength.js';
import { round, writeResults } from './measure.js';

const TYPED = ['plaza tumble oyster quantum 42', '我的猫叫小白，它每天早上六点叫我起床', '13800138000 19900101 5201314 a'];

export async function runPassphraseBenchmarks() {
  const start = performance.now();
  const estimator = await loadPassphraseEstimator();
  const loadMs = performance.now() - start;
  const inputs = TYPED.map((typed) => {
    const times: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 1; i <= typed.length; i++) {
        // CPU time, not wall time: what the estimate costs the page's thread
        const cpu = process.cpuUsage();
        estimator.estimate(typed.slice(0, i));
        const used = process.cpuUsage(cpu);
        times.push((used.user + used.system) / 1000);
      }
    }
    times.sort((a, b) => a - b);
    return { typed, chars: [...typed].length, medianMs: round(times[times.length >> 1]!, 2), p95Ms: round(times[Math.floor(times.length * 0.95)]!, 2), maxMs: round(times.at(-1)!, 2) };
  });
  const results = { loadMs: round(loadMs, 0), perKeystroke: inputs, targets: { medianMs: 16 } };
  console.log('passphrase estimator:', results);
  console.log('written to', await writeResults('passphrase', results));
}
