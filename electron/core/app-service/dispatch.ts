import { CHANNELS, type ChannelName, type ParsedRequestOf, type ResponseOf, type Result } from '../../../shared/ipc/contract.js';
import { errorValue } from '../../../shared/errors.js';
import { toErrorValue } from '../errors.js';

export type Handlers = { [C in ChannelName]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C> };

/**
 * The one path every request takes, whatever the transport (Electron IPC, the e2e bridge): unknown channel and
 * invalid payload are refused before any handler runs, the response is checked against the contract, and every
 * failure becomes an ErrorValue with a message key. Stacks never leave the process.
 */
export async function dispatch(handlers: Handlers, channel: unknown, raw: unknown): Promise<Result<unknown>> {
  if (typeof channel !== 'string' || !Object.hasOwn(CHANNELS, channel)) {
    return { ok: false, error: errorValue('INVALID_INPUT', { field: 'channel', reason: 'unknown channel' }) };
  }
  const name = channel as ChannelName;
  const spec = CHANNELS[name];
  const parsed = spec.request.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: errorValue('INVALID_INPUT', { field: issue?.path.map(String).join('.') || 'request', reason: issue?.message ?? 'invalid' }) };
  }
  try {
    const handler = handlers[name] as (r: unknown) => Promise<unknown> | unknown;
    const value = await handler(parsed.data);
    const checked = spec.response.safeParse(value);
    if (!checked.success) {
      return { ok: false, error: errorValue('INTERNAL', { detail: `response of ${name} does not match the contract: ${checked.error.issues[0]?.path.join('.')}` }) };
    }
    return { ok: true, value: checked.data };
  } catch (err) {
    return { ok: false, error: toErrorValue(err) };
  }
}
