import { Type, type TObject } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  loadServerConfig,
  renderAppConfigDoc,
  renderAppEnvExample,
  ConfigSchema,
} from '../src/subpaths/config.js';

const APP_SECRET = 'app-api-key-that-must-stay-hidden';

const appEnv = Type.Object({
  NOTES_PAGE_SIZE: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Notes per page.' }),
  WEATHER_API_KEY: Type.String({
    minLength: 40,
    'x-secret': 'value',
    'x-error': 'must be at least 40 characters',
    description: 'Key for the weather service.',
  }),
  GREETING: Type.Optional(Type.String({ minLength: 1, description: 'Shown on the home page.' })),
});

function problemsOf(env: Record<string, string>, schema: TObject = appEnv): readonly string[] {
  try {
    loadServerConfig(env, {}, schema);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe("an app's own environment variables (defineApp({ env }))", () => {
  it('are converted, defaulted and given to the app as config.app', () => {
    const config = loadServerConfig({ WEATHER_API_KEY: 'k'.repeat(40), NOTES_PAGE_SIZE: '5' }, {}, appEnv);
    expect(config.app).toEqual({ WEATHER_API_KEY: 'k'.repeat(40), NOTES_PAGE_SIZE: 5 });
    const defaulted = loadServerConfig({ WEATHER_API_KEY: 'k'.repeat(40) }, {}, appEnv);
    expect(defaulted.app).toMatchObject({ NOTES_PAGE_SIZE: 20 });
  });

  it("lists the app's problems and the server's together, in one error", () => {
    const problems = problemsOf({ NOTES_PAGE_SIZE: 'many', PORT: '70000', NODE_ENV: 'production' });
    expect(problems).toEqual([
      'PORT: must be an integer from 0 to 65535; got "70000"',
      'SESSION_SECRET: required in production (at least 32 characters, e.g. `openssl rand -base64 48`)',
      'NOTES_PAGE_SIZE: must be an integer from 1 to 100; got "many"',
      'WEATHER_API_KEY: required, not set',
    ]);
  });

  it('never prints an app secret, only what is wrong with it', () => {
    const problems = problemsOf({ WEATHER_API_KEY: APP_SECRET });
    expect(problems).toEqual([
      'WEATHER_API_KEY: must be at least 40 characters; got a value of 33 characters (not shown: it is a secret)',
    ]);
    expect(problems.join('\n')).not.toContain(APP_SECRET);
  });

  it('refuses an app variable that shadows a server one', () => {
    const shadowing = Type.Object({ PORT: Type.String({ default: 'x' }) });
    expect(problemsOf({}, shadowing)).toContain(
      "PORT: declared by the app's env schema but it is a server variable; rename the app's",
    );
  });

  it("documents the app's variables before the server's, required ones marked", () => {
    const doc = renderAppConfigDoc(appEnv);
    expect(doc).toContain('| `NOTES_PAGE_SIZE` | integer 1–100 | `20` | Notes per page. |');
    expect(doc).toContain('| `WEATHER_API_KEY` | string | **required** | Key for the weather service. |');
    expect(doc.indexOf('`NOTES_PAGE_SIZE`')).toBeLessThan(doc.indexOf('`PORT`'));
    const example = renderAppEnvExample(appEnv);
    expect(example).toMatch(/# \(required\)\n# WEATHER_API_KEY=\n/);
    for (const name of Object.keys(ConfigSchema.properties)) expect(example).toMatch(new RegExp(`^# ${name}=`, 'm'));
  });
});
