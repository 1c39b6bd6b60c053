// Ships each appliance's C sources with the site, for the page's source viewer: images/<dir>/<file> becomes
// source/<dir>/<file>, and source/index.json says which files each appliance links (images/Makefile decides).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

/** Where the files land in the site (and the URL prefix the page fetches them under). */
export const SOURCE_DIR = 'source';
/** The file kinds an appliance is built from. */
const SOURCE_FILE = /\.(c|h|S|ld)$/;

/** source/index.json: each appliance's files, paths relative to images/, sorted. */
export interface SourceIndex {
  appliances: Record<string, string[]>;
  /** Each file's size in bytes. */
  sizes: Record<string, number>;
}

/** The appliances and the ones that link net/, as images/Makefile lists them in `APPS :=` and `NETAPPS :=`. */
export function readMakefile(makefile: string): { apps: string[]; netApps: string[] } {
  const list = (name: string): string[] => {
    const line = new RegExp(`^${name}\\s*:=(.*)$`, 'm').exec(makefile);
    if (!line) throw new Error(`images/Makefile has no '${name} :=' line`);
    return line[1]!.trim().split(/\s+/).filter(Boolean);
  };
  return { apps: list('APPS'), netApps: list('NETAPPS') };
}

/** Builds the index of the sources under `imagesDir`: each appliance is its own directory, include/ (the appliance API), kernel/, and net/ if it serves. */
export function indexSources(imagesDir: string): SourceIndex {
  const { apps, netApps } = readMakefile(readFileSync(join(imagesDir, 'Makefile'), 'utf8'));
  const sizes: Record<string, number> = {};
  const filesOf = (dir: string): string[] =>
    readdirSync(join(imagesDir, dir))
      .filter((file) => SOURCE_FILE.test(file))
      .sort()
      .map((file) => {
        const path = `${dir}/${file}`;
        sizes[path] = statSync(join(imagesDir, path)).size;
        return path;
      });
  const appliances: Record<string, string[]> = {};
  for (const app of apps) {
    appliances[app] = [app, 'include', 'kernel', ...(netApps.includes(app) ? ['net'] : [])].flatMap(filesOf);
  }
  return { appliances, sizes };
}

/** The Vite plugin: emits the sources and the index into the build, and serves them from the dev server. */
export function applianceSources(imagesDir: string): Plugin {
  return {
    name: 'appliance-sources',
    generateBundle() {
      const index = indexSources(imagesDir);
      for (const path of Object.keys(index.sizes)) {
        this.emitFile({
          type: 'asset',
          fileName: `${SOURCE_DIR}/${path}`,
          source: readFileSync(join(imagesDir, path)),
        });
      }
      this.emitFile({ type: 'asset', fileName: `${SOURCE_DIR}/index.json`, source: JSON.stringify(index) });
    },
    configureServer(server) {
      server.middlewares.use(`/${SOURCE_DIR}/`, (request, response, next) => {
        const index = indexSources(imagesDir);
        const path = decodeURIComponent((request.url ?? '').split('?')[0]!.replace(/^\//, ''));
        if (path === 'index.json') {
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify(index));
        } else if (path in index.sizes) {
          response.setHeader('content-type', 'text/plain; charset=utf-8');
          response.end(readFileSync(join(imagesDir, path)));
        } else {
          next();
        }
      });
    },
  };
}
