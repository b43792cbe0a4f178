// The Node.js peer of bench/run.sh: a WebSocket broadcaster on npm `ws`, the
// way a Node service would fan a message out. Subscribers connect to any path
// (the subprotocol they ask for is accepted); `POST /broadcast` sends its body
// as one binary message to every open subscriber and answers 204. It prints
// "listening on 127.0.0.1:PORT" once it listens.
//
// Usage: node broadcaster.js [--port PORT]   (0, the default, picks a free one)
'use strict';

const http = require('node:http');
const { WebSocketServer, WebSocket } = require('ws');

const portArgument = process.argv.indexOf('--port');
const port = portArgument > 0 ? Number(process.argv[portArgument + 1]) : 0;

const server = http.createServer((request, response) => {
  if (request.method !== 'POST' || request.url !== '/broadcast') {
    response.writeHead(404).end();
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const message = Buffer.concat(chunks);
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) client.send(message, { binary: true });
    }
    response.writeHead(204).end();
  });
});

const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (socket) => {
  socket.on('error', () => {});
});

server.listen(port, '127.0.0.1', () => {
  console.log(`listening on 127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
