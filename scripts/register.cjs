/**
 * Runs TypeScript under plain Node with decorator metadata, which NestJS's dependency
 * injection reads (tsx's esbuild does not emit it). `node -r ./scripts/register.cjs x.ts`.
 *
 * Each .ts file of this repository is compiled with @swc/core the first time it is required,
 * and the JavaScript is kept in a cache (node_modules/.cache/xuncha-ts, one file per source
 * text and compiler version, its source map beside it). A process whose files are all in the
 * cache never loads the compiler: `npm start`, the benchmarks and the image's app run the
 * kept JavaScript, and do not hold swc's library (about 27 MB resident) or the inline source
 * maps' text. `node scripts/register.cjs --all` fills the cache for every source of the
 * workspaces (the image does it at build time, where the app's user may not write).
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const CACHE_DIR = process.env.XUNCHA_TS_CACHE || path.join(ROOT, 'node_modules', '.cache', 'xuncha-ts');

process.setSourceMapsEnabled(true);

const options = (filename) => ({
  filename,
  sourceMaps: true,
  // the map points into the source file itself: a copy of its text in every map is not needed
  inlineSourcesContent: false,
  swcrc: false,
  module: { type: 'commonjs' },
  jsc: {
    target: 'es2022',
    keepClassNames: true,
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
  },
});

/** The compiler's version and these options name the cache's generation: a change of either compiles again. */
let generation;
function cacheGeneration() {
  if (generation === undefined) {
    const swcVersion = JSON.parse(fs.readFileSync(require.resolve('@swc/core/package.json'), 'utf8')).version;
    generation = crypto
      .createHash('sha256')
      .update(`${swcVersion}\n${JSON.stringify(options('x.ts'))}`)
      .digest('hex')
      .slice(0, 12);
  }
  return generation;
}

function cachePath(filename, source) {
  const digest = crypto.createHash('sha256').update(filename).update('\0').update(source).digest('hex');
  return path.join(CACHE_DIR, cacheGeneration(), digest.slice(0, 2), `${digest.slice(2)}.js`);
}

/** Writes through a temporary file and a rename, so that a process never reads half a file another is writing. */
function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

/** The JavaScript of a source, from the cache or compiled (and kept when the cache can be written). */
function compiled(filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const file = cachePath(filename, source);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    // not compiled yet
  }
  const { code, map } = require('@swc/core').transformSync(source, options(filename));
  // the map beside the cached file. Node reads a map named by a path relative to the module's
  // own file (the .ts source), not by an absolute file: URL, which it ignores.
  const mapUrl = path.relative(path.dirname(filename), `${file}.map`).split(path.sep).map(encodeURIComponent).join('/');
  const text = `${code}\n//# sourceMappingURL=${mapUrl}\n`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeAtomically(`${file}.map`, map);
    writeAtomically(file, text);
    return text;
  } catch {
    // a read-only checkout: run the compiled code with its map inline
    return `${code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString('base64')}\n`;
  }
}

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  module._compile(compiled(filename), filename);
};

/** Every .ts source of the workspaces and scripts (not node_modules, not generated declarations). */
function allSources() {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(full);
    }
  };
  for (const dir of ['scripts', 'shared/src', 'prisma/src', 'etl/src', 'backend/src', 'tests/bench']) {
    if (fs.existsSync(path.join(ROOT, dir))) walk(path.join(ROOT, dir));
  }
  return found;
}

if (require.main === module && process.argv.includes('--all')) {
  const sources = allSources();
  for (const source of sources) compiled(source);
  console.log(`register: ${sources.length} TypeScript files compiled into ${path.relative(ROOT, CACHE_DIR)}`);
}
