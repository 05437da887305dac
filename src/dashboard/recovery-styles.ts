/** Styles for the recovery, approval and outbox pages (sent with the CSP nonce, like the main sheet). */
export const RECOVERY_CSS = `
form.filters { display: flex; gap: .75rem; flex-wrap: wrap; align-items: end; margin-bottom: 1rem; }
form.filters label { margin: 0; font-weight: 600; font-size: .85rem; }
form.filters input, form.filters select { width: auto; max-width: 100%; display: block; padding: .35rem; }
form.filters label { max-width: 100%; }
.pager { display: flex; gap: 1rem; margin-top: 1rem; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 999px; border: 1px solid var(--line); font-size: .8rem; }
.badge.pending { border-color: #8a5a12; color: #8a5a12; }
ol.timeline { list-style: none; padding: 0; margin: 0; border-left: 2px solid var(--line); }
ol.timeline > li { position: relative; margin: 0 0 1.25rem 1rem; }
ol.timeline > li::before { content: ""; position: absolute; left: -1.42rem; top: .45rem; width: .7rem; height: .7rem;
  border-radius: 50%; background: var(--accent); }
.when { color: var(--muted); font-size: .85rem; }
.why { color: var(--muted); margin: .2rem 0; }
.preview { margin: .75rem 0; max-width: 44rem; }
.email-head { background: var(--bg); border: 1px solid var(--line); border-bottom: none; border-radius: 8px 8px 0 0;
  padding: .4rem .75rem; }
iframe.email { display: block; width: 100%; height: 40rem; border: 1px solid var(--line); border-radius: 0 0 8px 8px; background: #fff; }
.phone { max-width: 20rem; background: var(--bg); border: 1px solid var(--line); border-radius: 18px; padding: 1rem; }
.bubble { background: #e9e9eb; color: #111; border-radius: 16px 16px 16px 4px; padding: .55rem .8rem;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; margin-bottom: 1.5rem; }
.approval { margin-bottom: 1.5rem; }
.approval h3 { font-size: .95rem; margin: .5rem 0 .25rem; }
.approval .lead { font-size: 1.05rem; }
.facts-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: .5rem 1.25rem; }
.facts-grid p { margin: .2rem 0; }
ul.told { margin: .2rem 0; padding-left: 1.1rem; }
.previews { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; margin: .75rem 0;
  border-top: 1px solid var(--line); }
.decide { display: grid; gap: .4rem; max-width: 28rem; }
.decide .buttons { display: flex; gap: .5rem; }
button.deny { background: var(--danger); border-color: var(--danger); }
.check { font-weight: 400; display: flex; gap: .4rem; align-items: center; }
ol.delivery { margin: .3rem 0; padding-left: 1.2rem; font-size: .85rem; color: var(--muted); }
ol.delivery li.delivery-delivered { color: #25683f; }
ol.delivery li.delivery-bounced, ol.delivery li.delivery-undelivered, ol.delivery li.delivery-failed,
ol.delivery li.delivery-complained { color: var(--danger); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem; margin: .5rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
`;
