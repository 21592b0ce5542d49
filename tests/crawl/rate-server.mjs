// A site served from its own worker thread, so that the times it records are not delayed by the
// crawler's work on the test's thread. Pages written for the test; hits reported on request.
import { createServer } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { crawlDelayS, pages } = workerData;
const hits = [];
const now = () => performance.timeOrigin + performance.now();
const server = createServer((req, res) => {
  const socket = req.socket;
  socket.served = (socket.served ?? 0) + 1;
  hits.push({ path: req.url, at: socket.served === 1 ? socket.acceptedAt : now() });
  if (req.url === '/robots.txt') return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`User-agent: *\nCrawl-delay: ${crawlDelayS}\n`);
  const links = Array.from({ length: pages }, (_, i) => `<a href="/p${i}.html">p${i}</a>`).join(' ');
  if (req.url === '/' || /^\/p\d+\.html$/.test(req.url)) {
    return void res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body><p>Page ${req.url}</p>${req.url === '/' ? links : ''}</body></html>`);
  }
  res.writeHead(404).end();
});
server.on('connection', (s) => (s.acceptedAt = now()));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'hits') parentPort.postMessage({ hits });
  if (m === 'close') server.close(() => parentPort.postMessage({ closed: true }));
});
