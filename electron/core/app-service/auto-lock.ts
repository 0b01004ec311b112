/**
 * Locks the vault after a period without user activity. Any request from the UI counts as activity, and the UI
 * reports input events (throttled) so that reading a long timeline does not lock under the user's eyes.
 */
export class AutoLock {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private timeoutMs: number,
    private readonly onIdle: () => void,
  ) {}

  /** (re)starts the countdown; called on unlock and on every activity */
  touch(): void {
    this.stop();
    this.timer = setTimeout(this.onIdle, this.timeoutMs);
    this.timer.unref?.();
  }

  setTimeout(ms: number): void {
    this.timeoutMs = ms;
    if (this.timer) this.touch();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  get running(): boolean {
    return this.timer !== null;
  }
}
