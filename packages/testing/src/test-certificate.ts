import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  readonly dir: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** The certificate itself, PEM: clients trust it as their only CA. */
  readonly cert: Buffer;
  remove(): void;
}

const OPENSSL_TIMEOUT_MS = 15_000;

/** A self-signed P-256 certificate for localhost and 127.0.0.1, valid one day, in a fresh temp dir. */
export async function createTestCertificate(): Promise<TestCertificate> {
  const dir = mkdtempSync(join(tmpdir(), 'cs-deploy-tls-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  const args = [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ];
  try {
    await new Promise<void>((resolve, reject) => {
      execFile('openssl', args, { timeout: OPENSSL_TIMEOUT_MS, killSignal: 'SIGKILL' }, (error, _stdout, stderr) => {
        if (error) reject(new Error(`openssl could not create a test certificate: ${error.message}\n${stderr}`));
        else resolve();
      });
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    certPath,
    keyPath,
    cert: readFileSync(certPath),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
