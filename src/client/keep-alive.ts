/**
 * The keep-alive's clock: calls `tick` every `interval` milliseconds while started.
 *
 * Chromium and Firefox stop a service worker about 30 s after its last event, also while a page
 * is open, and the tokens in its memory die with it; a message from the page every 20 s keeps it
 * running. The ticks come from a dedicated worker, not the page's own timers: Chromium throttles
 * the timers of a page hidden for five minutes to one wake-up a minute (intensive wake-up
 * throttling), longer than the idle window, and does not throttle a dedicated worker's timers;
 * its messages reach the page as tasks, which are not throttled either. Where no dedicated worker
 * can start (a CSP without `worker-src blob:`), the page's own timer is the fallback.
 *
 * @module
 */

/** Starts and stops the ticks. */
export interface KeepAliveClock {
  /** Starts ticking (no-op when already started). */
  start(): void;
  /** Stops ticking (no-op when stopped). */
  stop(): void;
}

// The dedicated worker's whole script: a positive number (re)starts the interval, 0 stops it.
const TICKER =
  'let t;onmessage=(e)=>{clearInterval(t);if(e.data>0)t=setInterval(()=>postMessage(0),e.data)}';

/** Creates the clock; nothing runs until {@link KeepAliveClock.start}. */
export function createKeepAliveClock(tick: () => void, interval: number): KeepAliveClock {
  let ticker: Worker | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let started = false;
  const fallBack = () => {
    ticker = undefined;
    if (started && timer === undefined) timer = setInterval(tick, interval);
  };
  return {
    start() {
      if (started) return;
      started = true;
      try {
        ticker ??= new Worker(URL.createObjectURL(new Blob([TICKER], { type: 'text/javascript' })));
        ticker.onmessage = tick;
        // A worker the CSP refuses fails after construction, in some browsers.
        ticker.onerror = fallBack;
        ticker.postMessage(interval);
      } catch {
        fallBack();
      }
    },
    stop() {
      started = false;
      ticker?.postMessage(0);
      clearInterval(timer);
      timer = undefined;
    },
  };
}
