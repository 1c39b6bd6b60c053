// Debian i386 packages with apt's own clients and a private apt state: the system's apt
// configuration and package database are never touched. The mirror comes from the machine's
// own apt sources, so no host name is written into the repository.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A package file to fetch: its name in the archive and the SHA-256 apt checks it against. */
export interface DebFile {
  package: string;
  version: string;
  file: string;
  sha256: string;
}

/** The package index is refreshed when older than this; within it, builds see the same versions. */
const INDEX_MAX_AGE_MS = 24 * 3600 * 1000;

/** apt-get and apt-cache, run against the private state under `dir`. */
export class PrivateApt {
  private readonly options: string[];

  constructor(private readonly dir: string) {
    this.options = [
      `Dir::Etc::SourceList=${join(dir, 'sources.list')}`,
      'Dir::Etc::SourceParts=/dev/null',
      `Dir::State::Lists=${join(dir, 'lists')}`,
      `Dir::Cache=${join(dir, 'cache')}`,
      // Docker images of Debian turn apt's binary cache off; without it each call parses the index anew.
      'Dir::Cache::pkgcache=pkgcache.bin',
      'Dir::Cache::srcpkgcache=srcpkgcache.bin',
      'Dir::State::status=/dev/null',
      'APT::Architecture=i386',
      'APT::Architectures=i386',
      'APT::Sandbox::User=root',
      'Acquire::Retries=2',
    ].flatMap((option) => ['-o', option]);
  }

  /** Points the private state at the release suite of the machine's Debian mirror; false if there is none. */
  configure(): boolean {
    const mirror = systemDebianMirror();
    if (!mirror) return false;
    mkdirSync(join(this.dir, 'lists', 'partial'), { recursive: true });
    mkdirSync(join(this.dir, 'cache', 'archives', 'partial'), { recursive: true });
    const list = join(this.dir, 'sources.list');
    const line = `deb ${mirror.uri} ${mirror.suite} main\n`;
    if (!existsSync(list) || readFileSync(list, 'utf8') !== line) {
      writeFileSync(list, line);
      rmSync(join(this.dir, 'updated'), { force: true });
    }
    return true;
  }

  /** Whether the cached index is recent enough to build from without asking the mirror. */
  fresh(): boolean {
    const stamp = join(this.dir, 'updated');
    return existsSync(stamp) && Date.now() - statSync(stamp).mtimeMs < INDEX_MAX_AGE_MS;
  }

  /** Fetches the package index unless a fresh one is cached; false if there is none at all. */
  update(): boolean {
    const stamp = join(this.dir, 'updated');
    const cached = existsSync(stamp);
    if (this.fresh()) return true;
    try {
      this.run('apt-get', ['-qq', '--error-on=any', 'update']);
      writeFileSync(stamp, '');
      return true;
    } catch {
      return cached; // offline: an older index still names the cached packages
    }
  }

  /** The package a metapackage depends on first (e.g. linux-image-686 → linux-image-6.1.0-50-686). */
  dependency(name: string): string {
    const match = /^Depends: ([^\s,(]+)/m.exec(this.run('apt-cache', ['show', '--no-all-versions', name]));
    if (!match) throw new Error(`${name} has no dependency`);
    return match[1]!;
  }

  /** The archive file of each package, without downloading it. */
  files(names: string[]): DebFile[] {
    const out = this.run('apt-get', ['download', '--print-uris', ...names]);
    // e.g. 'http://…/busybox-static_1%3a1.35.0-4_i386.deb' busybox-static_1%3a1.35.0-4_i386.deb 958344 SHA256:…
    const line = /^'[^']+' (([^_\s]+)_([^_\s]+)_\S+) \d+ SHA256:([0-9a-f]{64})$/gm;
    const files = [...out.matchAll(line)].map((m) => ({
      package: m[2]!,
      version: decodeURIComponent(m[3]!),
      file: m[1]!,
      sha256: m[4]!,
    }));
    // apt lists them in its own order.
    return names.map((name) => {
      const file = files.find((f) => f.package === name);
      if (!file) throw new Error(`apt-get cannot download ${name}`);
      return file;
    });
  }

  /** Downloads packages into `to` (apt verifies their hashes against the signed index). */
  download(names: string[], to: string): void {
    mkdirSync(to, { recursive: true });
    this.run('apt-get', ['-qq', 'download', ...names], to);
  }

  private run(command: string, args: string[], cwd?: string): string {
    return execFileSync(command, [...this.options, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(cwd && { cwd }),
    });
  }
}

/** The first Debian release suite (e.g. bookworm, not bookworm-updates) in the machine's apt sources. */
function systemDebianMirror(): { uri: string; suite: string } | undefined {
  let targets: string;
  try {
    const format = '$(TARGET_OF) $(REPO_URI) $(RELEASE) $(COMPONENT) $(ORIGIN)';
    targets = execFileSync('apt-get', ['indextargets', '--format', format], { encoding: 'utf8', stdio: 'pipe' });
  } catch {
    return undefined;
  }
  const codename = /^VERSION_CODENAME=(\S+)$/m.exec(readIfExists('/etc/os-release'))?.[1];
  for (const line of targets.split('\n')) {
    const [type, uri, suite, component, origin] = line.split(' ');
    if (type !== 'deb' || component !== 'main' || !uri || !suite) continue;
    if (suite === codename || (origin === 'Debian' && !suite.includes('-'))) return { uri, suite };
  }
  return undefined;
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
