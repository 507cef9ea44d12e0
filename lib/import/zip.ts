import { createInflateRaw } from "node:zlib";

// An XLSX file is a zip archive, and a few megabytes of zip can unpack to gigabytes (a "zip
// bomb"): the workbook reader would hold all of it in memory. Before the reader sees a file,
// every entry is unpacked here as a stream that is counted and thrown away, and the file is
// refused as soon as the total passes the limit — whatever sizes the archive declares, since
// those can lie. Memory stays at one chunk; the limit leaves room for any workbook a 50 MB
// import could sensibly hold.

/** What the entries of an XLSX file may unpack to, together (200 MB). */
export const MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024;

export class ZipLimitError extends Error {
  override name = "ZipLimitError";
  constructor(
    readonly reason: "too_large" | "unreadable",
    message: string,
  ) {
    super(message);
  }
}

type Entry = { name: string; method: number; flags: number; compressedSize: number; declaredSize: number; localOffset: number };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The entries of the central directory (no ZIP64: an XLSX within the upload limit never needs it). */
export function zipEntries(bytes: Uint8Array): Entry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const unreadable = (why: string) => new ZipLimitError("unreadable", `The file could not be read as an Excel workbook (XLSX): ${why}.`);
  // the end record: in the last 22 bytes + at most 64 KB of comment
  let end = -1;
  for (let at = bytes.byteLength - 22; at >= Math.max(0, bytes.byteLength - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === EOCD) {
      end = at;
      break;
    }
  }
  if (end < 0) throw unreadable("no zip directory at its end");
  const count = view.getUint16(end + 10, true);
  const size = view.getUint32(end + 12, true);
  const offset = view.getUint32(end + 16, true);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw unreadable("a ZIP64 archive");
  if (offset + size > end) throw unreadable("a broken zip directory");
  const entries: Entry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== CENTRAL) throw unreadable("a broken zip directory");
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    entries.push({
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      declaredSize: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The bytes one entry unpacks to, counted while inflating and stopping past `budget`. */
async function unpackedSize(bytes: Uint8Array, entry: Entry, budget: number): Promise<number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const unreadable = () => new ZipLimitError("unreadable", `The file could not be read as an Excel workbook (XLSX): entry "${entry.name}" is broken.`);
  if (entry.localOffset + 30 > bytes.byteLength || view.getUint32(entry.localOffset, true) !== LOCAL) throw unreadable();
  const start = entry.localOffset + 30 + view.getUint16(entry.localOffset + 26, true) + view.getUint16(entry.localOffset + 28, true);
  if (start + entry.compressedSize > bytes.byteLength) throw unreadable();
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.flags & 1) throw new ZipLimitError("unreadable", "The workbook is encrypted; save it without a password.");
  if (entry.method === 0) return data.byteLength;
  if (entry.method !== 8) throw new ZipLimitError("unreadable", `The file could not be read as an Excel workbook (XLSX): entry "${entry.name}" uses an unknown compression.`);
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
    let total = 0;
    let settled = false;
    const finish = (error: Error | null, size = 0) => {
      if (settled) return;
      settled = true;
      inflate.removeAllListeners("data");
      if (error) {
        inflate.destroy();
        reject(error);
      } else resolve(size);
    };
    inflate.on("data", (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > budget) finish(new ZipLimitError("too_large", "too large"));
    });
    inflate.on("error", () => finish(unreadable()));
    inflate.on("end", () => finish(null, total));
    inflate.end(data);
  });
}

/**
 * Refuses an XLSX whose entries unpack to more than `limit` bytes together (a ZipLimitError
 * naming the limit), or whose zip structure is broken; returns the unpacked total.
 */
export async function checkZipUnpackedSize(bytes: Uint8Array, limit = MAX_XLSX_UNPACKED_BYTES): Promise<number> {
  const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
  const tooLarge = () =>
    new ZipLimitError("too_large", `The workbook unpacks to more than ${mb(limit)} (an XLSX file is a zip archive), so it was not read. Split it into smaller files.`);
  let total = 0;
  for (const entry of zipEntries(bytes)) {
    // what the archive declares is checked first (cheap), what it really holds while unpacking
    if (total + entry.declaredSize > limit) throw tooLarge();
    try {
      total += await unpackedSize(bytes, entry, limit - total);
    } catch (error) {
      if (error instanceof ZipLimitError && error.reason === "too_large") throw tooLarge();
      throw error;
    }
  }
  return total;
}
