/**
 * HTTP plumbing shared by every resource: JSON responses with security headers, errors as
 * `{error: message}`, and a JSON body reader with a size limit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error answered as `{error: message}` with this status. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The policy of every response: own scripts and styles only, no inline code, no framing. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Headers sent with every response. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

/** Sends `body` as JSON (API responses are never cached). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Sends an error as `{error: message}`. */
export function sendError(res: ServerResponse, e: HttpError): void {
  sendJson(res, e.status, { error: e.message }, e.headers);
}

/**
 * Reads and parses a JSON body of at most `limit` bytes: another content type is 415, a body over
 * the limit (declared or streamed) is 413 at once, without reading the rest; a body that is not JSON
 * is 400. The promise settles whatever happens to the connection, so an upload never stays
 * "arriving" for the group commit.
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      reject(
        new HttpError(
          415,
          `Content-Type must be application/json but got ${JSON.stringify(req.headers['content-type'] ?? '')}`,
        ),
      );
      return;
    }
    const tooLarge = (): HttpError => new HttpError(413, `request body is larger than the limit of ${limit} bytes`);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      req.off('data', onData);
      req.pause();
      reject(tooLarge());
    };
    req.on('data', onData);
    req.on('error', (e) => reject(new HttpError(400, `could not read the request body: ${e.message}`)));
    // After 'end' this is a no-op; before it, the client went away or the server cut it off.
    req.on('close', () => reject(new HttpError(400, 'the request body ended before it was complete')));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(new HttpError(400, `request body is not valid JSON: ${(e as Error).message}`));
      }
    });
  });
}
