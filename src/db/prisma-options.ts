/**
 * Prisma's other error formats point at the calling line, for which every query captures a stack
 * trace as it is made (~2.5% of a function thread's time in a wave). makegood's errors are logged
 * with their own stack, so the message alone is enough. On Node and Workers alike.
 */
export const ERROR_FORMAT = "minimal";
