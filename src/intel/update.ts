/**
 * `analyze intel update`: download the abuse.ch SSLBL feeds over HTTPS and hand their text to the
 * same parser as `analyze intel import` (intel/import.ts, format detected from the content).
 *
 * Each feed has a stable file name (the name abuse.ch gives it), so an update replaces the rows
 * of the previous update or of an `intel import` of the downloaded file, and the format the feed
 * must have: anything else (an HTML error page, the other feed) is rejected.
 *
 * Transport: node:https, certificates checked against Node's roots plus NODE_EXTRA_CA_CERTS
 * (Node reads it itself) plus an optional `--ca-file` (PEM, added to those roots, never replacing
 * them). Redirects are followed (https only, at most 5), one deadline covers the whole download
 * of a feed, and a body larger than the cap is abandoned. No proxy support (HTTPS_PROXY is not
 * read). Failures are a `FetchError` with a short reason; the CLI turns it into one line.
 */
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { IntelFormat } from './import.js';

export interface IntelFeed {
  /** `--source` name. */
  name: string;
  url: string;
  /** Stored as the rows' file (same as importing the downloaded file). */
  file: string;
  format: IntelFormat;
  description: string;
}

export const INTEL_FEEDS: readonly IntelFeed[] = [
  { name: 'sslbl', url: 'https://sslbl.abuse.ch/blacklist/sslblacklist.csv', file: 'sslblacklist.csv', format: 'abuse.ch-sslbl', description: 'abuse.ch SSLBL malicious certificate SHA-1s' },
  { name: 'ja3', url: 'https://sslbl.abuse.ch/blacklist/ja3_fingerprints.csv', file: 'ja3_fingerprints.csv', format: 'abuse.ch-sslbl-ja3', description: 'abuse.ch SSLBL malicious JA3 fingerprints' },
];

export const DEFAULT_TIMEOUT_MS = 20_000;
/** The SSLBL lists are a few hundred KB; 32 MiB is far beyond any legitimate answer. */
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
const MAX_REDIRECTS = 5;

/** Why a download failed. `reachable` false: no HTTP answer at all (offline, DNS, refused, timeout, TLS). */
export class FetchError extends Error {
  constructor(
    message: string,
    readonly host: string,
    readonly reason: string,
    readonly reachable: boolean,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

export interface DownloadOptions {
  timeoutMs?: number;
  maxBytes?: number;
  /** Extra trusted CA certificates (PEM text), added to Node's roots. */
  ca?: string;
}

/** The reason part of a socket/TLS error: "getaddrinfo ENOTFOUND", "connect ECONNREFUSED", "DEPTH_ZERO_SELF_SIGNED_CERT". */
function reasonOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code === 'string') {
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(err.code)) return `certificate not trusted: ${err.code}`;
    return err.syscall ? `${err.syscall} ${err.code}` : err.code;
  }
  return (err as Error | undefined)?.message?.split('\n')[0] ?? String(e);
}

/** GET `url` over HTTPS and return the body as UTF-8 text; throws FetchError. */
export async function downloadText(url: string, options: DownloadOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const ca = options.ca !== undefined ? [...rootCertificates, options.ca] : undefined;
  const deadline = Date.now() + timeoutMs;
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    const answer = await getOnce(current, { deadline, timeoutMs, maxBytes, ca });
    if (answer.kind === 'body') return answer.text;
    if (hop >= MAX_REDIRECTS) throw new FetchError(`too many redirects from ${url}`, current.host, 'too many redirects', true);
    const next = new URL(answer.location, current);
    if (next.protocol !== 'https:') throw new FetchError(`redirect to a non-HTTPS address (${next.href})`, current.host, `redirected to ${next.protocol}`, true);
    current = next;
  }
}

type Answer = { kind: 'body'; text: string } | { kind: 'redirect'; location: string };

function getOnce(url: URL, o: { deadline: number; timeoutMs: number; maxBytes: number; ca: string[] | undefined }): Promise<Answer> {
  if (url.protocol !== 'https:') return Promise.reject(new FetchError(`not an https URL: ${url.href}`, url.host, 'not https', false));
  return new Promise<Answer>((resolve, reject) => {
    let settled = false;
    const fail = (e: FetchError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(e);
    };
    const req = https.get(url, { headers: { 'user-agent': 'tls443-analyze', accept: 'text/csv, text/plain, */*', 'accept-encoding': 'identity' }, ...(o.ca ? { ca: o.ca } : {}) }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        settled = true;
        clearTimeout(timer);
        resolve({ kind: 'redirect', location: res.headers.location });
        return;
      }
      if (status !== 200) {
        res.resume();
        fail(new FetchError(`HTTP ${status} from ${url.href}`, url.host, `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`, true));
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > o.maxBytes) {
        fail(new FetchError(`answer too large (${declared} bytes)`, url.host, `answer larger than ${o.maxBytes} bytes`, true));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > o.maxBytes) fail(new FetchError(`answer too large (over ${o.maxBytes} bytes)`, url.host, `answer larger than ${o.maxBytes} bytes`, true));
        else chunks.push(c);
      });
      res.on('error', (e) => fail(new FetchError(reasonOf(e), url.host, reasonOf(e), false)));
      res.on('aborted', () => fail(new FetchError('connection closed mid-answer', url.host, 'connection closed mid-answer', false)));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ kind: 'body', text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', (e) => fail(new FetchError(reasonOf(e), url.host, reasonOf(e), false)));
    const timer = setTimeout(() => {
      const s = Math.round(o.timeoutMs / 100) / 10;
      fail(new FetchError(`timed out after ${s} s`, url.host, `timed out after ${s} s`, false));
    }, Math.max(0, o.deadline - Date.now()));
  });
}
