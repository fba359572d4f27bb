import type { IncomingMessage } from "node:http";
import { ApiError, envelope } from "./answers";

/** A request body as the API reads it: JSON or form encoded (both accepted by Auth0), or none. */
export type RequestBody =
  | { kind: "empty" }
  | { kind: "json"; value: unknown }
  | { kind: "form"; value: Record<string, unknown> };

/**
 * Reads and decodes the body, refusing more than `maxBytes` (413) and malformed JSON (400). The exact words
 * Auth0 uses for these two are unconfirmed; the envelope is the documented one.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<RequestBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      req.destroy();
      throw new ApiError(envelope(413, `Payload content length greater than maximum allowed: ${maxBytes}`));
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return { kind: "empty" };
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("application/x-www-form-urlencoded")) {
    const form: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(text)) {
      const key = k.endsWith("[]") ? k.slice(0, -2) : k;
      const prev = form[key];
      form[key] =
        prev === undefined ? (k.endsWith("[]") ? [v] : v) : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return { kind: "form", value: form };
  }
  try {
    return { kind: "json", value: JSON.parse(text) };
  } catch {
    throw new ApiError(envelope(400, "Invalid request payload JSON format", "invalid_body"));
  }
}
