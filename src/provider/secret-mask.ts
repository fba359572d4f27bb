import { parseInstant } from "../model/expiry";
import { isUnknown } from "../pulumi/unknown";

/**
 * Words a message may not carry (a secret map's IDs, emails, role names; credentials), and their stand-ins.
 * By whole token: `auth0|1` is never masked inside `auth0|12`. Also URL-encoded, as API errors quote paths.
 */
export class SecretMask {
  private readonly words = new Map<string, string>();
  /** Mask anything shaped like a user ID, email or role ID: names can resolve to IDs no input holds. */
  private byShape = false;

  /** Adds every member (`(secret member #n)`) and role (`(secret role #n)`) a secret map or state names. */
  addMembers(props: Record<string, unknown> | undefined, map = "members"): void {
    if (!props) return;
    const users = new Set<string>();
    const roles = new Set<string>();
    const userMap = (m: unknown) => {
      if (!isObject(m)) return;
      for (const [u, v] of Object.entries(m)) {
        users.add(u);
        collectStrings(v, roles);
      }
    };
    for (const key of [map, "declared", "declaredDiffers", "tenantDiffers", "expired"]) userMap(props[key]);
    // The instants are secret too (stored encrypted): masked as written and as messages print them.
    const ends = new Set<string>();
    if (isObject(props["until"]))
      for (const [u, byRole] of Object.entries(props["until"])) {
        users.add(u);
        if (isObject(byRole))
          for (const [r, end] of Object.entries(byRole)) {
            roles.add(r);
            if (typeof end !== "string") continue;
            ends.add(end);
            const ms = parseInstant(end);
            if (ms !== undefined) ends.add(new Date(ms).toISOString());
          }
      }
    collectStrings(props["addedMembers"], users);
    const resolved = props["resolved"];
    if (isObject(resolved)) {
      if (isObject(resolved["users"]))
        for (const [email, id] of Object.entries(resolved["users"])) {
          users.add(email);
          collectStrings(id, users);
        }
      if (isObject(resolved["roles"]))
        for (const [name, id] of Object.entries(resolved["roles"])) {
          roles.add(name);
          collectStrings(id, roles);
        }
    }
    for (const r of roles) users.delete(r);
    this.byShape = true;
    for (const [i, u] of [...users].sort().entries()) this.add(u, `(secret member #${i + 1})`);
    for (const [i, r] of [...roles].sort().entries()) this.add(r, `(secret role #${i + 1})`);
    for (const e of ends) this.add(e, "(secret end)");
  }

  add(word: string, label: string): void {
    if (word.length === 0 || isUnknown(word) || this.words.has(word)) return;
    this.words.set(word, label);
  }

  get empty(): boolean {
    return this.words.size === 0 && !this.byShape;
  }

  /** `text` with every secret word, standing alone, replaced. */
  apply(text: string): string {
    if (this.empty) return text;
    const forms: Array<[string, string]> = [];
    for (const [word, label] of this.words) {
      forms.push([word, label]);
      const encoded = encodeURIComponent(word);
      if (encoded !== word) forms.push([encoded, label]);
      const quoted = JSON.stringify(word).slice(1, -1);
      if (quoted !== word) forms.push([quoted, label]);
    }
    forms.sort((a, b) => b[0].length - a[0].length);
    const pattern = new RegExp(
      `(?<![${TOKEN_CHARS}])(?:${forms.map(([w]) => escapeRegExp(w)).join("|")})(?![${TOKEN_CHARS}])`,
      "gu",
    );
    const labels = new Map(forms);
    const exact = forms.length > 0 ? text.replace(pattern, (m) => labels.get(m) ?? "(secret)") : text;
    return this.byShape ? maskShapes(exact) : exact;
  }
}

/** Role IDs, emails and `{provider}|{id}` user IDs (also URL-encoded), wherever they stand. */
function maskShapes(text: string): string {
  return text
    .replace(/rol_[A-Za-z0-9]{16}/g, "(secret role)")
    .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "(secret email)")
    .replace(/[A-Za-z0-9_-]+(?:\||%7[Cc])[^\s"'(),;\][/]+/g, "(secret member)");
}

/** Characters that continue an ID or email (a `.` ends a sentence as often as it continues a domain). */
const TOKEN_CHARS = "A-Za-z0-9_|@%+\\-";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function collectStrings(v: unknown, into: Set<string>): void {
  if (typeof v === "string") into.add(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, into);
  else if (isObject(v)) for (const x of Object.values(v)) collectStrings(x, into);
}
