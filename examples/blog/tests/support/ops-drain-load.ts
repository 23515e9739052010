/**
 * Keep-alive load for the drain tests: many clients, each on its own connection, each sending its
 * next request the moment the previous answer ends (half GET pages and the JSON API, half POST /subscribe),
 * counting exactly what was sent and what came back. A request counts as sent once it may have
 * reached the server; a connection refused, or an HTTP/2 session that said GOAWAY before the
 * request was made, means it never left the client.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as http2Connect, type ClientHttp2Session } from 'node:http2';

export interface DrainTally {
  sent: number;
  answered: number;
  /** Connections refused: the listener had closed, nothing was sent. */
  refused: number;
  /** Requests sent that got no complete response: resets, hang-ups, refused streams. */
  readonly failures: string[];
  readonly statuses: Record<number, number>;
  /** Answers received after the signal, and of those POSTs (writes that must not be lost). */
  answeredAfterSignal: number;
  postsAnsweredAfterSignal: number;
  /** Clients told to go by the server: HTTP/1.1 `Connection: close`, HTTP/2 GOAWAY. */
  toldToClose: number;
}

export interface DrainLoad {
  readonly tally: DrainTally;
  /** Marks the moment of the signal, so answers after it are counted apart. */
  signalled(): void;
  /** Resolves when every client has stopped (told to close and then refused, or `stop()`). */
  done(): Promise<void>;
  stop(): Promise<void>;
}

const GETS = ['/', '/posts/1', '/api/posts', '/api/posts/2'];

function newTally(): DrainTally {
  return {
    sent: 0,
    answered: 0,
    refused: 0,
    failures: [],
    statuses: {},
    answeredAfterSignal: 0,
    postsAnsweredAfterSignal: 0,
    toldToClose: 0,
  };
}

/** Odd clients write (POST /subscribe, a fresh address each time), even ones read pages and the API. */
function requestFor(client: number, n: number) {
  if (client % 2 === 1) {
    const body = JSON.stringify({ name: `Drain ${client}`, email: `drain-${client}-${n}@example.test` });
    return { method: 'POST', path: '/subscribe', body };
  }
  return { method: 'GET', path: GETS[(client / 2 + n) % GETS.length]!, body: undefined };
}

interface Http1Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function http1Send(
  origin: string,
  agent: Agent,
  spec: { method: string; path: string; body: string | undefined; headers?: Record<string, string> },
): Promise<Http1Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${origin}${spec.path}`,
      {
        agent,
        method: spec.method,
        headers: {
          accept: spec.path.startsWith('/api/') || spec.method === 'POST' ? 'application/json' : 'text/html',
          ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...spec.headers,
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.once('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
        response.once('error', reject);
        response.once('aborted', () => reject(Object.assign(new Error('response aborted'), { code: 'ABORTED' })));
      },
    );
    request.setTimeout(20_000, () =>
      request.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })),
    );
    request.once('error', (error: NodeJS.ErrnoException) =>
      reject(Object.assign(error, { reused: request.reusedSocket })),
    );
    request.end(spec.body);
  });
}

/**
 * `clients` HTTP/1.1 clients (keep-alive agent, one socket each). Each first fetches a CSRF token
 * and cookie (as a browser page would) and sends them with its POSTs. A client stops when a fresh
 * connection is refused, i.e. after the server told it to close and the listener was gone.
 */
export async function http1DrainLoad(origin: string, clients: number, maxPerClient: number): Promise<DrainLoad> {
  const tally = newTally();
  let signalledAt: number | undefined;
  let stopped = false;
  const agents = Array.from({ length: clients }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  const csrf = await Promise.all(
    agents.map(async (agent) => {
      const answer = await http1Send(origin, agent, { method: 'GET', path: '/api/csrf', body: undefined });
      const cookie = String(answer.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
      const token = (JSON.parse(answer.body) as { token: string }).token;
      if (answer.status !== 200 || !cookie || !token) throw new Error(`no CSRF token: ${answer.status} ${answer.body}`);
      return { cookie, 'x-csrf-token': token };
    }),
  );
  const loops = agents.map(async (agent, client) => {
    for (let n = 0; !stopped && n < maxPerClient; n++) {
      const spec = requestFor(client, n);
      const headers = { 'x-test-id': `c${client}-${n}`, ...(spec.method === 'POST' ? csrf[client] : {}) };
      try {
        const sentAt = performance.now();
        tally.sent++;
        const answer = await http1Send(origin, agent, { ...spec, headers });
        tally.answered++;
        tally.statuses[answer.status] = (tally.statuses[answer.status] ?? 0) + 1;
        if (signalledAt !== undefined && sentAt >= signalledAt) {
          tally.answeredAfterSignal++;
          if (spec.method === 'POST') tally.postsAnsweredAfterSignal++;
        }
        if (answer.headers.connection === 'close') tally.toldToClose++;
      } catch (error) {
        const { code, reused } = error as NodeJS.ErrnoException & { reused?: boolean };
        if (code === 'ECONNREFUSED' && !reused) {
          // Never connected, so never sent.
          tally.sent--;
          tally.refused++;
          return;
        }
        tally.failures.push(
          `${spec.method} ${spec.path}: ${code ?? String(error)}${reused ? ' (reused connection)' : ''}`,
        );
        return;
      }
    }
  });
  const all = Promise.all(loops).then(() => {});
  return {
    tally,
    signalled: () => (signalledAt = performance.now()),
    done: () => all,
    async stop() {
      stopped = true;
      await all;
      for (const agent of agents) agent.destroy();
    },
  };
}

/**
 * `clients` HTTP/2 sessions, one request at a time each. A client stops once its session has
 * received GOAWAY (Node then refuses new requests on it, so they are never sent).
 */
export async function http2DrainLoad(
  origin: string,
  ca: Buffer,
  clients: number,
  maxPerClient: number,
): Promise<DrainLoad> {
  const tally = newTally();
  let signalledAt: number | undefined;
  let stopped = false;
  const sessions = await Promise.all(
    Array.from(
      { length: clients },
      () =>
        new Promise<ClientHttp2Session>((resolve, reject) => {
          const session = http2Connect(origin, { ca });
          session.once('connect', () => resolve(session));
          session.once('error', reject);
        }),
    ),
  );
  const loops = sessions.map(async (session, client) => {
    let goaway = false;
    session.on('goaway', () => {
      goaway = true;
      tally.toldToClose++;
    });
    session.on('error', (error: NodeJS.ErrnoException) =>
      tally.failures.push(`session: ${error.code ?? error.message}`),
    );
    for (let n = 0; !stopped && n < maxPerClient; n++) {
      if (goaway || session.closed || session.destroyed) return;
      const spec = requestFor(client, n);
      let stream;
      try {
        stream = session.request(
          {
            ':method': spec.method,
            ':path': spec.path,
            accept: spec.path.startsWith('/api/') || spec.method === 'POST' ? 'application/json' : 'text/html',
            'x-test-id': `h2-c${client}-${n}`,
            ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          { endStream: spec.body === undefined },
        );
      } catch {
        // The session had already been told to go away: nothing was sent.
        return;
      }
      const sentAt = performance.now();
      tally.sent++;
      try {
        const status = await new Promise<number>((resolve, reject) => {
          let code = 0;
          stream.once('response', (headers) => (code = Number(headers[':status'])));
          stream.resume();
          stream.once('end', () => resolve(code));
          stream.once('error', reject);
          if (spec.body !== undefined) stream.end(spec.body);
        });
        tally.answered++;
        tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
        if (signalledAt !== undefined && sentAt >= signalledAt) {
          tally.answeredAfterSignal++;
          if (spec.method === 'POST') tally.postsAnsweredAfterSignal++;
        }
      } catch (error) {
        tally.failures.push(`${spec.method} ${spec.path}: ${(error as Error).message}`);
        return;
      }
    }
  });
  const all = Promise.all(loops).then(() => {});
  return {
    tally,
    signalled: () => (signalledAt = performance.now()),
    done: () => all,
    async stop() {
      stopped = true;
      await all;
      for (const session of sessions) session.destroy();
    },
  };
}
