// The element's look. Every colour and size is a custom property a page may set on
// `herald-inbox` (`--herald-inbox-accent: #0a7`), and every region a part (`::part(panel)`).
// Light by default, dark with `theme="dark"` or, without a theme, when the system prefers it.
export const STYLES = `
:host{--herald-inbox-accent:#2563eb;--herald-inbox-bg:#fff;--herald-inbox-fg:#111827;--herald-inbox-muted:#6b7280;
--herald-inbox-border:#e5e7eb;--herald-inbox-hover:#f3f4f6;--herald-inbox-unread:#eff6ff;--herald-inbox-badge:#dc2626;
--herald-inbox-badge-fg:#fff;--herald-inbox-radius:10px;--herald-inbox-width:380px;--herald-inbox-height:480px;
--herald-inbox-font:system-ui,-apple-system,"Segoe UI",sans-serif;
display:inline-block;position:relative;font-family:var(--herald-inbox-font);color:var(--herald-inbox-fg);line-height:1.4}
:host([theme=dark]){--herald-inbox-accent:#60a5fa;--herald-inbox-bg:#111827;--herald-inbox-fg:#f9fafb;--herald-inbox-muted:#9ca3af;
--herald-inbox-border:#374151;--herald-inbox-hover:#1f2937;--herald-inbox-unread:#172554}
@media (prefers-color-scheme:dark){:host(:not([theme])){--herald-inbox-accent:#60a5fa;--herald-inbox-bg:#111827;
--herald-inbox-fg:#f9fafb;--herald-inbox-muted:#9ca3af;--herald-inbox-border:#374151;--herald-inbox-hover:#1f2937;--herald-inbox-unread:#172554}}
[hidden]{display:none!important}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
button{font:inherit;color:inherit;background:none;border:0;cursor:pointer;padding:4px 8px;border-radius:6px}
button:hover{background:var(--herald-inbox-hover)}
button:focus-visible,a:focus-visible,input:focus-visible{outline:2px solid var(--herald-inbox-accent);outline-offset:1px}
.bell{position:relative;padding:6px;display:inline-flex;color:var(--herald-inbox-fg)}
.bell svg{width:24px;height:24px}
.badge{position:absolute;top:0;right:0;min-width:18px;height:18px;padding:0 5px;box-sizing:border-box;border-radius:9px;
background:var(--herald-inbox-badge);color:var(--herald-inbox-badge-fg);font-size:11px;font-weight:600;line-height:18px;text-align:center}
.panel{position:absolute;right:0;top:calc(100% + 6px);z-index:1000;width:var(--herald-inbox-width);max-width:calc(100vw - 16px);
height:var(--herald-inbox-height);display:flex;flex-direction:column;background:var(--herald-inbox-bg);color:var(--herald-inbox-fg);
border:1px solid var(--herald-inbox-border);border-radius:var(--herald-inbox-radius);box-shadow:0 10px 30px #0003;overflow:hidden}
.header{display:flex;align-items:center;gap:4px;padding:10px 12px;border-bottom:1px solid var(--herald-inbox-border)}
.header h2{font-size:15px;margin:0;flex:1}
.header button{font-size:13px;color:var(--herald-inbox-accent)}
.tabs{display:flex;gap:2px;padding:6px 8px;border-bottom:1px solid var(--herald-inbox-border);align-items:center;font-size:13px}
.tabs [aria-selected=true]{color:var(--herald-inbox-accent);font-weight:600}
.tabs label{margin-left:auto;display:flex;gap:4px;align-items:center;color:var(--herald-inbox-muted)}
.body{flex:1;overflow-y:auto}
ul{list-style:none;margin:0;padding:0}
.item{display:flex;gap:10px;padding:10px 12px;border-bottom:1px solid var(--herald-inbox-border);position:relative}
.item.unread{background:var(--herald-inbox-unread)}
.item:hover{background:var(--herald-inbox-hover)}
.icon{flex:none;width:28px;height:28px;border-radius:50%;display:grid;place-items:center;background:var(--herald-inbox-hover);color:var(--herald-inbox-muted)}
.icon svg{width:16px;height:16px}
.icon.SLA_BREACH,.icon.SECURITY_ALERT{color:#dc2626}.icon.SLA_WARNING{color:#d97706}.icon.ASSIGNMENT{color:var(--herald-inbox-accent)}
.text{flex:1;min-width:0}
.title{display:block;font-weight:600;font-size:14px;color:inherit;text-decoration:none;word-break:break-word;text-align:start;padding:0}
a.title:hover{text-decoration:underline}
.message{font-size:13px;color:var(--herald-inbox-muted);margin:2px 0;word-break:break-word}
time{font-size:12px;color:var(--herald-inbox-muted)}
.dot{position:absolute;right:10px;top:14px;width:8px;height:8px;border-radius:50%;background:var(--herald-inbox-accent)}
.actions{display:flex;gap:2px;margin-top:2px;font-size:12px}
.actions button{color:var(--herald-inbox-muted);padding:2px 6px}
.state{padding:32px 16px;text-align:center;color:var(--herald-inbox-muted);font-size:14px}
.banner{padding:6px 12px;font-size:12px;background:#fef3c7;color:#92400e}
.footer{padding:6px 12px;border-top:1px solid var(--herald-inbox-border);text-align:end;font-size:13px}
table{width:100%;border-collapse:collapse;font-size:13px}
th,td{padding:8px 12px;text-align:start;border-bottom:1px solid var(--herald-inbox-border)}
td{text-align:center}td:first-child{text-align:start}
.lock{font-size:11px;color:var(--herald-inbox-muted);display:block}
`;

/** An icon: the shapes of a 24×24 stroked SVG (fixed data, never built from a notification). */
export type Icon = readonly (readonly ['path', string] | readonly ['circle', number, number, number])[];

const SVG = 'http://www.w3.org/2000/svg';

/**
 * The icon as SVG elements. Built node by node, never from markup, so that the element runs
 * under a Content-Security-Policy that requires Trusted Types (as Herald's console does).
 */
export function svg(icon: Icon): SVGSVGElement {
  const root = document.createElementNS(SVG, 'svg');
  const attributes: Record<string, string> = {
    viewBox: '0 0 24 24',
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': '2',
    'stroke-linecap': 'round',
    'stroke-linejoin': 'round',
    'aria-hidden': 'true',
  };
  for (const [name, value] of Object.entries(attributes)) root.setAttribute(name, value);
  for (const shape of icon) {
    const node = document.createElementNS(SVG, shape[0]);
    if (shape[0] === 'path') node.setAttribute('d', shape[1]);
    else {
      node.setAttribute('cx', String(shape[1]));
      node.setAttribute('cy', String(shape[2]));
      node.setAttribute('r', String(shape[3]));
    }
    root.append(node);
  }
  return root;
}

export const BELL: Icon = [
  ['path', 'M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9'],
  ['path', 'M10.3 21a1.94 1.94 0 0 0 3.4 0'],
];

/** One icon per notification type (fixed data, never built from a notification). */
export const ICONS: Record<string, Icon> = {
  ASSIGNMENT: [
    ['circle', 12, 8, 4],
    ['path', 'M4 21a8 8 0 0 1 16 0'],
  ],
  SLA_WARNING: [
    ['circle', 12, 12, 9],
    ['path', 'M12 7v5l3 2'],
  ],
  SLA_BREACH: [
    ['path', 'M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0'],
    ['path', 'M12 9v4M12 17h.01'],
  ],
  SECURITY_ALERT: [
    ['path', 'M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10'],
    ['path', 'M12 8v4M12 16h.01'],
  ],
  WEBHOOK_DISABLED: [['path', 'M18 6 6 18M6 6l12 12']],
  CUSTOM: [['path', 'M4 4h16v12H5.2L4 17.2z']],
};
