// Runs inside the agent's sandbox, which has no network: listens on 127.0.0.1:<port> (where ANTHROPIC_BASE_URL
// points) and carries each connection over the one Unix socket the runner mounted, which leads to the model API and
// nowhere else. Then runs the agent command and exits with its status.
'use strict';
const net = require('net');
const { spawn } = require('child_process');
const [port, socketPath, ...command] = process.argv.slice(2);
const server = net.createServer((client) => {
  const upstream = net.connect(socketPath);
  client.pipe(upstream).on('error', () => client.destroy());
  upstream.pipe(client).on('error', () => upstream.destroy());
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
});
server.listen(Number(port), '127.0.0.1', () => {
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit' });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('error', (e) => { process.stderr.write(`cannot start ${command[0]}: ${e.message}\n`); process.exit(127); });
  child.on('exit', (code, signal) => process.exit(code === null ? 128 + (require('os').constants.signals[signal] || 1) : code));
});
server.on('error', (e) => { process.stderr.write(`model bridge cannot listen on ${port}: ${e.message}\n`); process.exit(70); });
