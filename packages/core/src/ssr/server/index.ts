export { renderComponent } from './render.js';
export type { RenderedComponent } from './render.js';
