import { readFileSync } from "node:fs";
import { UsageError } from "./command";

/** A file's text, `-` for standard input; a missing file is the user's mistake, named with its option. */
export function readText(file: string, what: string): string {
  try {
    return readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(err);
    throw new UsageError(`${what} ${file}: ${reason}. Give the path of an existing file.`);
  }
}

/** A JSON array, or one JSON object per line (what Auth0's user export job writes). */
export function readRecords<T>(file: string, flag: string): T[] {
  const text = readText(file, flag).trim();
  try {
    const value = text.startsWith("[")
      ? JSON.parse(text)
      : text
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l));
    if (Array.isArray(value)) return value as T[];
  } catch {
    // reported below
  }
  throw new UsageError(`${flag} ${file}: expected a JSON array of objects, or one JSON object per line.`);
}

/** A whole number from `min` to `max`, or a usage error naming the option. */
export function wholeNumber(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag} ${value}: must be a whole number from ${min} to ${max}.`);
  return n;
}
