/** @internal A signal that aborts when any input does; `dispose` drops the listeners it added. */
export function anySignal(
  signals: ReadonlyArray<AbortSignal | undefined>,
  onAbort?: () => void,
): AbortController & { dispose(): void } {
  // Hand-rolled instead of AbortSignal.any + AbortSignal.timeout: the timer is cleared as soon as
  // the attempt ends, and no listener outlives the attempt on the long-lived caller signal.
  const controller = new AbortController();
  const listeners: Array<() => void> = [];
  const abort = (): void => {
    controller.abort();
    onAbort?.();
  };
  for (const signal of signals) {
    if (signal === undefined) continue;
    if (signal.aborted) {
      abort();
      break;
    }
    signal.addEventListener('abort', abort, { once: true });
    listeners.push(() => signal.removeEventListener('abort', abort));
  }

  return Object.assign(controller, {
    dispose: () => listeners.forEach((remove) => remove()),
  });
}
