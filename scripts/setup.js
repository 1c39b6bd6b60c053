#!/usr/bin/env node
// Installs what `npm start` (`setup.js start`) or `npm test` (`setup.js test`) needs and is
// missing: Debian packages when run as root on Debian, npm packages from the lock file.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { installDebianPackages, missingPackages } from './debian.js';

/** Command (or, with a slash, a file) → Debian package, per purpose. */
const DUKTAPE_SOURCE = '/usr/share/duktape/duktape.c'; // the js appliance's engine, built from source
const NEEDS = {
  start: { make: 'make', clang: 'clang', 'ld.lld': 'lld', [DUKTAPE_SOURCE]: 'duktape-dev' },
  test: {
    make: 'make',
    clang: 'clang',
    'ld.lld': 'lld',
    cc: 'gcc',
    chromium: 'chromium',
    'qemu-system-i386': 'qemu-system-x86',
    tshark: 'tshark',
    // The boot benchmark's baseline: the same image on a GRUB CD, booted through SeaBIOS.
    'grub-mkrescue': 'grub-common',
    '/usr/lib/grub/i386-pc': 'grub-pc-bin', // its BIOS modules: the package has no command of its own
    xorriso: 'xorriso',
    mformat: 'mtools',
    duk: 'duktape',
    '/usr/lib/python3/dist-packages/yaml': 'python3-yaml', // reads deploy/'s YAML in its test
    [DUKTAPE_SOURCE]: 'duktape-dev',
  },
};

const purpose = process.argv[2] ?? 'start';
const needs = NEEDS[purpose];
if (!needs) {
  console.error(`setup: unknown purpose '${purpose}' (start or test)`);
  process.exit(2);
}

function installNpmPackages() {
  const stamp = 'node_modules/.package-lock.json';
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= statSync('package-lock.json').mtimeMs) return;
  console.log('setup: installing npm packages (npm ci)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
}

const missing = missingPackages(needs);
if (missing.length) {
  try {
    installDebianPackages(missing);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
installNpmPackages();
