// Finding the commands a purpose needs and installing the Debian packages that bring
// the missing ones (as root on Debian), for setup.js and for `tabcloud build`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Whether a command is on the PATH (or, with a slash, whether the file exists). */
export function has(command) {
  return command.includes('/')
    ? existsSync(command)
    : spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The Debian packages of the commands in `needs` (command → package) that are missing. */
export function missingPackages(needs) {
  return [
    ...new Set(
      Object.entries(needs)
        .filter(([command]) => !has(command))
        .map(([, pkg]) => pkg),
    ),
  ];
}

/**
 * Installs the packages with apt-get when this is root on Debian; otherwise throws an Error naming them and the
 * command that installs them. Progress goes to standard error.
 */
export function installDebianPackages(packages, who = 'setup') {
  if (process.getuid?.() !== 0 || !has('apt-get')) {
    throw new Error(
      `${who}: missing ${packages.join(', ')}. Install them with your package manager ` +
        `(Debian/Ubuntu: sudo apt-get install ${packages.join(' ')}), then run this again.`,
    );
  }
  console.error(`${who}: installing Debian packages: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const stdio = ['ignore', 'inherit', 'inherit'];
  execFileSync('apt-get', ['update', '-qq'], { stdio, env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio, env });
}
