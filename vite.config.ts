import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { applianceSources } from './scripts/appliance-sources.ts';

/** Node modules that v86 loads only when it runs in Node: the browser bundle gets an empty module. */
const V86_NODE_ONLY = new Set(['fs', 'crypto', 'node:crypto', 'node:fs/promises', 'perf_hooks']);

function v86NodeOnly(): Plugin {
  const prefix = '\0v86-node-only:';
  return {
    name: 'v86-node-only',
    enforce: 'pre',
    resolveId: (id, importer) => (V86_NODE_ONLY.has(id) && importer?.includes('/v86/') ? prefix + id : undefined),
    load: (id) => (id.startsWith(prefix) ? 'export default {};' : undefined),
  };
}

export default defineConfig({
  root: 'web',
  publicDir: '../public',
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es', plugins: () => [v86NodeOnly()] },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  plugins: [
    applianceSources(fileURLToPath(new URL('images', import.meta.url))),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: '../sw',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      manifest: {
        name: 'Tabcloud',
        short_name: 'Tabcloud',
        description: 'A cloud in a browser tab: unikernel appliances booted in milliseconds, their APIs as URLs.',
        theme_color: '#0f1720',
        background_color: '#0f1720',
        display: 'standalone',
        start_url: '.',
        scope: '.',
        icons: [{ src: 'icons/tabcloud.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      injectManifest: {
        // The appliances' C sources for the source viewer (scripts/appliance-sources.ts), and their index. The js
        // appliance boots from its snapshot (a few hundred KB): kept too, so the playground works offline. The
        // TypeScript compiler's worker chunk (a few MB) is among the scripts: Run compiles offline too.
        globPatterns: [
          '**/*.{js,css,html,wasm,elf,svg,webmanifest}',
          'source/**/*.{c,h,S,ld,json}',
          'images/js.state.gz',
        ],
        // v86.wasm is 2.1 MB: above Workbox's 2 MiB default it would be silently left out.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
      },
    }),
  ],
});
