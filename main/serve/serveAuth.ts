// Serve mode's gate, checked on every request before anything else runs: the Host must be the
// loopback address we bound (defeats DNS rebinding), a browser's Origin must be ours (defeats
// cross-site requests), and the per-run token must be present (header, cookie or, once, the URL).
import { createHash, timingSafeEqual } from 'node:crypto';

export type AuthVerdict =
  | { readonly ok: true; readonly via: 'header' | 'cookie' | 'query' }
  | { readonly ok: false; readonly status: 401 | 403; readonly name: string; readonly message: string };

export interface ServeAuthRequest {
  readonly host: string | undefined;
  readonly origin: string | undefined;
  readonly authorization: string | undefined;
  readonly cookie: string | undefined;
  readonly queryToken: string | undefined;
}

export function tokenCookieName(port: number): string {
  // Cookies ignore ports, so two serve instances on one machine need distinct names.
  return `codesage_token_${String(port)}`;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export function tokensEqual(expected: string, presented: string): boolean {
  return timingSafeEqual(digest(expected), digest(presented));
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index === -1) continue;
    if (part.slice(0, index).trim() === name) return decodeURIComponent(part.slice(index + 1).trim());
  }
  return undefined;
}

export class ServeAuth {
  readonly allowedHosts: ReadonlySet<string>;
  readonly allowedOrigins: ReadonlySet<string>;

  constructor(
    private readonly token: string,
    readonly port: number,
    boundHost: string,
  ) {
    const hosts = new Set([`127.0.0.1:${String(port)}`, `localhost:${String(port)}`, `[::1]:${String(port)}`]);
    hosts.add(`${boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost}:${String(port)}`);
    this.allowedHosts = hosts;
    this.allowedOrigins = new Set([...hosts].map((host) => `http://${host}`));
  }

  check(request: ServeAuthRequest): AuthVerdict {
    if (request.host === undefined || !this.allowedHosts.has(request.host.toLowerCase())) {
      return {
        ok: false,
        status: 403,
        name: 'ForbiddenHostError',
        message: `Requests must be addressed to ${[...this.allowedHosts][0] ?? 'the serve address'}; got Host "${request.host ?? ''}".`,
      };
    }
    if (request.origin !== undefined && !this.allowedOrigins.has(request.origin.toLowerCase())) {
      return {
        ok: false,
        status: 403,
        name: 'ForbiddenOriginError',
        message: `Requests from ${request.origin} are not allowed: only the CodeSage page served here may call this API.`,
      };
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(request.authorization ?? '')?.[1];
    const presented: [string | undefined, 'header' | 'cookie' | 'query'][] = [
      [bearer, 'header'],
      [readCookie(request.cookie, tokenCookieName(this.port)), 'cookie'],
      [request.queryToken, 'query'],
    ];
    // Any matching credential admits the request: after a restart on the same port the browser
    // still sends the old cookie along with the new URL token, and the new token must win.
    const offered = presented.filter((entry): entry is [string, 'header' | 'cookie' | 'query'] => entry[0] !== undefined);
    const match = offered.find(([token]) => tokensEqual(this.token, token));
    if (match !== undefined) return { ok: true, via: match[1] };
    if (offered.length > 0) {
      return {
        ok: false,
        status: 401,
        name: 'UnauthorizedError',
        message: 'The access token is wrong (it changes every time serve mode starts). Open the URL serve mode printed this time.',
      };
    }
    return {
      ok: false,
      status: 401,
      name: 'UnauthorizedError',
      message: 'A CodeSage access token is required. Open the URL with ?token=… that `npm run serve` printed.',
    };
  }
}
