import type { ErrorValue } from '../../shared/errors';
import type { ChannelName, EventName, EventOf, RedressBridge, RequestOf, ResponseOf } from '../../shared/ipc/contract';

declare global {
  interface Window {
    redress: RedressBridge;
  }
}

/** A failed request, carrying the typed error value so the UI can show its message in the user's language. */
export class ApiError extends Error {
  constructor(readonly value: ErrorValue) {
    super(value.code);
  }
}

export async function call<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const result = await window.redress.invoke(channel, request);
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}

export function onEvent<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
  return window.redress.on(event, listener);
}

export function toErrorValue(err: unknown): ErrorValue {
  if (err instanceof ApiError) return err.value;
  return { code: 'INTERNAL', messageKey: 'errors.internal', params: { detail: err instanceof Error ? err.message : String(err) } };
}
