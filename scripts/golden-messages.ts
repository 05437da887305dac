// Usage: npm run golden:update
// Writes test/golden/messages/<story>/<locale>/<kind>.{email,sms}.txt: every message of the three
// stories in every locale, as customers read them (test/golden/story-messages.ts renders them).
// test/unit/golden-messages.test.ts fails on any difference, so a wording change shows in review.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { goldenFiles } from "../test/golden/story-messages.ts";

const root = "test/golden/messages";
rmSync(root, { recursive: true, force: true });
const files = goldenFiles();
for (const [path, content] of files) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}
console.log(`wrote ${files.size} files under ${root}`);
