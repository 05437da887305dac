/**
 * Sorting a request's events against what was stored before, by the sender's
 * id and a hash of the body: new, a duplicate (same id, same body), or a
 * conflict (same id, another body). Pure, so the rules are easy to see.
 */

export interface Fingerprinted {
  id: string;
  hash: string;
  /** Where the event sits in the request body, for error details: `events[3]`, or "" for a single event. */
  at: string;
}

export interface StoredFingerprint {
  bodyHash: string;
  /** null: stored but never handed to the engine (the process stopped in between). */
  dispatchedAt: Date | null;
}

export interface Classified<T extends Fingerprinted> {
  fresh: T[];
  duplicates: T[];
  /** Duplicates of stored events that were never dispatched: send them now. */
  undispatched: T[];
  conflicts: T[];
}

export function classify<T extends Fingerprinted>(
  events: readonly T[],
  stored: ReadonlyMap<string, StoredFingerprint>,
): Classified<T> {
  const out: Classified<T> = { fresh: [], duplicates: [], undispatched: [], conflicts: [] };
  const firstInRequest = new Map<string, string>();
  const undispatched = new Set<string>();
  for (const event of events) {
    const before = stored.get(event.id);
    const hash = before?.bodyHash ?? firstInRequest.get(event.id);
    if (hash === undefined) {
      firstInRequest.set(event.id, event.hash);
      out.fresh.push(event);
    } else if (hash !== event.hash) {
      out.conflicts.push(event);
    } else {
      out.duplicates.push(event);
      if (before && before.dispatchedAt === null && !undispatched.has(event.id)) {
        undispatched.add(event.id);
        out.undispatched.push(event);
      }
    }
  }
  return out;
}
