/**
 * A small web site the crawler tests serve on 127.0.0.1: pages written for these tests, a route
 * table, and a log of every request as the server saw it (arrival time, whether the response was
 * written out in full or the client went away first).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hit {
  method: string;
  path: string;
  /**
   * When the client began this request: the connection's accept time for the first request on a
   * socket (connection setup is part of the request), the arrival time otherwise.
   */
  at: number;
  headers: IncomingMessage['headers'];
  /** true once the whole response was handed to the socket; false if the client closed first. */
  completed: boolean;
}

export type Route = (req: IncomingMessage, res: ServerResponse, hit: Hit) => void | Promise<void>;

export interface TestSite {
  origin: string;
  host: string;
  port: number;
  hits: Hit[];
  connections: number;
  routes: Map<string, Route>;
  close(): Promise<void>;
}

export async function serveSite(address: string, routes: Record<string, Route>, port = 0): Promise<TestSite> {
  const table = new Map(Object.entries(routes));
  const hits: Hit[] = [];
  const site = { hits, connections: 0, routes: table } as unknown as TestSite;
  const server: Server = createServer((req, res) => {
    const socket = req.socket as typeof req.socket & { acceptedAt?: number; served?: number };
    const first = (socket.served = (socket.served ?? 0) + 1) === 1;
    const at = first && socket.acceptedAt !== undefined ? socket.acceptedAt : performance.now();
    const hit: Hit = { method: req.method ?? 'GET', path: req.url ?? '/', at, headers: req.headers, completed: false };
    hits.push(hit);
    res.on('finish', () => (hit.completed = true));
    const route = table.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    void route(req, res, hit);
  });
  server.on('connection', (socket) => {
    (socket as typeof socket & { acceptedAt?: number }).acceptedAt = performance.now();
    site.connections++;
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(port, address, resolve));
  const p = (server.address() as AddressInfo).port;
  Object.assign(site, {
    port: p,
    host: `${address}:${p}`,
    origin: `http://${address}:${p}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
  return site;
}

export const html = (body: string, head = '') => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>t</title>${head}</head><body>${body}</body></html>`);
};

export const text = (status: number, body: string, headers: Record<string, string> = {}) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
};

export const redirect = (status: number, location: string) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { location }).end();
};
