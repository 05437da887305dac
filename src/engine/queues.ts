import type { EngineStore, JobRow } from "./store/store.ts";

/**
 * Each function's due jobs are a queue, taken in turn (as Inngest partitions its queue by
 * function), so a backlog in one function never holds another back: under a burst of signals,
 * recoveries start as soon as their signal is handled. Within a queue, jobs go in due order.
 */
export class Queues {
  /** Every queue that has had jobs (function ids); read from the store once. */
  private known: Set<string | null> | undefined;
  private turn = 0;

  constructor(private readonly store: EngineStore) {}

  /** The queues, starting one further along each time so no queue always goes first. */
  inTurn(functionIds: Iterable<string>): Array<string | null> {
    if (this.known === undefined) this.known = new Set(this.store.queues());
    for (const id of functionIds) this.known.add(id);
    const queues = [...this.known];
    const start = this.turn++ % Math.max(queues.length, 1);
    return [...queues.slice(start), ...queues.slice(0, start)];
  }

  /**
   * A reader of due jobs per queue, in order, a page at a time: the first page holds `pageSize`
   * rows, each next one twice as many as the one before (a queue held back by a concurrency limit
   * is walked in few reads).
   */
  walk(now: number, pageSize: number, inFlight: Iterable<number>): (queue: string | null) => JobRow | undefined {
    // Jobs in flight as the walk began are left out in the query; ones launched during it were read already.
    const skip = [...inFlight];
    const walks = new Map<string | null, { page: JobRow[]; next: number; done: boolean; pages: number }>();
    return (queue) => {
      const walk = walks.get(queue) ?? { page: [], next: 0, done: false, pages: 0 };
      walks.set(queue, walk);
      while (walk.next >= walk.page.length) {
        if (walk.done) return undefined;
        const limit = pageSize * 2 ** Math.min(walk.pages++, 6);
        walk.page = this.store.dueJobsIn(queue, now, limit, walk.page[walk.page.length - 1], skip);
        walk.next = 0;
        walk.done = walk.page.length < limit;
      }
      return walk.page[walk.next++];
    };
  }
}
