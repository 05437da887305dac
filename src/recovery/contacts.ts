import { isLanguage, languageOf, type PerLanguage } from "../locale/languages.ts";
import type { ReferenceData } from "./reference-data.ts";

/**
 * Who signs a customer's messages: a named person, never "Customer care". Flights and shipments
 * have a contact each in settings (Policies page, "Who signs"; stored as the JSON setting
 * `contact.<family>`); a client's deliverables are signed by the client's account lead, in the
 * first person, and by the deliverable contact when the client has none. The role under the name
 * is read in the customer's language: a stored role is one string, or one per language
 * (`{"en": "Customer care, flights", "fr": "Service client, vols"}`).
 */
export const CONTACT_FAMILIES = ["flight", "shipment", "deliverable"] as const;
export type ContactFamily = (typeof CONTACT_FAMILIES)[number];

export interface Signer {
  name: string;
  email: string;
  /** under the name in the signature */
  role: string | null;
  /** the client's own account lead (deliverables) */
  accountLead: boolean;
}

/** A contact as configured: the role in one language for all, or per language. */
export interface Contact {
  name: string;
  email: string;
  role: string | Partial<PerLanguage> | null;
}

export const DEFAULT_CONTACTS: Record<ContactFamily, Contact> = {
  flight: {
    name: "Claire Dubois",
    email: "claire.dubois@makegood.local",
    role: { en: "Customer care, flights", fr: "Service client, vols", de: "Kundenservice, Flüge" },
  },
  shipment: {
    name: "Tom Becker",
    email: "tom.becker@makegood.local",
    role: { en: "Customer care, orders", fr: "Service client, commandes", de: "Kundenservice, Bestellungen" },
  },
  deliverable: {
    name: "Priya Shah",
    email: "priya.shah@makegood.local",
    role: { en: "Client services", fr: "Service clients", de: "Kundenbetreuung" },
  },
};

/** The role in a locale's language; a role given per language without that one reads in English. */
export function roleIn(role: Contact["role"], locale: string): string | null {
  if (role === null || typeof role === "string") return role;
  return role[languageOf(locale)] ?? role.en ?? null;
}

export const contactSettingKey = (family: ContactFamily) => `contact.${family}`;

export const familyOf = (disruptionKind: string): ContactFamily =>
  disruptionKind.startsWith("flight") ? "flight" : disruptionKind.startsWith("shipment") ? "shipment" : "deliverable";

/** A stored contact, or null when the setting is absent or not a name and an email. */
export function parseContact(value: string | null): Contact | null {
  if (!value) return null;
  try {
    const v = JSON.parse(value) as Record<string, unknown>;
    if (typeof v.name !== "string" || !v.name.trim() || typeof v.email !== "string" || !v.email.includes("@"))
      return null;
    return { name: v.name.trim(), email: v.email.trim(), role: parseRole(v.role) };
  } catch {
    return null;
  }
}

function parseRole(role: unknown): Contact["role"] {
  if (typeof role === "string") return role || null;
  if (!role || typeof role !== "object") return null;
  const out: Partial<PerLanguage> = {};
  for (const [k, v] of Object.entries(role)) if (isLanguage(k) && typeof v === "string" && v) out[k] = v;
  return Object.keys(out).length ? out : null;
}

export async function signerFor(
  reference: Pick<ReferenceData, "setting">,
  disruptionKind: string,
  customer: { accountLeadName: string | null; accountLeadEmail: string | null; locale: string },
): Promise<Signer> {
  const family = familyOf(disruptionKind);
  if (family === "deliverable" && customer.accountLeadName && customer.accountLeadEmail)
    return { name: customer.accountLeadName, email: customer.accountLeadEmail, role: null, accountLead: true };
  const c = parseContact(await reference.setting(contactSettingKey(family))) ?? DEFAULT_CONTACTS[family];
  return { name: c.name, email: c.email, role: roleIn(c.role, customer.locale), accountLead: false };
}
