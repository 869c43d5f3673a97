// Node's floor for a command that makes one round trip to a broker: connect, send one ApiVersions
// (v0) request, read its answer, print a line, exit. CommonJS and one file, as bin/kts.cjs starts.
// Usage: node one-request.cjs <host> <port>
const { connect } = require('node:net');

const [host, port] = process.argv.slice(2);
const clientId = Buffer.from('bench');
// Header: api key 18 (ApiVersions), version 0, correlation id 1, client id; v0 has no body.
const request = Buffer.alloc(4 + 10 + clientId.length);
request.writeInt32BE(request.length - 4, 0);
request.writeInt16BE(18, 4);
request.writeInt16BE(0, 6);
request.writeInt32BE(1, 8);
request.writeInt16BE(clientId.length, 12);
clientId.copy(request, 14);

const socket = connect({ host, port: Number(port), noDelay: true }, () => socket.write(request));
let received = Buffer.alloc(0);
socket.on('data', (chunk) => {
  received = Buffer.concat([received, chunk]);
  if (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
    process.stdout.write(`${received.length} bytes\n`);
    socket.end();
  }
});
socket.on('error', (err) => {
  process.stderr.write(`${err.message}\n`);
  process.exitCode = 1;
});
