# syntax=docker/dockerfile:1
# One recipe for every service of the monorepo. Build a service with its workspace path:
#   docker build --build-arg WORKSPACE=subgraphs/catalogue -t opop-catalogue .
# The TypeScript runs as is on Node 24 (type stripping), so there is no build step to drift.
FROM node:24-bookworm-slim AS base
ENV NODE_ENV=production
WORKDIR /app

FROM base AS deps
ARG WORKSPACE
# Every workspace manifest, so npm sees the whole workspace graph; sources come later so
# dependency layers stay cached across code changes.
COPY package.json package-lock.json ./
COPY packages/server-kit/package.json packages/server-kit/
COPY packages/identifiers/package.json packages/identifiers/
COPY packages/demo-data/package.json packages/demo-data/
COPY packages/sdk/package.json packages/sdk/
COPY subgraphs/catalogue/package.json subgraphs/catalogue/
COPY subgraphs/pesantren/package.json subgraphs/pesantren/
COPY subgraphs/academics/package.json subgraphs/academics/
COPY subgraphs/partners/package.json subgraphs/partners/
COPY subgraphs/media/package.json subgraphs/media/
COPY router/package.json router/
COPY storefront/package.json storefront/
COPY console/package.json console/
# npm install, not npm ci: see the README (astro's optional compiler bindings).
RUN test -n "${WORKSPACE}" \
 && npm install --omit=dev --no-audit --no-fund --workspace="${WORKSPACE}" \
 && npm cache clean --force

FROM deps AS runtime
ARG WORKSPACE
COPY tsconfig.base.json ./
COPY packages ./packages
COPY subgraphs ./subgraphs
COPY router ./router
COPY schema ./schema
COPY console ./console
COPY storefront ./storefront
# The console's pages are built here, once; at start it sees they match its sources.
RUN if [ "${WORKSPACE}" = "console" ]; then ASTRO_TELEMETRY_DISABLED=1 node console/build.ts; fi
# The storefront's pages are built from the API, which does not run during an image build: the
# server builds them at its first start into /app/storefront/site (a volume), and publishes
# changes there; Astro and Vite write their caches beside the sources.
RUN if [ "${WORKSPACE}" = "storefront" ]; then mkdir -p storefront/site && chown -R node:node storefront; fi
ENV ASTRO_TELEMETRY_DISABLED=1
ENV SERVICE_ENTRY=${WORKSPACE}/src/server.ts \
    HOST=0.0.0.0
USER node
# /ready answers 200 once the service's database (or the router's supergraph) is usable.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["sh", "-c", "exec node \"$SERVICE_ENTRY\""]
