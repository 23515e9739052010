import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serializeState } from '@composable-svelte/core/ssr';

/** The module an error page loads in development: it shows Vite's overlay with the embedded error. */
export const OVERLAY_MODULE_PATH = '/@composable-svelte/dev-overlay.js';
const OVERLAY_DATA_ID = 'composable-svelte-dev-error';

// An external module, not inline script: the development CSP stays as strict as production's.
export const OVERLAY_MODULE_SOURCE = `import { ErrorOverlay } from '/@vite/client';
const data = document.getElementById(${JSON.stringify(OVERLAY_DATA_ID)});
if (data) document.body.appendChild(new ErrorOverlay(JSON.parse(data.textContent)));
`;

/** The shape Vite's ErrorOverlay reads. */
export interface OverlayError {
  readonly message: string;
  readonly stack: string;
  readonly loc?: { readonly file: string; readonly line: number; readonly column: number };
  readonly frame?: string;
}

const FRAME = /\(?((?:file:\/\/)?\/[^()\s]+?):(\d+):(\d+)\)?\s*$/;

/** The first stack frame in the app's own source: where the developer has to look. */
export function appLocation(stack: string, root: string): OverlayError['loc'] {
  for (const line of stack.split('\n').slice(1)) {
    const match = FRAME.exec(line);
    if (!match) continue;
    const file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    if (file.startsWith(root) && !file.includes('/node_modules/')) {
      return { file, line: Number(match[2]), column: Number(match[3]) };
    }
  }
  return undefined;
}

/** Two lines either side of the failing one, numbered, with a caret under the column. */
function codeFrame(loc: NonNullable<OverlayError['loc']>): string | undefined {
  let lines: string[];
  try {
    lines = readFileSync(loc.file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const first = Math.max(1, loc.line - 2);
  const last = Math.min(lines.length, loc.line + 2);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    out.push(`${n === loc.line ? '>' : ' '} ${String(n).padStart(width)} | ${lines[n - 1]}`);
    if (n === loc.line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, loc.column - 1))}^`);
  }
  return out.join('\n');
}

export function overlayError(error: unknown, root: string): OverlayError {
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? (error.stack ?? message) : message;
  const loc = appLocation(stack, root);
  const frame = loc ? codeFrame(loc) : undefined;
  return { message, stack, ...(loc ? { loc } : {}), ...(frame ? { frame } : {}) };
}

/** The error as a JSON data block and the overlay module: no inline executable script. */
export function overlayMarkup(error: OverlayError): string {
  return (
    `<script type="application/json" id="${OVERLAY_DATA_ID}">${serializeState(error)}</script>` +
    `<script type="module" src="${OVERLAY_MODULE_PATH}"></script>`
  );
}
