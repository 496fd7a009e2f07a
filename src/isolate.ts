/**
 * What an isolate keeps between requests: the compiled configuration, the
 * limiter client's caches, lockouts. Each module holds its own, made through
 * `perIsolate`, so that tests can start every case from a fresh isolate
 * (`resetIsolate`) without reaching into module internals.
 *
 * Only synchronous state lives here, never a promise: a request must not wait
 * on I/O another request started (workerd cancels it as hung).
 */
const resets: (() => void)[] = [];

export interface PerIsolate<T> {
  get(): T;
}

export function perIsolate<T>(make: () => T): PerIsolate<T> {
  let value = make();
  resets.push(() => {
    value = make();
  });
  return { get: () => value };
}

/** Forgets everything every module keeps per isolate. For tests. */
export function resetIsolate(): void {
  for (const reset of resets) reset();
}
