import type { PrismaClient } from "../db/generated/node/client.ts";

/** The customers of the three stories, so a fresh `npm start` has someone to recover for. */
export const DEMO_CUSTOMERS = [
  {
    id: "demo-ada",
    name: "Ada Lovelace",
    email: "ada@example.com",
    phone: "+447911123456",
    locale: "en-GB",
    timeZone: "Europe/London",
    tier: "standard",
    preferredChannel: "both",
    consentEmail: true,
    consentSms: true,
  },
  {
    id: "demo-camille",
    name: "Camille Martin",
    email: "camille@example.fr",
    phone: "+33612345678",
    locale: "fr-FR",
    timeZone: "Europe/Paris",
    tier: "standard",
    preferredChannel: "both",
    consentEmail: true,
    consentSms: true,
  },
  {
    id: "demo-grace",
    name: "Grace Hopper",
    email: "grace@example.com",
    phone: "+12125550101",
    locale: "en-US",
    timeZone: "America/New_York",
    tier: "valued",
    preferredChannel: "both",
    consentEmail: true,
    consentSms: true,
  },
  {
    id: "demo-northwind",
    name: "Olivia Park",
    email: "olivia@northwind.example",
    phone: null,
    locale: "en-GB",
    timeZone: "Europe/London",
    tier: "vip",
    preferredChannel: "email",
    consentEmail: true,
    consentSms: false,
    accountLeadName: "Sarah Chen",
    accountLeadEmail: "sarah@firm.example",
  },
];

/** Seeds the demo customers into an empty customer table; returns how many were added. */
export async function seedDemoCustomers(prisma: PrismaClient): Promise<number> {
  if ((await prisma.customer.count()) > 0) return 0;
  await prisma.customer.createMany({ data: DEMO_CUSTOMERS });
  return DEMO_CUSTOMERS.length;
}
