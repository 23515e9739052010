// Preloaded with `--import`: records the URL of every module the process resolves, and writes the
// list, one a line, to MODULE_LIST_FILE when the process receives SIGUSR2.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const resolved = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    resolved.add(result.url);
    return result;
  },
});
process.on('SIGUSR2', () => writeFileSync(process.env.MODULE_LIST_FILE, [...resolved].join('\n')));
