/** An action an effect delivered while the page was settling, and when (ms after settling began). */
export interface EffectArrival {
  readonly action: string;
  readonly atMs: number;
}

export interface PageTimings {
  readonly loadMs: number;
  readonly settleMs: number;
  readonly renderMs: number;
  readonly effects: readonly EffectArrival[];
}

const MAX_LISTED_EFFECTS = 20;
const quoted = (text: string) => `"${text.replace(/[^\x20-\x7e]|["\\]/g, '')}"`;

/**
 * `Server-Timing` for a rendered page (development): `load` (the app's load and its first actions),
 * `settle` (awaiting the effects), `render`, and one `effect` entry per action an effect delivered,
 * its duration being when it arrived — the browser's network panel draws them as a waterfall.
 */
export function serverTimingHeader(timings: PageTimings): string {
  const ms = (value: number) => value.toFixed(1);
  const entries = [
    `load;dur=${ms(timings.loadMs)}`,
    `settle;dur=${ms(timings.settleMs)};desc=${quoted(`${timings.effects.length} effect results`)}`,
    `render;dur=${ms(timings.renderMs)}`,
    ...timings.effects
      .slice(0, MAX_LISTED_EFFECTS)
      .map((effect, index) => `effect-${index + 1};dur=${ms(effect.atMs)};desc=${quoted(effect.action)}`),
  ];
  return entries.join(', ');
}

/** The `type` of an action, for naming it in the timings. */
export function actionName(action: unknown): string {
  const type = (action as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : 'action';
}
