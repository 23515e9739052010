/** Command-line options of bench/run.mjs. */
export const DEFAULT_PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export const USAGE = `Usage: node bench/run.mjs [options]      (or: npm run bench -- [options])

  --quick              1 round x 3 s per scenario, short warm-up, 3 starts per server
  --rounds <n>         measured rounds per scenario (default 3)
  --duration <s>       seconds per round (default 5)
  --connections <n>    concurrent connections (default 50)
  --warmup <s>         warm-up seconds per scenario before the rounds (default 2)
  --starts <n>         cold starts per server for the start-up time (default 5)
  --tier <t>           embedded, postgres or both (default both): which database tiers to measure
  --pg-admin-url <url> PostgreSQL server of the postgres tier, as a URL to a database the bench may
                       connect to (default postgres://postgres@127.0.0.1:5432/postgres); the bench
                       drops and creates its own database cs_bench there and touches no other
  --only <list>        comma-separated scenario ids to measure (see --list)
  --list               print the scenario ids and exit
  --json               print the results as JSON on stdout (the table goes to stderr)
  --no-jobs            skip the background-jobs benchmark (packages/server/bench/jobs.mjs)
  --no-live            skip the live channels benchmark (bench/live.mjs: idle sockets, fan-out)
  --no-build           use the existing builds as they are
  --rebuild            rebuild the blog and the SvelteKit peer even when up to date
  -h, --help           this text
`;

function positive(name, raw, { integer = true } = {}) {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}; got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function parseArgs(argv) {
  const options = {
    rounds: 3,
    duration: 5,
    connections: 50,
    warmup: 2,
    starts: 5,
    only: null,
    tiers: ['embedded', 'postgres'],
    pgAdminUrl: DEFAULT_PG_ADMIN_URL,
    list: false,
    json: false,
    jobs: true,
    live: true,
    build: 'auto',
    quick: false,
    help: false,
  };
  const explicit = new Set();
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] =
      argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      i += 1;
      if (i >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[i];
    };
    switch (flag) {
      case '--quick':
        options.quick = true;
        break;
      case '--no-jobs':
        options.jobs = false;
        break;
      case '--rounds':
        options.rounds = positive(flag, value());
        explicit.add('rounds');
        break;
      case '--duration':
        options.duration = positive(flag, value(), { integer: false });
        explicit.add('duration');
        break;
      case '--connections':
        options.connections = positive(flag, value());
        break;
      case '--warmup':
        options.warmup = Number(value());
        explicit.add('warmup');
        if (!(options.warmup >= 0)) throw new Error('--warmup must be 0 or more seconds');
        break;
      case '--starts':
        options.starts = positive(flag, value());
        explicit.add('starts');
        break;
      case '--only':
        options.only = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case '--tier': {
        const tier = value();
        if (!['embedded', 'postgres', 'both'].includes(tier)) {
          throw new Error(`--tier must be embedded, postgres or both; got ${JSON.stringify(tier)}`);
        }
        options.tiers = tier === 'both' ? ['embedded', 'postgres'] : [tier];
        break;
      }
      case '--pg-admin-url':
        options.pgAdminUrl = value();
        if (!/^postgres(ql)?:\/\//.test(options.pgAdminUrl)) {
          throw new Error(`--pg-admin-url must be a postgres:// URL; got ${JSON.stringify(options.pgAdminUrl)}`);
        }
        break;
      case '--list':
        options.list = true;
        break;
      case '--json':
        options.json = true;
        break;
      case '--no-live':
        options.live = false;
        break;
      case '--no-build':
        options.build = 'never';
        break;
      case '--rebuild':
        options.build = 'always';
        break;
      case '-h':
      case '--help':
        options.help = true;
        break;
      default:
        throw new Error(`unknown option ${argv[i]}\n\n${USAGE}`);
    }
  }
  if (options.quick) {
    if (!explicit.has('rounds')) options.rounds = 1;
    if (!explicit.has('duration')) options.duration = 3;
    if (!explicit.has('warmup')) options.warmup = 1;
    if (!explicit.has('starts')) options.starts = 3;
  }
  // Hard bounds: every load run must stop by itself; run.mjs also caps the sum of all of them.
  if (options.duration > 60) throw new Error('--duration is capped at 60 s per round');
  if (options.rounds > 10) throw new Error('--rounds is capped at 10');
  if (options.connections > 1000) throw new Error('--connections is capped at 1000');
  if (options.starts > 20) throw new Error('--starts is capped at 20');
  return options;
}
