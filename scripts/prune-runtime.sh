#!/bin/sh
# Removes files Node never executes from a production node_modules: type declarations, TypeScript
# sources, source maps and Markdown. Only files: directories named "types" or "test" can hold
# runtime code (the production smoke test proves the pruned runtime still serves every route).
set -eu
find "${1:?usage: prune-runtime.sh <node_modules>}" -type f \( -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.map' -o -name '*.md' -o -name '*.markdown' \) -delete
