/**
 * Dashboard roles and what each may do. Routes ask for a capability, never a role,
 * so changing who may do what is an edit here (and the role × route matrix test follows).
 */
export const ROLES = ["viewer", "cx_editor", "manager", "admin"] as const;
export type Role = (typeof ROLES)[number];

const ALL: readonly Role[] = ROLES;

/** capability → the roles that have it. */
export const CAPABILITIES = {
  "dashboard:view": ALL,
  "recoveries:view": ALL,
  "attention:view": ALL,
  "approvals:view": ALL,
  "approvals:decide": ["manager", "admin"],
  "templates:view": ALL,
  "templates:edit": ["cx_editor", "admin"],
  "templates:publish": ["cx_editor", "admin"],
  "policies:view": ALL,
  "policies:edit": ["manager", "admin"],
  "outbox:view": ["cx_editor", "manager", "admin"],
  "audit:view": ["manager", "admin"],
  "keys:manage": ["admin"],
  "users:manage": ["admin"],
  "customers:erase": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof CAPABILITIES;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isCapability(value: string): value is Capability {
  return Object.hasOwn(CAPABILITIES, value);
}

/** viewer < cx_editor < manager < admin. */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

/** Deny by default: an unknown role or capability has nothing. */
export function can(role: string, capability: Capability): boolean {
  return isRole(role) && isCapability(capability) && (CAPABILITIES[capability] as readonly Role[]).includes(role);
}
