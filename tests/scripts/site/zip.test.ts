import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { comparePaths, readStoredZip, writeZip, type ZipEntry } from "../../../scripts/site/zip.ts";

function entry(path: string, text: string): ZipEntry {
  return { path, read: async () => new TextEncoder().encode(text) };
}

async function zipBytes(entries: ZipEntry[]): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const size = await writeZip(entries, async (chunk) => {
    chunks.push(Uint8Array.from(chunk));
  });
  const bytes = Buffer.concat(chunks);
  expect(bytes.length).toBe(size);
  return bytes;
}

describe("writeZip", () => {
  it("writes the ZIP layout byte by byte for one stored file", async () => {
    const bytes = await zipBytes([entry("a.txt", "hello world")]);
    // local header 30 + name "a.txt" 5 + data 11 = 46; central header 46 + name 5 = 51 at offset 46;
    // end of central directory 22 at offset 97; total 119.
    expect(bytes.length).toBe(119);
    expect(bytes.readUInt32LE(0)).toBe(0x04034b50);
    expect(bytes.readUInt16LE(8)).toBe(0); // stored
    expect(bytes.readUInt16LE(10)).toBe(0); // 00:00:00
    expect(bytes.readUInt16LE(12)).toBe(0x21); // 1980-01-01: (0 << 9) | (1 << 5) | 1
    expect(bytes.readUInt32LE(14)).toBe(0x0d4a1185); // CRC-32 of "hello world" (the standard check value)
    expect(bytes.readUInt32LE(18)).toBe(11);
    expect(bytes.readUInt32LE(22)).toBe(11);
    expect(bytes.subarray(30, 35).toString()).toBe("a.txt");
    expect(bytes.subarray(35, 46).toString()).toBe("hello world");
    expect(bytes.readUInt32LE(46)).toBe(0x02014b50);
    expect(bytes.readUInt32LE(46 + 42)).toBe(0); // the local header's offset
    expect(bytes.readUInt32LE(97)).toBe(0x06054b50);
    expect(bytes.readUInt16LE(97 + 10)).toBe(1); // entries
    expect(bytes.readUInt32LE(97 + 12)).toBe(51); // size of the central directory
    expect(bytes.readUInt32LE(97 + 16)).toBe(46); // its offset
  });

  it("sorts entries by their UTF-8 bytes, so the input order does not change the bytes", async () => {
    const files = [entry("b.txt", "B"), entry("a/z.txt", "Z"), entry("a.txt", "A"), entry("ö.txt", "Ö")];
    const one = await zipBytes(files);
    const other = await zipBytes([...files].reverse());
    expect(one.equals(other)).toBe(true);
    // "a.txt" < "a/z.txt" because "." (0x2e) < "/" (0x2f); "ö" (0xc3 0xb6) sorts after ASCII.
    const zip = await JSZip.loadAsync(one);
    expect(Object.keys(zip.files)).toEqual(["a.txt", "a/z.txt", "b.txt", "ö.txt"]);
  });

  it("is read back by JSZip (what Framework extracts archive members with)", async () => {
    const bytes = await zipBytes([
      entry("manifest.json", '{"ok":true}'),
      entry("indikatorer/x/riket.parquet", "PAR1"),
    ]);
    const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
    expect(await zip.file("manifest.json")?.async("string")).toBe('{"ok":true}');
    expect(await zip.file("indikatorer/x/riket.parquet")?.async("string")).toBe("PAR1");
  });

  it("writes an empty archive as just the end record", async () => {
    const bytes = await zipBytes([]);
    expect(bytes.length).toBe(22);
    expect(bytes.readUInt32LE(0)).toBe(0x06054b50);
  });

  it("rejects duplicate and unsafe paths", async () => {
    await expect(zipBytes([entry("a", "1"), entry("a", "2")])).rejects.toThrow("duplicate entry 'a'");
    await expect(zipBytes([entry("../etc/passwd", "x")])).rejects.toThrow(
      "invalid entry path '../etc/passwd'",
    );
    await expect(zipBytes([entry("/abs", "x")])).rejects.toThrow("invalid entry path '/abs'");
  });
});

describe("comparePaths", () => {
  it("orders by bytes, not by locale", () => {
    // Uppercase letters (0x41–0x5a) come before lowercase (0x61–0x7a) in byte order.
    expect(["b", "a", "B", "ä"].sort(comparePaths)).toEqual(["B", "a", "b", "ä"]);
  });
});

describe("readStoredZip", () => {
  it("reads back what writeZip wrote, member by member", async () => {
    const bytes = await zipBytes([
      entry("b.json", '{"b":2}'),
      entry("a/ö.json", "[1]"),
      entry("empty.txt", ""),
    ]);
    expect(readStoredZip(bytes).map(({ path, data }) => [path, data.toString("utf-8")])).toEqual([
      ["a/ö.json", "[1]"],
      ["b.json", '{"b":2}'],
      ["empty.txt", ""],
    ]);
    expect(readStoredZip(await zipBytes([]))).toEqual([]);
  });

  it("reads a stored archive written by another program (JSZip, with its own headers)", async () => {
    const zip = new JSZip();
    zip.file("x/1.json", '{"x":1}', { date: new Date("2020-01-01T00:00:00Z") });
    zip.file("y.txt", "why");
    const bytes = await zip.generateAsync({ type: "nodebuffer", compression: "STORE" });
    expect(readStoredZip(bytes).map(({ path, data }) => [path, data.toString()])).toEqual([
      ["x/1.json", '{"x":1}'],
      ["y.txt", "why"],
    ]);
  });

  it("refuses compressed entries, damaged data and what is not a ZIP", async () => {
    const zip = new JSZip();
    zip.file("a.txt", "a".repeat(100));
    const deflated = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
    expect(() => readStoredZip(deflated)).toThrow("'a.txt' is compressed (method 8)");
    const bytes = await zipBytes([entry("a.txt", "hello world")]);
    // Flip one byte of the member's data (it starts after the 30-byte header and the 5-byte name).
    bytes[35] ^= 0xff;
    expect(() => readStoredZip(bytes)).toThrow("'a.txt' is damaged (CRC-32)");
    expect(() => readStoredZip(Buffer.from("not a zip archive, just text"))).toThrow("not a ZIP archive");
  });
});
