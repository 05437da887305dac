/**
 * A replay end to end, for the dashboard and the API alike: read (only read) what it needs, then
 * run the pure comparison. Template: a stored version against the one in force (the published
 * version, else the bundled default). Policy: the world in force against the world changed.
 */
import type { PrismaClient } from "../db/generated/node/client.ts";
import { defaultTemplateSet } from "../templates/defaults.ts";
import { contentOf, getVersion, publishedVersion, type TemplateKey } from "../templates/studio.ts";
import { loadPolicyWorld, loadReplayDisruptions, loadTemplateMessages } from "./load.ts";
import { type PolicyWorld, replayPolicy } from "./policy.ts";
import { replayTemplate } from "./template.ts";

export async function runTemplateReplay(
  prisma: PrismaClient,
  key: TemplateKey,
  version: number,
  now: Date,
  days: number,
) {
  const draft = await getVersion(prisma, key, version);
  if (!draft) return null;
  const published = await publishedVersion(prisma, key);
  const set = defaultTemplateSet(key.kind, key.locale);
  const inForce = published ? contentOf(key, published) : key.channel === "sms" ? set.sms : set.email;
  const { messages, window } = await loadTemplateMessages(prisma, key, now, days);
  return {
    version: draft,
    content: contentOf(key, draft),
    comparedWith: published ? { version: published.version } : null,
    window,
    replay: replayTemplate(key, inForce, contentOf(key, draft), messages),
  };
}

export async function runPolicyReplay(
  prisma: PrismaClient,
  now: Date,
  days: number,
  change: (world: PolicyWorld) => PolicyWorld,
) {
  const [before, { disruptions, window }] = await Promise.all([
    loadPolicyWorld(prisma),
    loadReplayDisruptions(prisma, now, days),
  ]);
  return { window, replay: replayPolicy(disruptions, before, change(before)) };
}
