import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../temp.ts";
import { resolveRequest, serveDirectory } from "./server.ts";

function makeSite(): string {
  const root = makeTempDir("rdi-e2e-site-");
  mkdirSync(path.join(root, "en"));
  writeFileSync(path.join(root, "index.html"), "<p>start</p>");
  writeFileSync(path.join(root, "om-data.html"), "<p>om</p>");
  writeFileSync(path.join(root, "en", "index.html"), "<p>en</p>");
  writeFileSync(path.join(root, "x.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d]));
  return root;
}

describe("resolveRequest", () => {
  it("maps Framework's clean URLs to the built files", async () => {
    const root = makeSite();
    expect(await resolveRequest(root, "/")).toBe(path.join(root, "index.html"));
    expect(await resolveRequest(root, "/om-data")).toBe(path.join(root, "om-data.html"));
    expect(await resolveRequest(root, "/en/")).toBe(path.join(root, "en", "index.html"));
    expect(await resolveRequest(root, "/missing")).toBeUndefined();
  });

  it("never serves a file outside the directory", async () => {
    const root = makeSite();
    // normalize() keeps "/../index.html" inside the root (it becomes "/index.html"); encoded dots too.
    expect(await resolveRequest(root, "/../index.html")).toBe(path.join(root, "index.html"));
    expect(await resolveRequest(root, "/%2e%2e/%2e%2e/etc/passwd")).toBeUndefined();
  });
});

describe("serveDirectory", () => {
  it("serves files on 127.0.0.1 with the content types browsers need", async () => {
    const server = await serveDirectory(makeSite());
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(new URL("om-data", server.url));
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await page.text()).toBe("<p>om</p>");
      // WebAssembly.instantiateStreaming refuses anything but application/wasm.
      expect((await fetch(new URL("x.wasm", server.url))).headers.get("content-type")).toBe(
        "application/wasm",
      );
      expect((await fetch(new URL("nope", server.url))).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
