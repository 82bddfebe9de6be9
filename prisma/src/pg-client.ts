import { Client, type ClientConfig } from 'pg';

/**
 * A pg Client that survives losing its server. node-postgres emits 'error' on a client
 * whose connection breaks while no query is running on it (PostgreSQL restarted, stopped,
 * or a Ctrl-C reaching it): without a listener Node treats that as an uncaught exception and
 * the whole process ends — the app, mid-request. With this listener the break is noted and
 * the client's next (or current) query fails with it, so its caller fails cleanly: an ETL
 * run is recorded as failed and the next run catches up.
 *
 * Every `pg` Client in the product is made here (the Prisma pg adapter attaches listeners
 * of its own to its pool and to its transactions' connections).
 */
export function pgClient(config: ClientConfig, onError?: (error: Error) => void): Client {
  const client = new Client(config);
  client.on('error', (error: Error) => onError?.(error));
  return client;
}
