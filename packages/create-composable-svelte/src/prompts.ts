import { createInterface } from 'node:readline/promises';
import { checkAppName, TEMPLATES, type Template } from './options.js';

/** Questions on a terminal: an answer left empty takes the default shown in brackets. */
export async function askMissing(
  given: { name: string | undefined; template: Template | undefined },
  defaults: { name: string; template: Template },
): Promise<{ name: string; template: Template }> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    let name = given.name;
    while (name === undefined) {
      const answer = (await terminal.question(`App name [${defaults.name}]: `)).trim() || defaults.name;
      const problem = checkAppName(answer);
      if (problem) console.error(`  ${problem}`);
      else name = answer;
    }
    let template = given.template;
    while (template === undefined) {
      const answer =
        (
          await terminal.question(
            `Template — minimal (one page, a reducer, its test) or full (notes: database, accounts, live, jobs) [${defaults.template}]: `,
          )
        ).trim() || defaults.template;
      if (TEMPLATES.includes(answer as Template)) template = answer as Template;
      else console.error(`  one of ${TEMPLATES.join(', ')}`);
    }
    return { name, template };
  } finally {
    terminal.close();
  }
}
