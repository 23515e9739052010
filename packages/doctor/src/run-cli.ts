import { parseArgs } from 'node:util';
import { audit, type AuditOptions } from './audit/audit.js';
import { AuditError } from './audit/collect.js';
import { formatReport } from './audit/format.js';
import { LETTER_GRADES } from './observatory/grade.js';

export const EXIT_OK = 0;
export const EXIT_CHECKS_FAILED = 1;
export const EXIT_USAGE = 2;

export const USAGE = `Usage: composable-svelte-doctor <url> [options]

Audits a live deployment for production readiness and exits non-zero when a check fails.

Options:
  --json              print the report as JSON
  --api <path>        a JSON API path to grade (e.g. /api/posts)
  --path <path>       another page to audit (repeatable), e.g. one that sets cookies
  --http-port <port>  a plain-HTTP port on the same host that must redirect to HTTPS
  --http-url <url>    a plain-HTTP URL that must redirect to HTTPS
  --require-https     fail HTTPS checks on plain HTTP even on localhost
  --min-grade <grade> lowest Observatory grade that passes (default A+)
  --health <path>     liveness probe (default /health)
  --ready <path>      readiness probe (default /ready)
  --metrics <path>    metrics endpoint that must not be public (default /metrics)
  --timeout <ms>      per request (default 10000)
  -h, --help          show this help

Exit codes: 0 every check passed (warnings and skips allowed), 1 a check failed,
2 bad arguments or the URL could not be reached.
`;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

class UsageError extends Error {}

function positiveInteger(name: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max) {
    throw new UsageError(`--${name} must be an integer from 1 to ${max}, got ${JSON.stringify(value)}`);
  }
  return number;
}

function path(name: string, value: string | undefined): string | undefined {
  if (value !== undefined && !value.startsWith('/')) {
    throw new UsageError(`--${name} must be a path starting with /, got ${JSON.stringify(value)}`);
  }
  return value;
}

function parse(argv: readonly string[]): { url: string; json: boolean; help: boolean; options: AuditOptions } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        api: { type: 'string' },
        path: { type: 'string', multiple: true, default: [] },
        'http-port': { type: 'string' },
        'http-url': { type: 'string' },
        'require-https': { type: 'boolean', default: false },
        'min-grade': { type: 'string' },
        health: { type: 'string' },
        ready: { type: 'string' },
        metrics: { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { url: '', json: false, help: true, options: {} };
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? 'missing the URL to audit' : `one URL only, got ${positionals.length}`,
    );
  }
  const minGrade = values['min-grade']?.toUpperCase();
  if (minGrade !== undefined && !LETTER_GRADES.includes(minGrade)) {
    throw new UsageError(
      `--min-grade must be one of ${LETTER_GRADES.join(' ')}, got ${JSON.stringify(values['min-grade'])}`,
    );
  }
  const paths = values.path.map((p) => path('path', p)!);
  const options: AuditOptions = {
    requireHttps: values['require-https'],
    paths,
    ...(minGrade ? { minGrade } : {}),
    ...(values.api !== undefined ? { apiPath: path('api', values.api)! } : {}),
    ...(values['http-port'] !== undefined
      ? { httpPort: positiveInteger('http-port', values['http-port'], 65535)! }
      : {}),
    ...(values['http-url'] !== undefined ? { httpUrl: values['http-url'] } : {}),
    ...(values.health !== undefined ? { healthPath: path('health', values.health)! } : {}),
    ...(values.ready !== undefined ? { readyPath: path('ready', values.ready)! } : {}),
    ...(values.metrics !== undefined ? { metricsPath: path('metrics', values.metrics)! } : {}),
    ...(values.timeout !== undefined ? { timeoutMs: positiveInteger('timeout', values.timeout, 600_000)! } : {}),
  };
  return { url: positionals[0]!, json: values.json, help: false, options };
}

/** The command line, without touching the process: returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command;
  try {
    command = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`composable-svelte-doctor: ${error.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (command.help) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  try {
    const report = await audit(command.url, command.options);
    io.stdout(command.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return report.ok ? EXIT_OK : EXIT_CHECKS_FAILED;
  } catch (error) {
    if (!(error instanceof AuditError)) throw error;
    io.stderr(`composable-svelte-doctor: ${error.message}\n`);
    return EXIT_USAGE;
  }
}
