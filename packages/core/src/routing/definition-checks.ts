import { BROWSER, DEV } from 'esm-env';

/**
 * Whether route tables and param decoders are checked when they are made. They are on the server,
 * which imports the app's table at start-up, before it serves a page; in development; and in tests.
 * A production browser bundle runs the very table the server checked, so it leaves the checks and
 * their messages out (esm-env's flags are constants its bundler resolves per build).
 */
export const CHECK_DEFINITIONS: boolean = DEV || !BROWSER;
