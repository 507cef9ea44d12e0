import { constants, crc32, createDeflateRaw, deflateRawSync } from "node:zlib";

// A small XLSX-shaped zip whose worksheet unpacks to `unpackedMb` megabytes, for the tests of
// the import's zip-bomb refusal. The worksheet's deflate stream is one compressed megabyte
// repeated: a full flush makes each block byte-aligned and independent, so repeating it is
// valid deflate, and building a gigabyte bomb costs one megabyte of compression.

async function repeatableMegabyte(): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on("data", (c: Buffer) => out.push(c));
  deflate.write(Buffer.alloc(1024 * 1024, "<c/>"));
  await new Promise<void>((resolve) => deflate.flush(constants.Z_FULL_FLUSH, () => resolve()));
  deflate.close();
  return Buffer.concat(out);
}

type ZipEntry = { name: string; data: Buffer; size: number; crc: number; method: 0 | 8; declaredSize?: number };

/** A zip archive of the entries (sizes as given: a bomb may declare less than it holds). */
export function zipArchive(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const size = e.declaredSize ?? e.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt32LE(e.crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const deflated = (text: string): ZipEntry => {
  const data = Buffer.from(text);
  return { name: "", data: deflateRawSync(data), size: data.length, crc: crc32(data), method: 8 };
};

/**
 * An XLSX-shaped zip bomb: a workbook whose sheet1.xml unpacks to `unpackedMb` MB (declared
 * as `declaredMb`, which may lie). About 1 KB of file per unpacked megabyte.
 */
export async function xlsxZipBomb(unpackedMb: number, declaredMb = unpackedMb): Promise<Buffer> {
  const block = await repeatableMegabyte();
  // the last block of a deflate stream: an empty final fixed-Huffman block
  const sheet = Buffer.concat([...Array<Buffer>(unpackedMb).fill(block), Buffer.from([0x03, 0x00])]);
  const mb = 1024 * 1024;
  return zipArchive([
    { ...deflated(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`), name: "[Content_Types].xml" },
    { ...deflated(`<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Cases" sheetId="1"/></sheets></workbook>`), name: "xl/workbook.xml" },
    { name: "xl/worksheets/sheet1.xml", data: sheet, size: Math.min(unpackedMb * mb, 0xfffffffe), declaredSize: Math.min(declaredMb * mb, 0xfffffffe), crc: 0, method: 8 },
  ]);
}
