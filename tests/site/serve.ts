import { preview, type PreviewServer } from 'vite';

/**
 * Serves a folder on 127.0.0.1 as a static host would (Vite's preview server: range requests, HEAD,
 * no fallback page), so the site and its data are read over real HTTP.
 */
export async function serveFolder(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: PreviewServer = await preview({
    root,
    configFile: false,
    logLevel: 'silent',
    appType: 'mpa',
    build: { outDir: root },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no TCP address');
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}
