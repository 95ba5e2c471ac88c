// `npm run bench:api`: what serve mode's transport costs. Times the same call (settings.get)
// dispatched in-process (the baseline, measured in the same run) and through the HTTP transport
// with the typed client, and prints JSON with percentiles and the overhead.
import { performance } from 'node:perf_hooks';
import { apiContract } from '../common/api/contract';
import { createApiClient } from '../common/api/createApiClient';
import { createHttpRawApi } from '../common/api/createHttpRawApi';
import { startApiServer } from '../main/serve/ApiServer';
import { createTestServices } from '../main/testing/createTestServices';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2000);
const WARMUP = 200;

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

async function time(label: string, call: () => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const start = performance.now();
    await call();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    label,
    iterations: ITERATIONS,
    p50Ms: round(percentile(samples, 50)),
    p99Ms: round(percentile(samples, 99)),
    meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length),
  };
}

const ctx = await createTestServices();
const server = await startApiServer({ dispatcher: ctx.services.dispatcher, events: ctx.services.events, staticDir: null, port: 0 });
const http = createHttpRawApi(apiContract, { baseUrl: server.url, token: server.token });
const client = createApiClient(apiContract, http.api);
try {
  const inProcess = await time('in-process dispatch', () =>
    ctx.services.dispatcher.dispatch('settings', 'get', undefined, { transport: 'in-process' }),
  );
  const overHttp = await time('serve mode HTTP + typed client', () => client.settings.get());
  console.log(
    JSON.stringify(
      {
        bench: 'api',
        node: process.versions.node,
        results: [inProcess, overHttp],
        httpOverheadP50Ms: Math.round((overHttp.p50Ms - inProcess.p50Ms) * 1000) / 1000,
        ratioP50: Math.round((overHttp.p50Ms / inProcess.p50Ms) * 10) / 10,
      },
      null,
      2,
    ),
  );
} finally {
  http.dispose();
  await server.close();
  await ctx.cleanup();
}
