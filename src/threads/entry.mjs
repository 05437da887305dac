// A function thread's entry: worker threads do not inherit tsx's loader on Node 20, so register
// it here, then load the thread itself.
import { register } from "tsx/esm/api";

register();
await import("./thread.ts");
