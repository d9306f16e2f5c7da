// A tiny static file server for the built site (dist/) on 127.0.0.1 and a random port. It resolves
// URLs the way a static host serving Framework's clean URLs does: `/om-data` → `om-data.html`,
// `/en/` → `en/index.html`. Also the browser session every browser test starts: this server on the
// built site and Debian's Chromium, with a guard against requests to other hosts.
import { createReadStream, existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium } from "playwright-core";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm", // required for WebAssembly.instantiateStreaming
  ".parquet": "application/octet-stream",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".zip": "application/zip",
};

export interface StaticServer {
  /** Base URL ending with a slash, e.g. `http://127.0.0.1:43125/`. */
  url: string;
  close(): Promise<void>;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The file that answers a URL path, or undefined (404). Never leaves `root`. */
export async function resolveRequest(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const file = path.resolve(root, `.${path.posix.normalize(decoded)}`);
  if (file !== root && !file.startsWith(`${root}${path.sep}`)) return undefined;
  const candidates = decoded.endsWith("/") ? [path.join(file, "index.html")] : [file, `${file}.html`];
  for (const candidate of candidates) if (await isFile(candidate)) return candidate;
  return undefined;
}

export async function serveDirectory(directory: string): Promise<StaticServer> {
  const root = path.resolve(directory);
  const server: Server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://127.0.0.1");
    const file = await resolveRequest(root, pathname);
    if (!file) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      response.end(`not found: ${pathname}\n`);
      return;
    }
    const type = CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream";
    response.writeHead(200, { "content-type": type, "cache-control": "no-store" });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/**
 * Flags for Debian's Chromium in every browser test and the browser benchmark: headless, no
 * background traffic of its own, and no host name resolves except localhost — even a request that
 * escaped the tests' routing (e.g. from a worker) cannot reach another host.
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
];

/** Debian's Chromium: the only browser the tests use (never a download). */
export const CHROMIUM = "/usr/bin/chromium";

/** True for a URL the tests allow: the local server (127.0.0.1 or localhost), `blob:` and `data:`. */
export function isLocal(url: string): boolean {
  if (url.startsWith("blob:") || url.startsWith("data:")) return true;
  const { hostname } = new URL(url);
  return hostname === "127.0.0.1" || hostname === "localhost";
}

/** A browser context whose requests to other hosts are aborted; `foreign` records their URLs. */
export interface GuardedContext {
  context: BrowserContext;
  foreign: string[];
}

export interface BrowserSession {
  /** The static server's base URL, ending with a slash, e.g. `http://127.0.0.1:43125/`. */
  baseUrl: string;
  browser: Browser;
  /**
   * A new context in which every request that is not local (see `isLocal`) is aborted before it
   * leaves the browser and its URL recorded in `foreign`. `close()` closes it.
   */
  newGuardedContext(options?: BrowserContextOptions): Promise<GuardedContext>;
  /** Closes every context opened through `newGuardedContext`, the browser and the server. */
  close(): Promise<void>;
}

/**
 * Serves `directory` (the built site) on 127.0.0.1 and launches Debian's Chromium with
 * `CHROMIUM_ARGS`. Throws if Chromium is not installed.
 */
export async function startBrowserSession(directory: string): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const server = await serveDirectory(directory);
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (error) {
    await server.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  return {
    baseUrl: server.url,
    browser,
    async newGuardedContext(options) {
      const context = await browser.newContext(options);
      contexts.push(context);
      const foreign: string[] = [];
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (isLocal(url)) return route.continue();
        foreign.push(url);
        return route.abort("blockedbyclient");
      });
      return { context, foreign };
    },
    async close() {
      try {
        for (const context of contexts) await context.close();
        await browser.close();
      } finally {
        await server.close();
      }
    },
  };
}
