# syntax=docker/dockerfile:1
# Fanout Gateway image: build with the dev toolchain, then ship only dist/, schema/, package.json and production node_modules.
# test/production-build.test.ts replays this file's steps without Docker: keep to the instructions it understands.

# Node is pinned here once: .ci/run reads this line to run the test suite on the same Node as the image.
ARG NODE_VERSION=24.22.3

FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
# Dependencies first, so their layer is reused until package.json or the lock file changes.
COPY package.json package-lock.json ./
# Install scripts run: better-sqlite3 (the embedded delivery queue) fetches its prebuilt binary for this
# Node, or compiles it where none matches (python3, make and g++ are then needed in this stage).
RUN --mount=type=cache,target=/root/.npm npm ci --prefer-offline --no-audit --no-fund
COPY . .
RUN npm run build
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund
# The embedded delivery queue's directory, handed to the runtime user below.
RUN mkdir -p data

FROM node:${NODE_VERSION}-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    METRICS_HOST=0.0.0.0 \
    METRICS_PORT=9464
WORKDIR /app
# Copied as root and left read-only to the process: the gateway cannot rewrite its own code or dependencies.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/schema ./schema
COPY --from=build /app/dist ./dist
# The only directory the process may write: accepted deliveries (SQLite; FANOUT_DATA_DIR's default ./data
# is /app/data here). Mount a volume on it
# (docker run -v fanout-data:/app/data): a queue inside the container's own layer dies with the container.
COPY --from=build --chown=node:node /app/data ./data
# The node images' unprivileged user (uid 1000).
USER node
EXPOSE 4000 9464
# slim has no curl: Node's own fetch asks the public listener's /healthz (liveness, not readiness).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT ?? 4000}/healthz`, { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1 (no npm, no shell), so `docker stop`'s SIGTERM reaches the gateway and starts the drain.
CMD ["node", "dist/main.js"]
