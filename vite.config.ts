import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const target = `http://localhost:${process.env.PORT ?? 3000}`;

/** The client is built into dist/client, which the server serves; `vite` alone proxies to a running server. */
export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: { outDir: '../dist/client', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: {
      '/api': target,
      '/socket.io': { target, ws: true },
      '/yjs': { target, ws: true },
    },
  },
});
