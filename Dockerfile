# syntax=docker/dockerfile:1
#
# The Concord API node image (one process: web app at /, REST at /api, co-editing at /collab/), used
# by docker-compose.yml for api-1 and api-2. Two stages:
#   build   — all dependencies, `nx run-many -t build -p api web`;
#   runtime — the built bundles plus the production dependencies of the API only, as user `node`.
#
# NOT BUILT HERE: no Docker engine runs on this project's development machines. What is checked (in
# `npm test`, tools/deploy-checks) is its structure; `npm ci --omit=dev` against the generated
# dist/apps/api/package.json + package-lock.json was checked with a dry run.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /workspace
# better-sqlite3 and @node-rs/argon2 are native: prebuilt binaries are fetched when available,
# python3/make/g++ build them otherwise.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false CI=true
# The API build also writes dist/apps/api/package.json and package-lock.json: exactly the API's
# runtime dependencies, pinned to the workspace lock file.
RUN npx nx run-many -t build -p api web --output-style=static

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data \
    CHROMIUM_PATH=/usr/bin/chromium
WORKDIR /app

# PDF exports are printed by headless Chromium (Debian's package) with the Noto fonts that cover the
# six UN languages (Arabic, Chinese, Cyrillic, Latin); without them a PDF export answers 503.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-noto-core fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

# Production dependencies only (no devDependencies: no Angular, Nx, Jest, TypeScript…), installed
# from the API's generated manifest and lock. The compiler toolchain is there only for a native
# module without a prebuilt binary, and is removed in the same layer.
COPY --from=build /workspace/dist/apps/api/package.json /workspace/dist/apps/api/package-lock.json ./apps/api/
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && cd apps/api \
 && npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && apt-get purge -y --auto-remove python3 make g++ \
 && rm -rf /var/lib/apt/lists/* /root/.cache /tmp/*

# Layout: /app/apps/api/main.js finds the web app at join(__dirname, '../web/browser')
# (apps/api/src/app/serve-web.ts), i.e. /app/apps/web/browser.
COPY --from=build /workspace/dist/apps/api ./apps/api
COPY --from=build /workspace/dist/apps/web ./apps/web

# DATA_DIR (SQLite log when EVENT_STORE=sqlite, generated jwt-secret when JWT_SECRET is unset):
# owned by the unprivileged user, so a named volume mounted there starts out writable.
RUN mkdir -p /data && chown node:node /data

USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
CMD ["node", "apps/api/main.js"]
