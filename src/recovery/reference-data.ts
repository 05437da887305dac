import type {
  Budget,
  Gesture,
  GesturePolicy,
  GestureText,
  PrismaClient,
  TemplateVersion,
} from "../db/generated/node/client.ts";

/** A catalog gesture with its translations (src/locale/gesture-texts.ts picks a message's). */
export type CatalogGestureRow = Gesture & { texts: GestureText[] };

/** The tables every recovery reads and people change rarely (the budget's limit — never the spend). */
export type ReferencePart = "gestures" | "policies" | "budgets" | "settings" | "templates";

/**
 * Reference data for the recovery workflows. Every writer of these tables calls `changed(part)`
 * once its write has committed: the dashboard's policy forms (the catalog's translations are part of `gestures`), template publish and rollback, seeding.
 * A test or script writing them directly must do the same.
 */
export interface ReferenceData {
  /** The whole gesture catalog, inactive gestures included (a grant may name one), with its translations. */
  gestures(): Promise<CatalogGestureRow[]>;
  policies(): Promise<GesturePolicy[]>;
  /** The budget of a period (`YYYY-MM`), if one is set. */
  budget(period: string): Promise<Budget | null>;
  setting(key: string): Promise<string | null>;
  /** The highest published version of kind × channel in any of `locales`. */
  publishedTemplate(kind: string, channel: string, locales: string[]): Promise<TemplateVersion | null>;
  changed(part: ReferencePart): void;
}

type Loaded = {
  gestures: CatalogGestureRow[];
  policies: GesturePolicy[];
  budgets: Map<string, Budget>;
  settings: Map<string, string>;
  templates: TemplateVersion[];
};

const loaders: { [P in ReferencePart]: (prisma: PrismaClient) => Promise<Loaded[P]> } = {
  gestures: (prisma) => prisma.gesture.findMany({ include: { texts: true } }),
  policies: (prisma) => prisma.gesturePolicy.findMany(),
  budgets: async (prisma) => new Map((await prisma.budget.findMany()).map((b) => [b.period, b])),
  settings: async (prisma) => new Map((await prisma.setting.findMany()).map((s) => [s.key, s.value])),
  templates: (prisma) => prisma.templateVersion.findMany({ where: { status: "published" } }),
};

function readers(load: <P extends ReferencePart>(part: P) => Promise<Loaded[P]>) {
  return {
    gestures: () => load("gestures"),
    policies: () => load("policies"),
    budget: async (period: string) => (await load("budgets")).get(period) ?? null,
    setting: async (key: string) => (await load("settings")).get(key) ?? null,
    publishedTemplate: async (kind: string, channel: string, locales: string[]) => {
      let best: TemplateVersion | null = null;
      for (const t of await load("templates"))
        if (t.kind === kind && t.channel === channel && locales.includes(t.locale) && t.version > (best?.version ?? 0))
          best = t;
      return best;
    },
  };
}

/**
 * Each part read once, then served from memory until `changed`. What is held is the load's promise,
 * dropped on `changed`: a read that starts after the change always loads again. For one process
 * that owns its database (Node).
 */
export function cachedReferenceData(prisma: PrismaClient): ReferenceData {
  const held = new Map<ReferencePart, Promise<unknown>>();
  const load = <P extends ReferencePart>(part: P): Promise<Loaded[P]> => {
    let loading = held.get(part) as Promise<Loaded[P]> | undefined;
    if (!loading) {
      loading = loaders[part](prisma);
      held.set(part, loading);
      // A failed load is not kept: the next read tries again.
      loading.catch(() => held.get(part) === loading && held.delete(part));
    }
    return loading;
  };
  return { ...readers(load), changed: (part) => held.delete(part) };
}

/**
 * Reads every part once, so the first recovery after start does not wait for them (nor for Prisma's
 * first query, which loads its query compiler). A failure is left for that recovery to meet.
 */
export async function warmReferenceData(reference: ReferenceData): Promise<void> {
  await Promise.all([
    reference.gestures(),
    reference.policies(),
    reference.budget(""),
    reference.setting(""),
    reference.publishedTemplate("", "", []),
  ]).catch(() => undefined);
}

/** Read on every call: where other processes write unseen (Workers isolates share D1, not memory). */
export function uncachedReferenceData(prisma: PrismaClient): ReferenceData {
  return { ...readers((part) => loaders[part](prisma)), changed: () => {} };
}
