import { MAX_OFFSET_PAGE, MAX_PAGE_SIZE } from "../api/limits";

/** After a page: ask for the next one, stop, or stop with the reason the paging would never end. */
export type PagingVerdict = { next: "more" } | { next: "done" } | { next: "loop"; reason: string };

const MORE: PagingVerdict = { next: "more" };
const DONE: PagingVerdict = { next: "done" };

/**
 * Offset paging (`page`, `per_page`, `include_totals`): done on an empty page or once `start + length` reaches
 * `total`, never on a short page (public cloud may cap `per_page` at 50). A server that never gets there is
 * stopped: a page that repeats the previous one (it ignores `page`), more pages than the first page's total
 * allows at the first page's length (one page of slack for records added meanwhile), or past the last page
 * the API documents (`page` 1000).
 *
 * @example
 * const paging = new OffsetPaging();
 * paging.check(0, ["rol_a", "rol_b"], 0, 4); // { next: "more" }
 * paging.check(1, ["rol_a", "rol_b"], 0, 4); // { next: "loop", reason: "page 1 repeats page 0 ..." }
 */
export class OffsetPaging {
  private previous: string | undefined;
  private allowedPages: number | undefined;

  /** `ids`: the identities on page `page` (0-based), as answered with `start` and `total`. */
  check(page: number, ids: readonly string[], start: number, total: number): PagingVerdict {
    if (ids.length === 0 || start + ids.length >= total) return DONE;
    const key = ids.join("\n");
    if (key === this.previous)
      return {
        next: "loop",
        reason: `page ${page} repeats page ${page - 1} (${ids.length} identical records): the server ignores \`page\``,
      };
    this.previous = key;
    this.allowedPages ??= Math.ceil(total / ids.length) + 1;
    const needed = page + 2; // the pages seen so far, and at least one more
    if (needed > this.allowedPages)
      return {
        next: "loop",
        reason: `page ${page + 1} would be page ${needed} of a listing whose first page said total ${total} at ${ids.length} a page (${this.allowedPages} pages at most)`,
      };
    if (page + 1 > MAX_OFFSET_PAGE)
      return {
        next: "loop",
        reason: `page ${page + 1} is past the last page the API serves (${MAX_OFFSET_PAGE})`,
      };
    return MORE;
  }
}

/**
 * Checkpoint paging (`take`, `from` = the previous answer's `next`): done on an empty page or a missing `next`
 * (real traffic shows `next` on the last page, then an empty page). Stopped when `next` repeats a cursor
 * already followed, when a page repeats the previous one, or when every record on a page was already listed:
 * each means the listing goes round in circles.
 *
 * @example
 * const paging = new CheckpointPaging();
 * paging.check(["auth0|a"], "c1"); // { next: "more" }
 * paging.check(["auth0|b"], "c1"); // { next: "loop", reason: "cursor ... repeats ..." }
 */
/** Pages of one checkpoint listing this client follows at most: 1,000,000 members at 100 a page. */
export const MAX_CHECKPOINT_PAGES = 10_000;

export class CheckpointPaging {
  private readonly cursors = new Set<string>();
  private readonly listed = new Set<string>();
  private previous: string | undefined;
  private pages = 0;

  check(ids: readonly string[], next: string | undefined): PagingVerdict {
    this.pages++;
    if (ids.length === 0 || !next) return DONE;
    const key = ids.join("\n");
    if (key === this.previous)
      return { next: "loop", reason: `page ${this.pages} repeats the previous page (${ids.length} records)` };
    this.previous = key;
    if (this.cursors.has(next))
      return {
        next: "loop",
        reason: `page ${this.pages} gives \`next\` = "${next.slice(0, 40)}", a cursor already followed`,
      };
    this.cursors.add(next);
    // A checkpoint listing walks the members once, in order: a member met again means the server is not
    // moving forward (a page of 1 new and 99 old ones would otherwise go on for ever).
    const again = ids.filter((id) => this.listed.has(id));
    if (again.length > 0)
      return {
        next: "loop",
        reason: `page ${this.pages} lists ${again.length} of its ${ids.length} records again, already listed on earlier pages`,
      };
    if (this.pages >= MAX_CHECKPOINT_PAGES)
      return {
        next: "loop",
        reason: `the listing passed ${MAX_CHECKPOINT_PAGES} pages (${MAX_CHECKPOINT_PAGES * MAX_PAGE_SIZE} members), more than this client reads of one organization`,
      };
    for (const id of ids) this.listed.add(id);
    return MORE;
  }
}
