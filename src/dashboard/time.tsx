/**
 * Times for people: in the viewer's time zone, with the zone named ("Mon 30 Nov, 18:40 CET").
 * The zone comes from the browser: a small script (ZONE_SCRIPT, with the page's CSP nonce) stores
 * `Intl…resolvedOptions().timeZone` in the `mg_tz` cookie; the server reads it per request
 * (`viewerZone`) and pages render `<Time at={…} />`, which reads it from the Viewer context set by
 * the layout. Without the cookie (first page, scripts off) times are in UTC, and say so.
 */
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createContext, useContext } from "hono/jsx";

export const ZONE_COOKIE = "mg_tz";

/** A zone Intl knows, else UTC. */
export function validZone(zone: string | undefined | null): string {
  if (!zone || zone.length > 64) return "UTC";
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return zone;
  } catch {
    return "UTC";
  }
}

export const viewerZone = (c: Context): string => validZone(getCookie(c, ZONE_COOKIE));

/** Stores the browser's zone for the next request (no reload; the zone is always shown beside each time). */
export const ZONE_SCRIPT = `try{var z=Intl.DateTimeFormat().resolvedOptions().timeZone;if(z&&document.cookie.indexOf("${ZONE_COOKIE}="+encodeURIComponent(z))<0)document.cookie="${ZONE_COOKIE}="+encodeURIComponent(z)+"; path=/dashboard; max-age=31536000; samesite=lax"}catch(e){}`;

export const Viewer = createContext<{ zone: string; now: Date }>({ zone: "UTC", now: new Date() });

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, withYear: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${withYear}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      weekday: "short",
      day: "numeric",
      month: "short",
      ...(withYear ? { year: "numeric" } : {}),
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    });
    formatters.set(key, f);
  }
  return f;
}

/** "Mon 30 Nov, 18:40 CET" (the year when it is not this year's). */
export function formatTime(at: Date, zone: string, now: Date = new Date()): string {
  const withYear = at.getUTCFullYear() !== now.getUTCFullYear();
  return formatter(zone, withYear).format(at);
}

/** "London" from Europe/London; "UTC" stays. */
export const cityOf = (zone: string) => (zone.split("/").at(-1) ?? zone).replaceAll("_", " ");

/**
 * A time in the viewer's zone; with `customerZone`, in the customer's as well when it differs:
 * "Mon 30 Nov, 14:15 GMT (customer's time, London)".
 */
export function Time(props: { at: Date | null | undefined; customerZone?: string; empty?: string }) {
  const viewer = useContext(Viewer);
  if (!props.at) return <span class="muted">{props.empty ?? "—"}</span>;
  const at = props.at;
  const customer = props.customerZone ? validZone(props.customerZone) : null;
  return (
    <time datetime={at.toISOString()}>
      {formatTime(at, viewer.zone, viewer.now)}
      {customer && customer !== viewer.zone ? (
        <span class="muted">
          {" "}
          ({formatTime(at, customer, viewer.now).replace(/^.*, /, "")} customer's time, {cityOf(customer)})
        </span>
      ) : null}
    </time>
  );
}
