// Runs `prisma generate` offline. Prisma's CLI looks for a native schema engine and
// tries to download one when it is missing; generation does not use it, so any existing
// file satisfies the check. See docs/ARCHITECTURE.md, "Storage engines".
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= __filename;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
env.CHECKPOINT_DISABLE = '1';
const cli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate', '--schema', path.join(__dirname, '..', 'schema.prisma')], {
  env,
  stdio: 'inherit',
  cwd: path.join(__dirname, '..'),
});
process.exit(result.status ?? 1);
