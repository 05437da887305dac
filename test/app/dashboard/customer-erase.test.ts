/** The dashboard's erase action: admins only, confirmed by typing the id, CSRF-checked, audited. */
import { afterAll, beforeAll, expect, test } from "vitest";
import { addUser, startDashboard } from "./harness.ts";
import { seedRecovery, signedIn } from "./recovery-seed.ts";

let h: Awaited<ReturnType<typeof startDashboard>>;
beforeAll(async () => {
  h = await startDashboard();
});
afterAll(() => h.stop());

test("an admin sees the erase form on a recovery and erases the customer after typing their id", async () => {
  const seeded = await seedRecovery(h.runtime, { name: "Hedy Lamarr" });
  const user = await addUser(h.runtime, "admin");
  const admin = await signedIn(h.runtime, user, h.now());
  const detail = await (await admin.browser.request("GET", `/dashboard/recoveries/${seeded.disruptionId}`)).text();
  expect(detail).toContain(`action="/dashboard/customers/${seeded.customerId}/erase"`);

  const path = `/dashboard/customers/${seeded.customerId}/erase`;
  const unconfirmed = await admin.browser.request("POST", path, { form: { _csrf: admin.csrf, confirm: "nope" } });
  expect(unconfirmed.status).toBe(400);
  expect(await h.runtime.prisma.customer.findUniqueOrThrow({ where: { id: seeded.customerId } })).toMatchObject({
    name: "Hedy Lamarr",
    erasedAt: null,
  });
  const noCsrf = await admin.browser.request("POST", path, { form: { confirm: seeded.customerId } });
  expect(noCsrf.status).toBe(403);

  const done = await admin.browser.request("POST", path, { form: { _csrf: admin.csrf, confirm: seeded.customerId } });
  expect(done.status).toBe(303);
  const customer = await h.runtime.prisma.customer.findUniqueOrThrow({ where: { id: seeded.customerId } });
  expect(customer).toMatchObject({ name: "[erased]", email: null });
  const messages = await h.runtime.prisma.message.findMany({ where: { customerId: seeded.customerId } });
  expect(messages.map((m) => [m.recipient, m.text, m.body, m.html])).toEqual(
    messages.map(() => ["[erased]", null, null, null]),
  );
  const entry = await h.runtime.prisma.auditLog.findFirstOrThrow({ where: { action: "customer.erase" } });
  expect(entry).toMatchObject({ actor: user.id, target: seeded.customerId });
  const after = await (await admin.browser.request("GET", `/dashboard/recoveries/${seeded.disruptionId}`)).text();
  expect(after).toContain("personal data was erased");
  expect(after).not.toContain("Hedy Lamarr");
});

test("a manager neither sees the form nor may post it", async () => {
  const seeded = await seedRecovery(h.runtime, { name: "Rosalind Franklin" });
  const manager = await signedIn(h.runtime, await addUser(h.runtime, "manager"), h.now());
  const detail = await (await manager.browser.request("GET", `/dashboard/recoveries/${seeded.disruptionId}`)).text();
  expect(detail).not.toContain("/erase");
  const post = await manager.browser.request("POST", `/dashboard/customers/${seeded.customerId}/erase`, {
    form: { _csrf: manager.csrf, confirm: seeded.customerId },
  });
  expect(post.status).toBe(403);
  expect((await h.runtime.prisma.customer.findUniqueOrThrow({ where: { id: seeded.customerId } })).name).toBe(
    "Rosalind Franklin",
  );
});
