// An upload's body for the routes that take files (case attachments, guide photo pairs, imports).

/** Why a body was refused: its declared length, or the bytes read when it passed the limit. */
export type TooLarge = { tooLarge: { size: number; declared: boolean } };

/** The body, counted as it streams in and refused as soon as it passes `max` bytes (never read whole when too large). */
export async function readBounded(request: Request, max: number): Promise<Uint8Array | TooLarge> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > max) return { tooLarge: { size: declared, declared: true } };
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return { tooLarge: { size, declared: false } };
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body;
}

/** The body, or null when it passes `max` bytes. */
export async function boundedBody(request: Request, max: number): Promise<Uint8Array | null> {
  const body = await readBounded(request, max);
  return body instanceof Uint8Array ? body : null;
}
