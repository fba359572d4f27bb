/**
 * A reproduction of the one-resource-per-member pattern (@pulumi/auth0 OrganizationMemberRoles, i.e.
 * terraform-provider-auth0 auth0_organization_member_roles), from its description in docs/auth0-api.md ("How the one-resource-per-member approach calls the API"):
 * one resource per member; read pages that member's roles 100 at a time; create = one POST then a read;
 * update = one DELETE of removals, one POST of additions, then a read; delete = one DELETE. Its HTTP layer
 * waits for X-RateLimit-Reset on every 429 with no retry limit, and retries 5xx three times with jittered
 * backoff. It does not pace ahead of a 429. Resources run 10 at a time (Terraform's default parallelism).
 * This is not its code: it is the same call pattern, for comparing API calls and time on the same emulator.
 */
import { Agent, request } from "undici";
import type { Clock } from "../src/clock";

export class PerMemberPattern {
  private token = "";
  private readonly agent = new Agent({ connections: 10 });

  constructor(
    private readonly baseUrl: string,
    private readonly clock: Clock,
    private readonly credentials: { clientId: string; clientSecret: string },
    readonly parallelism = 10,
  ) {}

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async call(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<unknown> {
    if (!this.token) await this.fetchToken();
    let serverErrors = 0;
    for (;;) {
      const res = await request(`${this.baseUrl}${path}`, {
        method,
        dispatcher: this.agent,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body ? { "content-type": "application/json" } : {}),
        },
        body: body ? JSON.stringify(body) : null,
      });
      const text = await res.body.text();
      if (res.statusCode === 429) {
        const reset = Number(res.headers["x-ratelimit-reset"]) * 1000;
        await this.clock.sleep(Math.max(0, reset - this.clock.now()));
        continue;
      }
      if (res.statusCode >= 500 && serverErrors++ < 3) {
        await this.clock.sleep(250 * 2 ** serverErrors * (0.5 + Math.random() / 2));
        continue;
      }
      if (res.statusCode >= 400) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
      return text ? JSON.parse(text) : undefined;
    }
  }

  private async fetchToken(): Promise<void> {
    const res = await request(`${this.baseUrl}/oauth/token`, {
      method: "POST",
      dispatcher: this.agent,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        grant_type: "client_credentials",
        client_id: this.credentials.clientId,
        client_secret: this.credentials.clientSecret,
        audience: `${this.baseUrl}/api/v2/`,
      }),
    });
    this.token = ((await res.body.json()) as { access_token: string }).access_token;
  }

  private path(org: string, user: string): string {
    return `/api/v2/organizations/${encodeURIComponent(org)}/members/${encodeURIComponent(user)}/roles`;
  }

  private async readMember(org: string, user: string): Promise<string[]> {
    const roles: string[] = [];
    for (let page = 0; ; page++) {
      const answer = (await this.call(
        "GET",
        `${this.path(org, user)}?page=${page}&per_page=100&include_totals=true`,
      )) as {
        roles: Array<{ id: string }>;
        start: number;
        total: number;
      };
      roles.push(...answer.roles.map((r) => r.id));
      if (answer.roles.length === 0 || answer.start + answer.roles.length >= answer.total) return roles;
    }
  }

  private async each<T>(items: T[], task: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const workers = Array.from({ length: this.parallelism }, async () => {
      while (next < items.length) await task(items[next++]!);
    });
    await Promise.all(workers);
  }

  async refresh(org: string, members: Record<string, string[]>): Promise<void> {
    await this.each(Object.keys(members), async (u) => void (await this.readMember(org, u)));
  }

  async create(org: string, members: Record<string, string[]>): Promise<void> {
    await this.each(Object.entries(members), async ([u, roles]) => {
      await this.call("POST", this.path(org, u), { roles });
      await this.readMember(org, u);
    });
  }

  async update(org: string, user: string, remove: string[], add: string[]): Promise<void> {
    if (remove.length) await this.call("DELETE", this.path(org, user), { roles: remove });
    if (add.length) await this.call("POST", this.path(org, user), { roles: add });
    await this.readMember(org, user);
  }

  async delete(org: string, members: Record<string, string[]>): Promise<void> {
    await this.each(
      Object.entries(members),
      async ([u, roles]) => void (await this.call("DELETE", this.path(org, u), { roles })),
    );
  }
}
