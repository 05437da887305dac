import type { ReferenceData } from "./reference-data.ts";

/**
 * Who signs a customer's messages: a named person, never "Customer care". Flights and shipments
 * have a contact each in settings (Policies page, "Who signs"; stored as the JSON setting
 * `contact.<family>`); a client's deliverables are signed by the client's account lead, in the
 * first person, and by the deliverable contact when the client has none.
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

export const DEFAULT_CONTACTS: Record<ContactFamily, Omit<Signer, "accountLead">> = {
  flight: { name: "Claire Dubois", email: "claire.dubois@makegood.local", role: "Customer care, flights" },
  shipment: { name: "Tom Becker", email: "tom.becker@makegood.local", role: "Customer care, orders" },
  deliverable: { name: "Priya Shah", email: "priya.shah@makegood.local", role: "Client services" },
};

export const contactSettingKey = (family: ContactFamily) => `contact.${family}`;

export const familyOf = (disruptionKind: string): ContactFamily =>
  disruptionKind.startsWith("flight") ? "flight" : disruptionKind.startsWith("shipment") ? "shipment" : "deliverable";

/** A stored contact, or null when the setting is absent or not a name and an email. */
export function parseContact(value: string | null): Omit<Signer, "accountLead"> | null {
  if (!value) return null;
  try {
    const v = JSON.parse(value) as Record<string, unknown>;
    if (typeof v.name !== "string" || !v.name.trim() || typeof v.email !== "string" || !v.email.includes("@"))
      return null;
    return { name: v.name.trim(), email: v.email.trim(), role: typeof v.role === "string" && v.role ? v.role : null };
  } catch {
    return null;
  }
}

export async function signerFor(
  reference: Pick<ReferenceData, "setting">,
  disruptionKind: string,
  customer: { accountLeadName: string | null; accountLeadEmail: string | null },
): Promise<Signer> {
  const family = familyOf(disruptionKind);
  if (family === "deliverable" && customer.accountLeadName && customer.accountLeadEmail)
    return { name: customer.accountLeadName, email: customer.accountLeadEmail, role: null, accountLead: true };
  const stored = parseContact(await reference.setting(contactSettingKey(family)));
  return { ...(stored ?? DEFAULT_CONTACTS[family]), accountLead: false };
}
