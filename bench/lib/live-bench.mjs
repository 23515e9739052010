/** bench/live.mjs as a phase of bench/run.mjs: its JSON figures, or why there are none. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const LIVE_SCRIPT = fileURLToPath(new URL('../live.mjs', import.meta.url));

/**
 * Runs the live benchmark in its own process (it forks servers and client processes, and has its
 * own deadline) and returns its results; its progress goes to `log`. `--quick` holds fewer idle
 * sockets and samples fewer events, keeping both fan-out sizes.
 */
export function runLiveBench({ quick }, log) {
  const args = [LIVE_SCRIPT, '--json', ...(quick ? ['--idle', '2000', '--events', '10'] : [])];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let table = false;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      // With --json its table follows the progress on stderr: the report prints it, so it is not logged twice.
      for (const line of String(chunk).split('\n')) {
        table ||= line.startsWith('Machine:');
        if (!table && line.trim() !== '') log(`  ${line}`);
      }
    });
    child.on('error', (error) => resolve({ status: 'failed', reason: error.message }));
    child.on('close', (code) => {
      try {
        resolve({ status: 'measured', ...JSON.parse(stdout) });
      } catch {
        const reason = `bench/live.mjs exited with ${code} and no figures: ${stderr.trim().split('\n').slice(-3).join(' / ')}`;
        resolve({ status: 'failed', reason });
      }
    });
  });
}
