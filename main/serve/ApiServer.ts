// Serve mode's transport: the API contract over HTTP (calls) and one WebSocket (events), plus the
// built renderer as static files, on loopback behind ServeAuth. The browser gets the token from
// the printed URL once; the server swaps it for an HttpOnly, SameSite=Strict cookie and redirects
// to a clean URL so the token does not linger in history.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import type { ContractSpec } from '../../common/api/contractKit';
import type { ApiDispatcher } from '../services/api/ApiDispatcher';
import type { ApiEventHub } from '../services/api/ApiEventHub';
import { ServeAuth, tokenCookieName } from './serveAuth';

export interface ApiServerOptions<C extends ContractSpec> {
  readonly dispatcher: ApiDispatcher<C>;
  readonly events: ApiEventHub<C>;
  /** Built renderer (out/renderer); when absent only the API is served. */
  readonly staticDir: string | null;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Fixed token for tests; a random one per run otherwise. */
  readonly token?: string;
  /** Extra routes behind the same gate, e.g. the OpenAI-compatible /v1 API. */
  readonly routes?: (app: FastifyInstance) => Promise<void> | void;
}

export interface ApiServer extends AsyncDisposable {
  readonly url: string;
  /** The URL to open in a browser, token included. */
  readonly openUrl: string;
  readonly token: string;
  readonly port: number;
  close(): Promise<void>;
}

const STATUS_BY_ERROR: Readonly<Record<string, number>> = {
  InvalidPayloadError: 400,
  UnknownMethodError: 404,
  ContractViolationError: 500,
};

function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://${host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export async function startApiServer<C extends ContractSpec>(options: ApiServerOptions<C>): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  let auth: ServeAuth | null = null;

  await app.register(fastifyWebsocket, { options: { maxPayload: 1024 * 1024 } });

  app.addHook('onRequest', async (request, reply) => {
    if (auth === null)
      return reply.code(503).send({ ok: false, error: { name: 'StartingError', message: 'Serve mode is still starting.' } });
    const query = request.query as Record<string, unknown> | undefined;
    const queryToken = typeof query?.token === 'string' ? query.token : undefined;
    const verdict = auth.check({
      host: request.headers.host,
      origin: request.headers.origin,
      authorization: request.headers.authorization,
      cookie: request.headers.cookie,
      queryToken: request.method === 'GET' ? queryToken : undefined,
    });
    void reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
    if (!verdict.ok) {
      return reply.code(verdict.status).send({ ok: false, error: { name: verdict.name, message: verdict.message } });
    }
    const isPage = !request.url.startsWith('/api/') && !request.url.startsWith('/v1/');
    if (verdict.via === 'query' && isPage) {
      // Trade the URL token for a cookie, then drop it from the address bar.
      const clean = new URL(request.url, 'http://placeholder.invalid');
      clean.searchParams.delete('token');
      return (
        reply
          .header('set-cookie', `${tokenCookieName(auth.port)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`)
          // One leading slash only: "//host/path" would be a redirect to another site.
          .redirect(`/${clean.pathname.replace(/^\/+/, '')}${clean.search}`, 302)
      );
    }
    return undefined;
  });

  app.post('/api/:domain/:method', async (request, reply) => {
    const { domain, method } = request.params as { domain: string; method: string };
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return reply.code(400).send({
        ok: false,
        error: { name: 'InvalidPayloadError', message: 'The request body must be a JSON object like {"input": …}.' },
      });
    }
    const envelope = await options.dispatcher.dispatch(domain, method, (body as { input?: unknown }).input, { transport: 'http' });
    return reply.code(envelope.ok ? 200 : (STATUS_BY_ERROR[envelope.error.name] ?? 500)).send(envelope);
  });

  if (options.routes !== undefined) await options.routes(app);

  const sockets = new Set<{ send(data: string): void; close(): void }>();
  const subscription = options.events.onEvent((message) => {
    const data = JSON.stringify(message);
    for (const socket of sockets) socket.send(data);
  });
  app.get('/api/events', { websocket: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  app.setErrorHandler((error: { statusCode?: number; name?: string; message?: string }, _request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    const name = status === 415 ? 'UnsupportedMediaTypeError' : status === 400 ? 'InvalidPayloadError' : (error.name ?? 'Error');
    void reply.code(status).send({ ok: false, error: { name, message: error.message ?? 'Request failed.' } });
  });

  const staticDir = options.staticDir;
  if (staticDir !== null && existsSync(join(staticDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: staticDir,
      prefix: '/',
      index: ['index.html'],
      setHeaders: (res) => {
        res.setHeader('content-security-policy', contentSecurityPolicy(`${host === '::1' ? '[::1]' : host}:${String(port())}`));
        res.setHeader('cross-origin-opener-policy', 'same-origin');
        res.setHeader('cross-origin-resource-policy', 'same-origin');
      },
    });
  } else {
    app.get('/', async (_request, reply) =>
      reply.code(503).type('text/plain').send('The CodeSage UI is not built. Run `npm run build`, then start serve mode again.'),
    );
  }

  function port(): number {
    const address = app.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  await app.listen({ host, port: options.port ?? 0 });
  const boundPort = port();
  auth = new ServeAuth(token, boundPort, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${String(boundPort)}`;

  const close = async (): Promise<void> => {
    subscription.dispose();
    for (const socket of sockets) socket.close();
    await app.close();
  };
  return { url, openUrl: `${url}/?token=${token}`, token, port: boundPort, close, [Symbol.asyncDispose]: close };
}
