/**
 * The flow book's CSS and its one script, inline so the page is a single
 * file that needs nothing from the network.
 */

export const BOOK_CSS = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5d6677; --line: #d9dee7; --paper: #ffffff; --wash: #f5f7fa; --accent: #2f5bb7; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--wash); color: var(--ink); font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.book, main { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
header.book { padding-top: 32px; padding-bottom: 8px; }
h1 { font-size: 2rem; margin: 0 0 4px; }
h2 { font-size: 1.5rem; margin: 0 0 4px; }
h3 { font-size: 1.05rem; margin: 24px 0 8px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
a { color: var(--accent); }
code { font: .9em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--wash); border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; }
.muted { color: var(--muted); }
nav.toc, section.flow { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px; margin: 20px 0; }
nav.toc h2 { font-size: 1.1rem; }
nav.toc ol { margin: 8px 0 0; padding-left: 24px; }
nav.toc li { margin: 4px 0; }
nav.toc li span { color: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: 8px 16px; margin: 12px 0 0; padding: 0; list-style: none; font-size: .9rem; color: var(--muted); }
.legend li::before { content: ""; display: inline-block; width: 12px; height: 12px; margin-right: 6px; border-radius: 3px; vertical-align: -1px; border: 1px solid var(--sw-stroke); background: var(--sw-fill); }
.legend .trigger { --sw-fill: #e7efff; --sw-stroke: #3b63c4; }
.legend .wait { --sw-fill: #fff5d6; --sw-stroke: #b7860b; }
.legend .decision { --sw-fill: #f1eaff; --sw-stroke: #7552c2; }
.legend .loop { --sw-fill: #e3f5ec; --sw-stroke: #2f8557; }
.legend .parallel { --sw-fill: #fdf0e4; --sw-stroke: #bf6a1f; }
.legend .subflow { --sw-fill: #e5f6f8; --sw-stroke: #1f7f8c; }
.legend .fail { --sw-fill: #fde8e8; --sw-stroke: #c43d3d; }
.description { font-size: 1.1rem; margin: 4px 0 16px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 20px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
table { width: 100%; border-collapse: collapse; font-size: .95rem; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line); }
th { background: var(--wash); font-weight: 600; }
.diagram { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; padding: 12px; background: #fff; }
.diagram pre.mermaid { margin: 0; text-align: center; font-size: .85rem; white-space: pre-wrap; }
.diagram svg { max-width: 100%; height: auto; }
#diagram-status { background: #fff5d6; border: 1px solid #b7860b; border-radius: 8px; padding: 10px 14px; }
footer { max-width: 1120px; margin: 0 auto; padding: 8px 24px 40px; color: var(--muted); font-size: .9rem; }
`;

/**
 * Renders every diagram once Mermaid has loaded, and records the outcome on
 * <body data-diagrams> so a test (or a person with devtools) can tell a
 * rendered book from a broken one. Without Mermaid the Mermaid text stays
 * visible, which is still a readable description of the flow.
 */
export const BOOK_SCRIPT = `
(() => {
  const status = document.getElementById("diagram-status");
  if (typeof mermaid === "undefined") {
    document.body.dataset.diagrams = "unavailable";
    status.hidden = false;
    return;
  }
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral", flowchart: { htmlLabels: true, useMaxWidth: true } });
  mermaid.run({ querySelector: "pre.mermaid" }).then(
    () => { document.body.dataset.diagrams = "rendered"; },
    (error) => { document.body.dataset.diagrams = "failed"; console.error("Mermaid could not render a diagram:", error); },
  );
})();
`;
