/** The strings of examples/blog/src/shared/head.ts, so both apps print the same head. */
export const SITE_NAME = 'Field Notes';
export const SITE_DESCRIPTION = 'Essays on building and running web software: rendering, caching, testing, operations.';
