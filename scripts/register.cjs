/**
 * Runs TypeScript under plain Node with decorator metadata, which NestJS's dependency
 * injection reads (tsx's esbuild does not emit it). `node -r ./scripts/register.cjs x.ts`.
 * Compiles each .ts file of this repository with @swc/core as it is required.
 */
'use strict';
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

process.setSourceMapsEnabled(true);

const options = (filename) => ({
  filename,
  sourceMaps: 'inline',
  swcrc: false,
  module: { type: 'commonjs' },
  jsc: {
    target: 'es2022',
    keepClassNames: true,
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
  },
});

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), options(filename));
  module._compile(code, filename);
};
