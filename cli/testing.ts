// For the CLI's tests: running `tabcloud` as a user does, to its end or as a service on a free port.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './publish.ts';

/** This repository's CLI, run with this Node. */
const CLI = [process.execPath, fileURLToPath(new URL('../bin/tabcloud.js', import.meta.url))];

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to standard input, which is then closed. */
  input?: string;
  cwd?: string;
  /** The program and its first arguments (default: node bin/tabcloud.js; e.g. ['npx', 'tabcloud']). */
  command?: string[];
}

/** Runs tabcloud with args to its end. */
export function tabcloud(args: string[], options: RunOptions = {}): Promise<Ran> {
  const [program, ...first] = options.command ?? CLI;
  return new Promise((resolve, reject) => {
    const child = spawn(program!, [...first, ...args], { stdio: 'pipe', cwd: options.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

export interface Service {
  /** The published host port (to the guest's port 80). */
  port: number;
  stdout(): string;
  /** SIGTERM to tabcloud (and whatever it started); resolves with its exit status. */
  stop(): Promise<number | null>;
}

/** `tabcloud run <args> -p <free port>:80`, resolved once the console printed `READY <name>`. */
export async function serve(args: string[], name: string, options: RunOptions = {}): Promise<Service> {
  const port = await freePort();
  const [program, ...first] = options.command ?? CLI;
  // A process group of its own, so that a stop reaches tabcloud behind npx too.
  const child = spawn(program!, [...first, 'run', ...args, '-p', `${port}:80`, '--timeout', '120'], {
    stdio: 'pipe',
    cwd: options.cwd,
    detached: true,
  });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const stop = (): Promise<number | null> => {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    return exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (new RegExp(`^READY ${name}\\r?$`, 'm').test(stdout)) resolve();
      });
      void exited.then(() => reject(new Error(`exited before READY ${name}:\n${stdout}\n${stderr}`)));
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, stdout: () => stdout, stop };
}
