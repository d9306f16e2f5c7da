/**
 * A minimal, deterministic ZIP writer for the site's archive loader. Entries are STORED (Parquet is
 * already compressed), sorted by path, with a fixed timestamp (1980-01-01 00:00, the earliest a ZIP
 * can hold) and no extra fields, so the same files always give the same bytes. Framework extracts the
 * members with JSZip.
 */
import { crc32 } from "node:zlib";

export interface ZipEntry {
  /** Path inside the archive, `/`-separated, no leading slash. */
  path: string;
  /** Reads the member's bytes; called once, in archive order, so only one member is held in memory. */
  read: () => Promise<Uint8Array>;
}

/** Where the bytes go; resolves once they may be written on (back-pressure). */
export type ZipSink = (chunk: Uint8Array) => Promise<void>;

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION = 20; // 2.0: the lowest version that readers accept for stored files with UTF-8 names
const UTF8_NAMES = 0x0800;
const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
const MAX_32 = 0xffffffff;
const MAX_ENTRIES = 0xffff;

/** Compares paths by their UTF-8 bytes, so the order does not depend on the locale. */
export function comparePaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf-8"), Buffer.from(b, "utf-8"));
}

function checkPath(path: string): void {
  if (
    path === "" ||
    path.startsWith("/") ||
    path.includes("\\") ||
    path.split("/").some((p) => p === ".." || p === "" || p === ".")
  ) {
    throw new Error(`zip: invalid entry path '${path}'`);
  }
}

/** Writes a ZIP archive of the entries (in sorted order) to the sink; returns the archive's size in bytes. */
export async function writeZip(entries: Iterable<ZipEntry>, sink: ZipSink): Promise<number> {
  const sorted = [...entries].sort((a, b) => comparePaths(a.path, b.path));
  if (sorted.length > MAX_ENTRIES)
    throw new Error(`zip: ${sorted.length} entries; at most ${MAX_ENTRIES} are supported`);
  const central: Buffer[] = [];
  let offset = 0;
  let previous: string | undefined;
  for (const entry of sorted) {
    checkPath(entry.path);
    if (entry.path === previous) throw new Error(`zip: duplicate entry '${entry.path}'`);
    previous = entry.path;
    const name = Buffer.from(entry.path, "utf-8");
    const data = await entry.read();
    const size = data.byteLength;
    if (size > MAX_32 || offset > MAX_32) {
      throw new Error(`zip: '${entry.path}' lies beyond 4 GiB; ZIP64 is not supported`);
    }
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(0, 8); // method: stored
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(size, 18); // compressed size
    local.writeUInt32LE(size, 22); // uncompressed size
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    await sink(local);
    await sink(name);
    await sink(data);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    header.writeUInt16LE(VERSION, 4); // made by (MS-DOS attributes)
    header.writeUInt16LE(VERSION, 6); // needed to extract
    header.writeUInt16LE(UTF8_NAMES, 8);
    header.writeUInt16LE(0, 10);
    header.writeUInt16LE(DOS_TIME, 12);
    header.writeUInt16LE(DOS_DATE, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(size, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal and external attributes: all 0
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    offset += local.length + name.length + size;
  }
  const centralSize = central.reduce((sum, b) => sum + b.length, 0);
  if (offset > MAX_32 || offset + centralSize > MAX_32)
    throw new Error("zip: archive exceeds 4 GiB; ZIP64 is not supported");
  for (const chunk of central) await sink(chunk);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(0, 4); // this disk
  end.writeUInt16LE(0, 6); // disk with the central directory
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length
  await sink(end);
  return offset + centralSize + end.length;
}

/** A sink that writes to a Node stream and waits for 'drain' when the stream's buffer is full. */
export function streamSink(stream: NodeJS.WritableStream): ZipSink {
  return (chunk) =>
    new Promise((resolve, reject) => {
      const ok = stream.write(chunk, (error) => {
        if (error) reject(error);
      });
      if (ok) resolve();
      else stream.once("drain", () => resolve());
    });
}

/** A member of an archive read by readStoredZip. */
export interface ZipMember {
  path: string;
  data: Buffer;
}

/**
 * Reads the members of a ZIP archive whose entries are STORED, as writeZip writes them (the site's
 * archive loaders), checking each member's CRC-32. Compressed entries, ZIP64 and multi-disk archives
 * are refused rather than misread.
 */
export function readStoredZip(bytes: Buffer): ZipMember[] {
  // The end-of-central-directory record: 22 bytes and a comment of at most 65 535 bytes.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error("zip: no end of central directory; not a ZIP archive");
  if (bytes.readUInt16LE(end + 4) !== 0 || bytes.readUInt16LE(end + 6) !== 0) {
    throw new Error("zip: multi-disk archives are not supported");
  }
  const count = bytes.readUInt16LE(end + 10);
  let position = bytes.readUInt32LE(end + 16);
  const members: ZipMember[] = [];
  for (let n = 0; n < count; n++) {
    if (bytes.readUInt32LE(position) !== CENTRAL_HEADER) throw new Error("zip: broken central directory");
    const method = bytes.readUInt16LE(position + 10);
    const crc = bytes.readUInt32LE(position + 16);
    const size = bytes.readUInt32LE(position + 20);
    const nameLength = bytes.readUInt16LE(position + 28);
    const extraLength = bytes.readUInt16LE(position + 30);
    const commentLength = bytes.readUInt16LE(position + 32);
    const offset = bytes.readUInt32LE(position + 42);
    const path = bytes.toString("utf-8", position + 46, position + 46 + nameLength);
    if (method !== 0)
      throw new Error(`zip: '${path}' is compressed (method ${method}); only stored entries are read`);
    if (size === MAX_32 || offset === MAX_32)
      throw new Error(`zip: '${path}' needs ZIP64, which is not supported`);
    position += 46 + nameLength + extraLength + commentLength;
    // A folder entry (other writers add them) holds nothing to extract.
    if (path.endsWith("/") && size === 0) continue;
    checkPath(path);
    if (bytes.readUInt32LE(offset) !== LOCAL_HEADER) throw new Error(`zip: no local header for '${path}'`);
    const start = offset + 30 + bytes.readUInt16LE(offset + 26) + bytes.readUInt16LE(offset + 28);
    const data = bytes.subarray(start, start + size);
    if (data.length !== size || crc32(data) !== crc) throw new Error(`zip: '${path}' is damaged (CRC-32)`);
    members.push({ path, data });
  }
  return members;
}
