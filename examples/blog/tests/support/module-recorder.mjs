// Preloaded with `--import`: records every module the process resolves and which module asked for
// it, and writes the list, one `url<TAB>parent` a line, to MODULE_LIST_FILE on SIGUSR2.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const resolved = new Map();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    if (!resolved.has(result.url)) resolved.set(result.url, context.parentURL ?? '');
    return result;
  },
});
process.on('SIGUSR2', () =>
  writeFileSync(process.env.MODULE_LIST_FILE, [...resolved].map(([url, parent]) => `${url}\t${parent}`).join('\n')),
);
