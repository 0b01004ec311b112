import { TIMESTAMP_CAPS } from '../../../shared/timestamps.js';

export class TsaUnreachable extends Error {}

const TIMEOUT_MS = 20_000;

/**
 * POSTs a TimeStampReq to the TSA's URL and returns the answer's bytes. The only network call the core makes: to that
 * URL and nowhere else (redirects are refused, so a TSA cannot send the digest on), with a timeout and a size cap.
 */
export async function postQuery(url: string, der: Buffer, signal?: AbortSignal): Promise<Buffer> {
  if (!/^https?:\/\//i.test(url)) throw new TsaUnreachable(`not an http(s) URL: ${url.slice(0, 100)}`);
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: new Uint8Array(der),
      redirect: 'error',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new TsaUnreachable((err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new TsaUnreachable(`the TSA answered HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > TIMESTAMP_CAPS.replyBytes) {
    await res.body?.cancel();
    throw new TsaUnreachable(`an answer of ${declared} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.length;
    if (size > TIMESTAMP_CAPS.replyBytes) throw new TsaUnreachable(`an answer over ${TIMESTAMP_CAPS.replyBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
