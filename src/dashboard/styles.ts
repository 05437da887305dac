/** The dashboard's whole stylesheet: small, inline (with the CSP nonce), no external assets. */
export const DASHBOARD_CSS = `
:root { color-scheme: light dark; --fg: #1d232b; --muted: #525b67; --bg: #f7f7f5; --card: #fff; --line: #dcdfe3;
  --accent: #0b6e4f; --danger: #b3261e; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8eaed; --muted: #a0a8b3; --bg: #15181c; --card: #1e2227;
  --line: #343a42; --accent: #4cc38a; --danger: #f28b82; } }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
header.top { display: flex; align-items: center; gap: 1.5rem; padding: .6rem 1.5rem; background: var(--card);
  border-bottom: 1px solid var(--line); flex-wrap: wrap; }
header.top .brand { font-weight: 700; text-decoration: none; color: var(--fg); }
nav.main { display: flex; gap: 1rem; flex: 1; flex-wrap: wrap; }
nav.main a { text-decoration: none; color: var(--muted); padding: .2rem 0; }
nav.main a[aria-current="page"] { color: var(--fg); border-bottom: 2px solid var(--accent); }
.who { display: flex; align-items: center; gap: .75rem; color: var(--muted); }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1.25rem; }
.narrow { max-width: 24rem; margin: 4rem auto; }
label { display: block; margin: .75rem 0 .25rem; font-weight: 600; }
input[type=email], input[type=password], input[type=text], select, textarea { width: 100%; padding: .5rem;
  border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); font: inherit; }
button { font: inherit; padding: .45rem 1rem; border-radius: 6px; border: 1px solid var(--accent);
  background: var(--accent); color: #fff; cursor: pointer; }
a.button { display: inline-block; padding: .45rem 1rem; border-radius: 6px; border: 1px solid var(--accent);
  background: var(--accent); color: #fff; text-decoration: none; }
/* Destructive actions look unlike Save: outlined in the danger colour; the confirming button is filled. */
button.danger, a.button.danger { background: transparent; color: var(--danger); border-color: var(--danger); }
button.danger.confirm { background: var(--danger); color: var(--card); }
button.link { background: none; border: none; color: var(--accent); padding: 0; text-decoration: underline; }
.error { color: var(--danger); border-left: 3px solid var(--danger); padding-left: .75rem; }
.muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; margin: 16px 0; }
.metric h2 { font-size: 0.95rem; margin: 0; }
.big { font-size: 2rem; font-weight: 700; margin: 6px 0; }
.chart { width: 100%; height: auto; max-height: 200px; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 12px; margin: 16px 0; }
.figure .big a { color: inherit; text-decoration-thickness: 1px; text-underline-offset: 4px; }
.figure .compare { margin: 0 0 .25rem; }
.trend { width: 100%; height: auto; margin-top: .5rem; }
.burn { width: 100%; max-width: 36rem; height: auto; }
.active-filters { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .5rem .75rem; }
.active-filters .clear { margin-left: .5rem; white-space: nowrap; }
.filters { margin: 8px 0 4px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; z-index: 2; }
.skip:focus { left: .5rem; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
details.menu { display: none; position: relative; }
details.menu summary { cursor: pointer; padding: .35rem .8rem; border: 1px solid var(--line); border-radius: 6px;
  list-style: none; }
details.menu summary::-webkit-details-marker { display: none; }
details.menu summary::before { content: "☰ "; }
details.menu nav.main { position: absolute; right: 0; top: 2.4rem; z-index: 3; flex-direction: column; gap: 0;
  background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .4rem 0; min-width: 12rem; }
details.menu nav.main a { padding: .55rem 1rem; color: var(--fg); }
p.zone { margin-top: 2rem; font-size: .85rem; }
pre, code { overflow-wrap: anywhere; white-space: pre-wrap; }
@media (max-width: 760px) {
  header.top { gap: .75rem; padding: .5rem 1rem; flex-wrap: nowrap; }
  nav.main.wide { display: none; }
  details.menu { display: block; margin-left: auto; }
  .who { gap: .5rem; font-size: .85rem; }
  .who > span { display: none; }
  main { padding: 1rem; }
  table, thead, tbody, tr, th, td { display: block; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  tr { background: var(--card); border: 1px solid var(--line); border-radius: 8px; margin: 0 0 .75rem; padding: .5rem .75rem; }
  td { border: none; padding: .2rem 0; overflow-wrap: anywhere; }
  td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
  input, select, textarea { max-width: 100%; }
}
`;
