/**
 * Plays the three stories against a running makegood (`npm start` first):
 *
 *   npm run demo
 *
 * 1. Flight MG304 is cancelled — flight-ops sends the event three times.
 * 2. Grace's order for an event will be four days late — the overnight gift
 *    needs a manager, and the demo approves it like a manager would.
 * 3. A QA check fails on Northwind's report — Sarah Chen, the account lead, owns it.
 *
 * Then it prints what each customer received. It uses a temporary API key
 * (created in the database, revoked at the end).
 */
import { createApiKey } from "../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../src/auth/prisma-key-store.ts";
import { loadConfig } from "../src/config.ts";
import { openMigratedPrisma } from "../src/db/sqlite.ts";
import { runningServerAddress } from "../src/server-address.ts";
import { runCli } from "./cli.ts";

const config = loadConfig(process.env);
// The server started with `npm start` records where it listens beside its database.
const base =
  process.env.MAKEGOOD_URL ??
  (process.env.PORT ? undefined : runningServerAddress(config.DATABASE_FILE)) ??
  `http://${config.HOST}:${config.PORT}`;
const run = Date.now().toString(36);
const now = new Date();
const at = (minutesFromNow: number) => new Date(now.getTime() + minutesFromNow * 60_000).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const { prisma } = openMigratedPrisma(config.DATABASE_FILE);
  const store = prismaApiKeyStore(prisma);
  const key = await createApiKey(store, `demo ${run}`, ["events:write", "customers:write", "read", "approve"]);
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key.secret}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (response.status >= 400) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  try {
    await fetch(`${base}/healthz`).catch(() => {
      throw new Error(`makegood is not answering at ${base}; start it with npm start`);
    });
    console.log(`\n▶ Story 1 — flight MG304 cancelled (flight-ops sends it three times)`);
    const flight = {
      id: `flightops-MG304-${run}`,
      type: "flight.status_changed",
      occurredAt: at(0),
      data: {
        flightNumber: "MG304",
        date: at(0).slice(0, 10),
        status: "cancelled",
        reason: "a crew shortage",
        origin: "London Gatwick",
        destination: "Lyon",
        departsAt: at(240),
        bookings: [
          {
            bookingRef: `QX${run.slice(-4).toUpperCase()}A`,
            customerId: "demo-ada",
            rebookedFlight: { flightNumber: "MG306", departsAt: at(540) },
          },
          {
            bookingRef: `QX${run.slice(-4).toUpperCase()}B`,
            customerId: "demo-camille",
            rebookedFlight: { flightNumber: "MG306", departsAt: at(540) },
          },
        ],
      },
    };
    for (let i = 1; i <= 3; i++) console.log(`  send #${i}:`, JSON.stringify(await api("POST", "/api/events", flight)));

    console.log(`\n▶ Story 2 — Grace's order for her launch party will be four days late`);
    const orderId = `ORD-${run.toUpperCase()}`;
    await api("POST", "/api/events", {
      id: `carrier-${orderId}-eta`,
      type: "shipment.eta_updated",
      occurredAt: at(0),
      data: {
        orderId,
        customerId: "demo-grace",
        promisedBy: at(24 * 60),
        newEta: at(5 * 24 * 60),
        carrier: "ParcelCo",
        reason: "a storm closed the carrier's hub",
        trackingUrl: `https://track.example.com/${orderId}`,
        important: true,
        items: [{ sku: "LANTERN-6", name: "Party lanterns" }],
      },
    });
    const pending = await waitFor(async () => {
      const list = (await api("GET", "/api/disruptions?customerId=demo-grace&status=awaiting_approval"))
        .disruptions as Array<{ id: string }>;
      return list[0];
    }, "the approval request");
    console.log(`  the overnight gift is above the auto-approve limit: approval pending on ${pending.id}`);
    console.log(
      "  a manager approves it:",
      JSON.stringify(
        await api("POST", `/api/disruptions/${pending.id}/approval`, {
          decision: "approve",
          note: "launch party — worth it",
        }),
      ),
    );

    console.log(`\n▶ Story 3 — QA finds errors in a report already sent to Northwind`);
    await api("POST", "/api/events", {
      id: `qa-REP-${run}`,
      type: "deliverable.qa_failed",
      occurredAt: at(0),
      data: {
        deliverableId: `REP-${run}`,
        customerId: "demo-northwind",
        title: "Q4 market sizing report",
        deliveredAt: at(-24 * 60),
        issues: [{ summary: "The EMEA totals double-count Ireland", severity: "major" }],
      },
    });

    await sleep(1500);
    console.log("\n▶ What each customer received\n");
    for (const customerId of ["demo-ada", "demo-camille", "demo-grace", "demo-northwind"]) {
      const disruptions = (await api("GET", `/api/disruptions?customerId=${customerId}&limit=1`)).disruptions as Array<{
        id: string;
      }>;
      const latest = disruptions[0];
      if (!latest) continue;
      const messages = (await api("GET", `/api/messages?disruptionId=${latest.id}`)).messages as Array<
        Record<string, string | null>
      >;
      for (const m of messages.reverse()) {
        console.log(
          `— ${customerId} · ${m.channel} to ${m.recipient} · ${m.status}${m.scheduledFor ? ` until ${m.scheduledFor} (quiet hours where the customer lives)` : ""}${m.provider ? ` via ${m.provider}` : ""}`,
        );
        console.log(m.channel === "email" ? `  Subject: ${m.subject}\n${indent(m.text ?? "")}` : indent(m.body ?? ""));
        console.log("");
      }
    }
    console.log(`Timelines: ${base}/api/disruptions (API key needed) · docs: ${base}/api/docs\n`);
  } finally {
    await store.revoke(key.prefix, new Date());
    await prisma.$disconnect();
  }
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(200);
  }
  throw new Error(`gave up waiting for ${what}`);
}

runCli(main);
