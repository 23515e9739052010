/**
 * A minimal SMTP server on loopback (RFC 5321's core: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
 * QUIT; no TLS, no AUTH unless asked), enough for nodemailer to deliver to, recording what arrives.
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  /** The message as sent after DATA, dot-unstuffed, without the final ".". */
  readonly data: string;
  /** The AUTH PLAIN credentials, decoded, when the client authenticated. */
  readonly auth: string | undefined;
}

export interface SmtpResponder {
  readonly port: number;
  readonly received: ReceivedMail[];
  close(): Promise<void>;
}

/** A loopback port nothing listens on (yet): a mail server that is down, to be started there later. */
export async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export async function startSmtpResponder(
  options: { greet?: boolean; auth?: boolean; port?: number } = {},
): Promise<SmtpResponder> {
  const received: ReceivedMail[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setEncoding('utf8');
    if (options.greet === false) return;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    let buffer = '';
    let from = '';
    let to: string[] = [];
    let auth: string | undefined;
    let data: string[] | undefined;
    reply('220 loopback ESMTP test');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\r\n')) !== -1) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line === '.') {
            received.push({ from, to, data: data.join('\r\n'), auth });
            data = undefined;
            reply('250 2.0.0 queued');
          } else data.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        const [verb = '', ...rest] = line.split(' ');
        const argument = rest.join(' ');
        switch (verb.toUpperCase()) {
          case 'EHLO':
            socket.write(`250-loopback\r\n${options.auth ? '250-AUTH PLAIN\r\n' : ''}250 8BITMIME\r\n`);
            break;
          case 'HELO':
            reply('250 loopback');
            break;
          case 'AUTH': {
            const [, credentials = ''] = argument.split(' ');
            auth = Buffer.from(credentials, 'base64').toString('utf8').split('\u0000').slice(1).join(':');
            reply('235 2.7.0 authenticated');
            break;
          }
          case 'MAIL':
            from = /<(.*)>/.exec(argument)?.[1] ?? '';
            to = [];
            reply('250 2.1.0 ok');
            break;
          case 'RCPT':
            to.push(/<(.*)>/.exec(argument)?.[1] ?? '');
            reply('250 2.1.5 ok');
            break;
          case 'DATA':
            data = [];
            reply('354 end with .');
            break;
          case 'RSET':
          case 'NOOP':
            reply('250 ok');
            break;
          case 'QUIT':
            reply('221 bye');
            socket.end();
            break;
          default:
            reply('502 5.5.2 not implemented');
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
