import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

/**
 * One POST of `body` to `url`, connecting only to what `lookup` hands out. Redirects are not
 * followed: a 3xx is an answer like any other. Resolves to the status code once the answer's
 * body has been read (and dropped); rejects on a network error, a cut-off answer, or when
 * `signal` aborts. No keep-alive: each attempt opens (and checks) its own connection.
 */
export function postOnce(url: string, headers: Record<string, string>, body: string, lookup: LookupFunction, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const options = { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup, agent: false, signal };
    const req = send(target, options, (res) => {
      res.on('error', reject);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('close', () => res.complete || reject(Object.assign(new Error('the answer was cut off'), { code: 'ECONNRESET' })));
      res.resume();
    });
    req.on('error', reject);
    req.end(body);
  });
}
