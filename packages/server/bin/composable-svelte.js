#!/usr/bin/env node
// Checked in (not built) so npm links the command even before the first build of a workspace checkout.
if (process.argv[2] === 'prerender') await import('../dist/prerender/cli.js');
else await import('../dist/dev/cli.js');
