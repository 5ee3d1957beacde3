// Records HTTP requests as JSON lines on standard output, answering each with 204. Runs inside a
// lab network namespace, where Nautobot can reach it (Nautobot refuses loopback webhook targets).
//   node httpRecorder.mjs <address> <port>
import { createServer } from 'node:http';

const [address, port] = process.argv.slice(2);
const maxBodyBytes = 1024 * 1024;

const server = createServer((request, response) => {
  const chunks = [];
  let size = 0;
  request.on('data', (chunk) => {
    size += chunk.length;
    if (size <= maxBodyBytes) chunks.push(chunk);
  });
  request.on('end', () => {
    const record = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      truncated: size > maxBodyBytes,
    };
    process.stdout.write(`${JSON.stringify(record)}\n`);
    response.writeHead(204).end();
  });
});
server.listen(Number(port), address, () => {
  process.stdout.write(`${JSON.stringify({ listening: `${address}:${port}` })}\n`);
});
