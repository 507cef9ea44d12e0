import "server-only";

/**
 * A read a page starts and hands, unawaited, to the component that awaits it inside its
 * Suspense boundary (so the page streams as before). Marked as handled here: a read that
 * fails before its component awaits it must not count as an unhandled rejection; the
 * component's `await` still sees the error and the page's error boundary shows it.
 */
export function started<T>(read: Promise<T>): Promise<T> {
  read.catch(() => undefined);
  return read;
}
