// A share of bench/live.mjs's sockets in their own process, so receiving a broadcast on N sockets
// is spread over several event loops as it would be over many browsers. Over IPC: 'open' (count,
// url, topic), 'expect' (total events to wait for; answers when they have all arrived),
// 'collect' (the delays seen, then forgotten) and 'close'.
import WebSocket from 'ws';

const sockets = [];
let latencies = [];
let received = 0;
let waiting;

const now = () => performance.timeOrigin + performance.now();

function open(url, topic) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'join', ref: 'j', topic })));
    socket.on('message', (data) => {
      const frame = JSON.parse(data);
      if (frame.type === 'event') {
        latencies.push(now() - frame.data.t);
        received++;
        if (waiting && received >= waiting.total) {
          waiting.resolve();
          waiting = undefined;
        }
      } else if (frame.type === 'reply' && frame.ref === 'j') {
        if (frame.ok) resolve(socket);
        else reject(new Error(`join refused: ${frame.reason}`));
      }
    });
  });
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
      process.send({ id: message.id, latencies });
      latencies = [];
      received = 0;
    } else if (message.cmd === 'close') {
      await Promise.all(
        sockets.splice(0).map(
          (socket) =>
            new Promise((resolve) => {
              socket.once('close', resolve);
              socket.close();
            }),
        ),
      );
      process.send({ id: message.id });
    }
  } catch (error) {
    process.send({ id: message.id, error: error.message });
  }
});
process.send({ ready: true });
