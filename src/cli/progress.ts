/**
 * Progress lines on stderr for work that takes long: one when an item starts, one at each tenth done, one at
 * its end. Counted in tenths rather than by time so that a log shows at most a dozen lines per item, whatever
 * its size, and the same lines on every run.
 */
export function tenthsReporter(write: (line: string) => void, label: string) {
  let last: { what: string; tenth: number; done: number } | undefined;
  return (what: string, done: number, total: number) => {
    const tenth = total > 0 ? Math.floor((10 * Math.min(done, total)) / total) : 10;
    // A listing's last, empty page reports the count again: said once.
    if (last?.what === what && (last.tenth === tenth || last.done === done)) return;
    last = { what, tenth, done };
    const percent = Math.floor(tenth * 10);
    const count = (n: number) => n.toLocaleString("en-US");
    write(`[${label}] ${what}: ${count(done)} of ${count(total)} members read (${percent}%)\n`);
  };
}
