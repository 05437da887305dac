/**
 * What a function thread keeps of the environment. The Inngest SDK reads process.env several
 * times per call and per checkpoint, matching every variable against its list of ~40 names (3.5%
 * of a thread's time in a wave). Nothing else in a thread reads the environment (its settings
 * come in workerData), so it keeps the SDK's variables and Node's and Prisma's switches, as a plain
 * object (a live view of the C environment is slower to read).
 */
const KEPT = /^(INNGEST_|NODE_|PRISMA_|DEBUG$|NO_COLOR$|FORCE_COLOR$)/;

export function threadEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => KEPT.test(key)));
}
