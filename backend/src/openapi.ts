import fs from 'node:fs';
import path from 'node:path';
import type { Warehouse } from '@xuncha/etl';
import { createApp, openApiDocument } from './app';
import { loadConfig } from './config/app-config';

/** The committed OpenAPI document the frontend's client is generated from. */
export const OPENAPI_FILE = path.resolve(__dirname, '../openapi.json');

const unreachable = (): never => {
  throw new Error('the OpenAPI document is built without engines');
};

/** The app's OpenAPI document as stable, pretty JSON (no engine is touched). */
export async function renderOpenApi(): Promise<string> {
  const warehouse: Warehouse = {
    engine: 'chdb',
    database: 'none',
    query: unreachable,
    queryPage: unreachable,
    command: unreachable,
    insert: unreachable,
    insertRaw: unreachable,
    close: () => Promise.resolve(),
  };
  const app = await createApp({ config: loadConfig({}), databaseUrl: 'postgresql://openapi@127.0.0.1:1/none', warehouse, logger: false });
  try {
    return `${JSON.stringify(openApiDocument(app), null, 2)}\n`;
  } finally {
    await app.close();
  }
}

/** `npm run openapi` writes the file; with --check it only says whether the file is current. */
async function main(): Promise<void> {
  const document = await renderOpenApi();
  const current = fs.existsSync(OPENAPI_FILE) ? fs.readFileSync(OPENAPI_FILE, 'utf8') : '';
  if (process.argv.includes('--check')) {
    if (current !== document) {
      console.error(`错误 Error: ${path.relative(process.cwd(), OPENAPI_FILE)} is stale; run npm run openapi`);
      process.exit(1);
    }
    console.log('OpenAPI document is current');
    return;
  }
  fs.writeFileSync(OPENAPI_FILE, document);
  console.log(`wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
}

if (require.main === module) void main();
