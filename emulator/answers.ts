/**
 * What the emulator answers, and the one builder of Auth0's error envelope `{statusCode, error, message,
 * errorCode?}` that every refusal goes through (docs/auth0-api.md, "Errors").
 */
import type { ServerResponse } from "node:http";

/** An answer: status, JSON body (none for 204) and headers. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** An answer thrown from deep in a handler or a validation: status and Auth0's envelope. */
export class ApiError extends Error {
  constructor(readonly answer: Answer) {
    super(`API error ${answer.status}`);
  }
}

const ERROR_NAMES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Payload Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Auth0's error envelope `{statusCode, error, message, errorCode?}`. */
export function envelope(status: number, message: string, errorCode?: string, extra?: object): Answer {
  return {
    status,
    body: {
      statusCode: status,
      error: ERROR_NAMES[status] ?? "Error",
      message,
      ...(errorCode ? { errorCode } : {}),
      ...extra,
    },
  };
}

export function withHeaders(answer: Answer, headers: Record<string, string>): Answer {
  return { ...answer, headers: { ...answer.headers, ...headers } };
}

export function tooManyRequests(): Answer {
  return envelope(429, "Global limit has been reached", "too_many_requests");
}

/** The `x-ratelimit-*` headers of a bucket reading. */
export function rateHeaders(reading: { limit: number; remaining: number; resetSec: number }) {
  return {
    "x-ratelimit-limit": String(reading.limit),
    "x-ratelimit-remaining": String(reading.remaining),
    "x-ratelimit-reset": String(reading.resetSec),
  };
}

/**
 * Writes `answer` to the wire: JSON with its content type. A 204 has no body but keeps the JSON content type,
 * as Auth0's answers do (recorded real traffic), so a client must not parse a body because of the header.
 */
export function send(res: ServerResponse, answer: Answer): void {
  for (const [k, v] of Object.entries(answer.headers ?? {})) res.setHeader(k, v);
  const json = { "content-type": "application/json; charset=utf-8" };
  if (answer.status === 204 || answer.body === undefined) {
    res.writeHead(answer.status, json).end();
    return;
  }
  res.writeHead(answer.status, json).end(JSON.stringify(answer.body));
}
