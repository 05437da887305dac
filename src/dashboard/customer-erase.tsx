/**
 * Erasing a customer's personal data from the dashboard (admins): a form on each recovery, which
 * asks for the customer's id typed again, and POST /dashboard/customers/:id/erase. CSRF-checked
 * like every form (requireUser), audited as customer.erase. What it erases: src/privacy/erase.ts.
 */
import { audit, userActor } from "../auth/audit.ts";
import { AppError } from "../http/errors.ts";
import { eraseCustomer } from "../privacy/erase.ts";
import { CsrfField } from "./layout.tsx";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";

export function EraseCustomerForm(props: { customerId: string; erased: boolean; csrf: string }) {
  const action = `/dashboard/customers/${encodeURIComponent(props.customerId)}/erase`;
  return (
    <section class="card erase" data-erase={props.customerId}>
      <h2>Personal data</h2>
      {props.erased ? (
        <p class="muted">This customer's personal data was erased.</p>
      ) : (
        <form method="post" action={action}>
          <CsrfField token={props.csrf} />
          <p>
            Erase this customer's name, email, phone and everything written to them, in every recovery. The recoveries
            stay, anonymised, for the metrics. This cannot be undone.
          </p>
          <label for="erase-confirm">Type the customer id ({props.customerId}) to confirm</label>
          <input type="text" id="erase-confirm" name="confirm" autocomplete="off" required />
          <button type="submit" class="deny">
            Erase personal data
          </button>
        </form>
      )}
    </section>
  );
}

export function customerEraseRoutes(app: DashboardApp, deps: DashboardDeps): void {
  page(app, "POST", "/dashboard/customers/:id/erase", async (c) => {
    const id = c.req.param("id") ?? "";
    const body = await c.req.parseBody();
    if (body.confirm !== id)
      throw new AppError("validation_failed", "type the customer's id to confirm the erasure", [
        { field: "confirm", message: "must be the customer's id" },
      ]);
    const report = await eraseCustomer(deps.prisma, id, deps.now(), { engine: deps.engineStore });
    if (!report) throw new AppError("not_found", "no customer with that id");
    await audit(
      deps.prisma,
      userActor(c.var.user),
      "customer.erase",
      id,
      { alreadyErased: report.alreadyErased, changed: report.changed },
      deps.now(),
    );
    return c.redirect(`/dashboard/recoveries?${new URLSearchParams({ customer: id, erased: id })}`, 303);
  });
}
