import { execFile } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs one of the repository's TypeScript CLIs (path relative to the repo root) as a child process. */
export function runTsx(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      [path.join(REPO_ROOT, script), ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

/** The lines of a CLI's stderr, less the noise npm and Node may add. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() && !line.startsWith('npm warn') && !line.includes('ExperimentalWarning'));
}
