// A share of bench/live.mjs's sockets in their own process, so receiving a broadcast on N sockets
// is spread over several event loops as it would be over many browsers. Over IPC: 'open' (count,
// url, topic), 'expect' (total events to wait for; answers when they have all arrived),
// 'collect' (the delays seen, then forgotten) and 'close'.
//
// The sockets are plain TCP connections speaking just enough WebSocket (RFC 6455) for this: the
// upgrade, one masked join frame, and reading the server's unmasked text frames. Every chunk read
// is stamped with the time it arrived before anything else is done with it, and frames are decoded
// and parsed only at 'collect'. So the delay measured is publish → bytes in this process, and the
// clients, which share the machine's cores with the server, spend as little CPU as a client can
// (a `ws` client decoding and parsing on arrival took the server's CPU and added its own queue).
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const sockets = [];
/** Per socket, per chunk received after the join: its arrival time and bytes. */
let chunks = [];
let received = 0;
let waiting;

const now = () => performance.timeOrigin + performance.now();

/** A client-to-server text frame (masked, as RFC 6455 requires of clients). */
function clientFrame(text) {
  const payload = Buffer.from(text);
  if (payload.length > 125) throw new Error('frame too long for this client');
  const mask = randomBytes(4);
  const masked = payload.map((byte, i) => byte ^ mask[i % 4]);
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

/** Where the next whole server frame in `buffer` from `at` ends, and where its payload starts. */
function nextFrame(buffer, at) {
  if (buffer.length - at < 2) return undefined;
  let length = buffer[at + 1] & 0x7f;
  let header = 2;
  if (length === 126) {
    if (buffer.length - at < 4) return undefined;
    length = buffer.readUInt16BE(at + 2);
    header = 4;
  } else if (length === 127) {
    if (buffer.length - at < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(at + 2));
    header = 10;
  }
  const end = at + header + length;
  return end <= buffer.length ? { start: at + header, end } : undefined;
}

/** The whole server frames at the start of `buffer` as [{ opcode, text }], and the partial rest. */
function serverFrames(buffer) {
  const frames = [];
  let at = 0;
  for (let frame = nextFrame(buffer, 0); frame; frame = nextFrame(buffer, at)) {
    frames.push({ opcode: buffer[at] & 0x0f, text: buffer.toString('utf8', frame.start, frame.end) });
    at = frame.end;
  }
  return { frames, rest: buffer.subarray(at) };
}

/** Opens one socket, joins `topic`, and from then on stamps what arrives. */
function open(url, topic) {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), noDelay: true });
    const key = randomBytes(16).toString('base64');
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    let pending = Buffer.alloc(0);
    let upgraded = false;
    const mine = [];
    // Before the join this fails the open; after it, an error ends only this socket (reject is spent).
    socket.on('error', reject);
    socket.once('connect', () =>
      socket.write(
        `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );
    const handshake = (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      if (!upgraded) {
        const end = pending.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = pending.toString('latin1', 0, end);
        if (!head.startsWith('HTTP/1.1 101') || !head.includes(accept)) {
          return reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
        }
        upgraded = true;
        pending = pending.subarray(end + 4);
        socket.write(clientFrame(JSON.stringify({ type: 'join', ref: 'j', topic })));
      }
      const { frames, rest } = serverFrames(pending);
      pending = rest;
      for (const { text } of frames) {
        const frame = JSON.parse(text);
        if (frame.type !== 'reply' || frame.ref !== 'j') continue;
        if (!frame.ok) return reject(new Error(`join refused: ${frame.reason}`));
        socket.off('data', handshake);
        socket.on('data', receive);
        chunks.push(mine);
        return resolve(socket);
      }
    };
    // After the join's reply, the benchmark's channels send nothing but events (no presence).
    // Frames are only counted here (a header read); decoding waits for 'collect'.
    let partial = Buffer.alloc(0);
    const receive = (data) => {
      mine.push(now(), data);
      const buffer = partial.length === 0 ? data : Buffer.concat([partial, data]);
      let at = 0;
      for (let frame = nextFrame(buffer, 0); frame; frame = nextFrame(buffer, at)) {
        at = frame.end;
        received++;
      }
      partial = buffer.subarray(at);
      if (waiting && received >= waiting.total) {
        waiting.resolve();
        waiting = undefined;
      }
    };
    socket.on('data', handshake);
  });
}

/** Every event's delay: each frame is timed by the chunk that completed it. */
function latencies() {
  const delays = [];
  for (const mine of chunks) {
    let pending = Buffer.alloc(0);
    for (let i = 0; i < mine.length; i += 2) {
      const { frames, rest } = serverFrames(pending.length === 0 ? mine[i + 1] : Buffer.concat([pending, mine[i + 1]]));
      pending = rest;
      for (const { opcode, text } of frames) {
        if (opcode !== 0x1) throw new Error(`expected a text frame, got opcode ${opcode}`);
        const frame = JSON.parse(text);
        if (frame.type !== 'event') throw new Error(`expected an event, got ${frame.type}`);
        delays.push(mine[i] - frame.data.t);
      }
    }
    mine.length = 0;
  }
  return delays;
}

process.on('message', async (message) => {
  try {
    if (message.cmd === 'open') {
      for (let start = 0; start < message.count; start += 250) {
        const batch = [];
        for (let i = start; i < Math.min(message.count, start + 250); i++) {
          batch.push(open(message.url, message.topic ?? `idle/${i % 100}`));
        }
        sockets.push(...(await Promise.all(batch)));
      }
      process.send({ id: message.id });
    } else if (message.cmd === 'expect') {
      if (received >= message.total) return process.send({ id: message.id });
      await new Promise((resolve) => (waiting = { total: message.total, resolve }));
      process.send({ id: message.id });
    } else if (message.cmd === 'collect') {
      process.send({ id: message.id, latencies: latencies() });
      received = 0;
    } else if (message.cmd === 'close') {
      await Promise.all(
        sockets.splice(0).map(
          (socket) =>
            new Promise((resolve) => {
              socket.once('close', resolve);
              socket.end();
            }),
        ),
      );
      chunks = [];
      process.send({ id: message.id });
    }
  } catch (error) {
    process.send({ id: message.id, error: error.message });
  }
});
process.send({ ready: true });
