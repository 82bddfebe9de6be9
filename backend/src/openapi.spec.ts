import fs from 'node:fs';
import { OPENAPI_FILE, renderOpenApi } from './openapi';

describe('the committed OpenAPI document', () => {
  it('is what the app describes now (run npm run openapi after changing a route or schema)', async () => {
    expect(fs.readFileSync(OPENAPI_FILE, 'utf8')).toBe(await renderOpenApi());
  });
});
