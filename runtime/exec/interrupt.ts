// Ctrl-C handling for a run: the first SIGINT (or SIGTERM) aborts the returned signal, so the executor stops
// scheduling and terminates its workers (finished jobs are already cached); a second SIGINT exits at once.
export interface Interruption {
  signal: AbortSignal;
  /** Removes the signal handlers (call when the run is over). */
  dispose(): void;
}

export function interruptOnSignals(onFirst?: () => void): Interruption {
  const controller = new AbortController();
  const handle = () => {
    if (controller.signal.aborted) process.exit(130);
    onFirst?.();
    controller.abort();
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handle);
      process.off('SIGTERM', handle);
    },
  };
}
