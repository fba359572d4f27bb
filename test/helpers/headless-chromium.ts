import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { WebSocket } from "undici";

/** Where `npm run setup` (scripts/setup-chromium.sh) installs Debian's chromium; CHROMIUM names another. */
export const chromiumPath = () => process.env["CHROMIUM"] ?? "/usr/bin/chromium";

/** Longest wait for the browser to start, a page to load, or one protocol answer. */
const WAIT_MS = 30_000;

const within = <T>(promise: Promise<T>, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`headless chromium: no ${what} within ${WAIT_MS} ms`)),
      WAIT_MS,
    );
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
};

/**
 * One page of a headless Chromium, driven over the DevTools protocol (a WebSocket, undici's: no browser
 * library to pin): open a file, evaluate in it, take a screenshot, and every error the page logged
 * (exceptions, console.error, the browser's own log: a resource refused by the page's CSP lands there).
 */
export class HeadlessPage {
  readonly errors: string[] = [];
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Array<(params: Record<string, unknown>) => void>>();

  private constructor(
    private readonly browser: ChildProcess,
    private readonly socket: WebSocket,
    private readonly profile: string,
    private session = "",
  ) {}

  static async open(): Promise<HeadlessPage> {
    const binary = chromiumPath();
    if (!existsSync(binary))
      throw new Error(`no chromium at ${binary}: run \`npm run setup\` (it installs it)`);
    const profile = mkdtempSync(path.join(os.tmpdir(), "chromium-profile-"));
    const browser = spawn(
      binary,
      [
        "--headless",
        // Root in CI containers: Chromium refuses to start sandboxed as root.
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        `--user-data-dir=${profile}`,
        "--remote-debugging-port=0",
        "--window-size=1280,900",
        "about:blank",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    const url = await within(
      new Promise<string>((resolve, reject) => {
        let text = "";
        browser.stderr!.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          const m = /DevTools listening on (ws:\/\/\S+)/.exec(text);
          if (m) resolve(m[1]!);
        });
        browser.once("exit", (code) =>
          reject(new Error(`chromium exited (${code}) before listening: ${text.slice(-500)}`)),
        );
        browser.once("error", reject);
      }),
      "DevTools address",
    );
    const socket = new WebSocket(url);
    await within(
      new Promise<void>((resolve, reject) => {
        socket.addEventListener("open", () => resolve());
        socket.addEventListener("error", () => reject(new Error("could not connect to chromium's DevTools")));
      }),
      "DevTools connection",
    );
    const page = new HeadlessPage(browser, socket, profile);
    socket.addEventListener("message", (event) => page.receive(String(event.data)));
    const { targetId } = (await page.send("Target.createTarget", { url: "about:blank" }, false)) as {
      targetId: string;
    };
    const { sessionId } = (await page.send("Target.attachToTarget", { targetId, flatten: true }, false)) as {
      sessionId: string;
    };
    page.session = sessionId;
    page.on("Runtime.exceptionThrown", (p) => {
      const d = p["exceptionDetails"] as { text?: string; exception?: { description?: string } };
      page.errors.push(`exception: ${d.exception?.description ?? d.text}`);
    });
    page.on("Runtime.consoleAPICalled", (p) => {
      if (p["type"] === "error") page.errors.push(`console.error: ${JSON.stringify(p["args"])}`);
    });
    page.on("Log.entryAdded", (p) => {
      const entry = p["entry"] as { level: string; text: string };
      if (entry.level === "error") page.errors.push(`log: ${entry.text}`);
    });
    await page.send("Runtime.enable");
    await page.send("Log.enable");
    await page.send("Page.enable");
    return page;
  }

  /** Loads `file` and waits for its load event. */
  async goto(file: string): Promise<void> {
    const loaded = new Promise<void>((resolve) => this.on("Page.loadEventFired", () => resolve()));
    await this.send("Page.navigate", { url: `file://${path.resolve(file)}` });
    await within(loaded, "load event");
  }

  /** The value of `expression` in the page (JSON-serialisable). */
  async evaluate<T>(expression: string): Promise<T> {
    const answer = (await this.send("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    })) as {
      result: { value: T };
      exceptionDetails?: { text: string };
    };
    if (answer.exceptionDetails) throw new Error(`evaluate ${expression}: ${answer.exceptionDetails.text}`);
    return answer.result.value;
  }

  /** A PNG of the page as it renders now. */
  async screenshot(): Promise<Buffer> {
    const { data } = (await this.send("Page.captureScreenshot", {
      format: "png",
      captureBeyondViewport: false,
    })) as {
      data: string;
    };
    return Buffer.from(data, "base64");
  }

  async close(): Promise<void> {
    try {
      await within(this.send("Browser.close", {}, false), "close");
    } catch {
      // The browser is killed below either way.
    }
    this.socket.close();
    // The profile is removed once the browser has exited: until then it may still write to it.
    const exited =
      this.browser.exitCode !== null || this.browser.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((resolve) => this.browser.once("exit", () => resolve()));
    this.browser.kill("SIGKILL");
    await within(exited, "browser exit");
    rmSync(this.profile, { recursive: true, force: true, maxRetries: 3 });
  }

  private on(method: string, listener: (params: Record<string, unknown>) => void): void {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), listener]);
  }

  private send(method: string, params: Record<string, unknown> = {}, inPage = true): Promise<unknown> {
    const id = ++this.next;
    const answer = new Promise<unknown>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.socket.send(JSON.stringify({ id, method, params, ...(inPage ? { sessionId: this.session } : {}) }));
    return within(answer, `answer to ${method}`);
  }

  private receive(text: string): void {
    const message = JSON.parse(text) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
      method?: string;
      params?: Record<string, unknown>;
    };
    if (message.id !== undefined) {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error.message));
      else waiter?.resolve(message.result);
      return;
    }
    for (const listener of this.listeners.get(message.method ?? "") ?? []) listener(message.params ?? {});
  }
}
