import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * The client types are generated from the backend's OpenAPI document; a stale file fails
 * here as it fails the build (npm run gen:api -w @xuncha/frontend regenerates it).
 */
describe('generated API client', () => {
  it('is current with backend/openapi.json', () => {
    const frontend = path.resolve(__dirname, '../..');
    const bin = path.resolve(frontend, '../node_modules/openapi-typescript/bin/cli.js');
    const result = spawnSync(process.execPath, [bin, '../backend/openapi.json', '-o', 'src/api/schema.d.ts', '--check'], { cwd: frontend, encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`src/api/schema.d.ts is stale against backend/openapi.json; run npm run gen:api -w @xuncha/frontend\n${result.stderr}`);
  });
});
