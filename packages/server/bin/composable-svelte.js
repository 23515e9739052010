#!/usr/bin/env node
// Checked in (not built) so npm links the command even before the first build of a workspace checkout.
import '../dist/dev/cli.js';
