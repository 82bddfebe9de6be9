# syntax=docker/dockerfile:1
#
# Xuncha Insight 巡察整改监督分析平台: one image with the API, the dashboard and the
# scheduled ETL. It is meant for server mode (DATABASE_URL and CLICKHOUSE_URL, see
# docker-compose.yml and deploy/README.md); without them it starts the embedded engines and
# the demo data under /app/data, as `npm start` does on a workstation.
#
#   docker build -t xuncha-insight .
#
# Everything is installed at build time: the running container needs no network.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------
# build: every dependency, the Prisma client, the dashboard (frontend/dist)
# ---------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    CHECKPOINT_DISABLE=1 \
    npm_config_update_notifier=false

# The manifests first, so that a change to the code does not reinstall node_modules. The
# root postinstall generates the Prisma client, which needs the schema and its script.
COPY package.json package-lock.json .npmrc ./
COPY prisma/package.json prisma/schema.prisma prisma/
COPY prisma/scripts prisma/scripts
COPY shared/package.json shared/
COPY etl/package.json etl/
COPY backend/package.json backend/
COPY frontend/package.json frontend/
COPY tests/package.json tests/
RUN npm ci

COPY . .
# Prisma 7's CLI insists on a native schema engine and would download one; `prisma
# generate` does not use it, so any existing file satisfies the check (generate.cjs points
# it at itself unless told otherwise). Then the dashboard: `npm run build` checks the API
# client against backend/openapi.json, type-checks the Vue code and runs Vite.
RUN PRISMA_SCHEMA_ENGINE_BINARY=/app/prisma/scripts/generate.cjs npm run generate -w @xuncha/prisma \
 && npm run build \
 && test -f frontend/dist/index.html
# Every TypeScript file compiled once, here, into node_modules/.cache/xuncha-ts (the app's
# user cannot write there at run time): the app then starts without loading the compiler.
RUN node scripts/register.cjs --all

# ---------------------------------------------------------------------------------------
# runtime
# ---------------------------------------------------------------------------------------
# node_modules is copied whole, dev dependencies included: `npm start` runs the TypeScript
# sources compiled with @swc/core (scripts/register.cjs; kept in node_modules/.cache), and the
# maintenance commands run in the container (`npm run etl`, `npm run db:migrate`) use tsx;
# both are dev dependencies, so `npm ci --omit=dev` would leave an image that cannot start
# (and would save only ~100 MB of 1.4 GB: chDB and the embedded PostgreSQL binaries, which
# server mode never loads, are ordinary dependencies).
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    STATIC_DIR=/app/frontend/dist \
    DATA_DIR=/app/data \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    CHECKPOINT_DISABLE=1 \
    npm_config_update_notifier=false

COPY --from=build /app/package.json /app/package-lock.json /app/.npmrc /app/tsconfig.json /app/tsconfig.base.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/etl ./etl
COPY --from=build /app/backend ./backend
# the workspaces' manifests (npm reads them), and the built dashboard without its sources
COPY --from=build /app/frontend/package.json ./frontend/
COPY --from=build /app/frontend/dist ./frontend/dist
COPY --from=build /app/tests/package.json ./tests/

# The code belongs to root and is read-only for the app; /app/data (embedded engines only)
# is the one folder it writes. `node` (uid 1000) is the base image's unprivileged user.
RUN mkdir -p /app/data && chown node:node /app/data
USER node

EXPOSE 3000

# 200 when PostgreSQL and ClickHouse answer, 503 otherwise. The first start migrates and
# loads the warehouse before it listens, hence the long start period (a success ends it).
HEALTHCHECK --interval=30s --timeout=10s --start-period=10m --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health', { signal: AbortSignal.timeout(8000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# What `npm start` runs, without npm in between: SIGTERM reaches the app, which finishes
# in-flight requests and the ETL batch under way before it exits.
CMD ["node", "-r", "./scripts/register.cjs", "scripts/start.ts"]
