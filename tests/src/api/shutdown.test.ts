import http from 'node:http';
import type { Server } from 'node:http';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/app';

/**
 * A shutdown (SIGTERM, Ctrl-C: app.close()) closes the door at once, also to clients that
 * hold kept-alive connections, lets a request under way finish, and cuts a stalled one
 * after SHUTDOWN_GRACE_SECONDS.
 */
jest.setTimeout(120_000);

const GRACE_SECONDS = 3;
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ env: { SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS) } });
});

afterAll(async () => {
  await t?.close();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}
/** A request that ended without an answer (errors of node:http are of another realm than jest's `Error`). */
interface Failed {
  code: string;
}
const failed = (value: Answer | Failed): value is Failed => 'code' in value;

/** Starts a request and returns a way to send its body, and its answer (or the error that ended it). */
function begin(agent: http.Agent, method: string, path: string, body?: string) {
  const url = new URL(t.url + path);
  const request = http.request({
    agent,
    host: url.hostname,
    port: url.port,
    method,
    path,
    headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const answer = new Promise<Answer | Failed>((resolve) => {
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      response.on('error', (error: NodeJS.ErrnoException) => resolve({ code: error.code ?? error.message }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ code: error.code ?? error.message }));
  });
  const socket = new Promise<import('node:net').Socket>((resolve) => request.on('socket', resolve));
  return { request, answer, socket };
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const connections = (server: Server) => new Promise<number>((resolve, reject) => server.getConnections((error, n) => (error ? reject(error) : resolve(n))));

it('refuses new requests on kept-alive connections at once, finishes the one under way, and cuts a stalled one after the grace period', async () => {
  const server = t.app.getHttpServer();
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const slowAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const stalledAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  // a client with a kept-alive connection that has answered once
  const first = begin(keepAlive, 'GET', '/api/health');
  first.request.end();
  const firstAnswer = await first.answer;
  expect(failed(firstAnswer)).toBe(false);
  const firstSocket = await first.socket;
  const before = await connections(server);

  // a sign-in under way (its body half sent) and one that will never finish sending
  const body = JSON.stringify({ username: 'staff', password: TEST_PASSWORD });
  const slow = begin(slowAgent, 'POST', '/api/auth/login', body);
  slow.request.write(body.slice(0, 10));
  const stalled = begin(stalledAgent, 'POST', '/api/auth/login', body);
  stalled.request.write(body.slice(0, 10));
  await until('both requests to connect', async () => (await connections(server)) === before + 2);
  await new Promise((resolve) => setTimeout(resolve, 200)); // their headers on their way

  const started = Date.now();
  const closing = t.app.close();

  // the kept-alive client's next request is not served: its connection is closed, or the
  // request is answered 503 with Connection: close
  const next = begin(keepAlive, 'GET', '/api/health');
  next.request.end();
  const nextAnswer = await next.answer;
  if (failed(nextAnswer)) {
    expect(nextAnswer.code).toMatch(/ECONNRESET|ECONNREFUSED|EPIPE/);
  } else {
    expect([nextAnswer.status, nextAnswer.headers.connection]).toEqual([503, 'close']);
    expect(JSON.parse(nextAnswer.body).message).toMatch(/服务正在停止/);
  }
  await until('the kept-alive connection to be closed', () => firstSocket.destroyed || firstSocket.closed);

  // the request under way finishes, and its connection is not kept
  slow.request.end(body.slice(10));
  const slowAnswer = await slow.answer;
  expect(failed(slowAnswer) ? slowAnswer.code : [slowAnswer.status, slowAnswer.headers.connection]).toEqual([200, 'close']);

  // the stalled one is cut after the grace period, and the shutdown is over soon after
  await closing;
  const seconds = (Date.now() - started) / 1000;
  expect(seconds).toBeGreaterThanOrEqual(GRACE_SECONDS - 0.5);
  expect(seconds).toBeLessThan(GRACE_SECONDS + 3);
  expect(failed(await stalled.answer)).toBe(true);
  expect(server.listening).toBe(false);
  for (const agent of [keepAlive, slowAgent, stalledAgent]) agent.destroy();
});
