# Herald on Node 24, as a non-root user, with production dependencies only.
# Build from the repository root: docker build -t herald .

# The install runs the postinstall: Prisma's client is generated into src/generated with the
# development tools (prisma, codegen), which are then pruned.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc codegen.ts ./
COPY prisma prisma
COPY schema schema
COPY scripts scripts
COPY test/operations test/operations
COPY examples/operations examples/operations
COPY test/client/operations test/client/operations
# The install also builds @herald/client, which Herald serves at /client.js, the console it
# serves at /console, and @herald/mcp, the tools of /mcp.
COPY packages packages
# The packages' type declarations are built with the root compiler settings they extend.
COPY tsconfig.json tsconfig.build.json ./
RUN npm ci --no-audit --no-fund
COPY src src
# `npm start` runs the compiled dist/ (no type stripping at run time: less memory).
RUN npm run build
# The image's own Node runs Herald; the copy the `node` package brings is for npm scripts on
# machines with an older system Node.
RUN npm prune --omit=dev --no-audit --no-fund && rm -rf node_modules/node node_modules/.bin/node

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules node_modules
COPY --from=build --chown=root:root /app/dist dist
COPY --from=build --chown=root:root /app/packages/client/dist packages/client/dist
COPY --from=build --chown=root:root /app/packages/console/dist packages/console/dist
# The MCP tools behind /mcp, a workspace package of their own.
COPY --from=build --chown=root:root /app/packages/mcp/dist packages/mcp/dist
COPY --chown=root:root packages/mcp/package.json packages/mcp/
COPY --from=build --chown=root:root /app/packages/inbox/dist packages/inbox/dist
COPY --chown=root:root package.json ./
COPY --chown=root:root prisma prisma
# Only DATA_DIR is writable, by the unprivileged user (embedded database, generated key, .eml mail).
RUN mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--expose-gc", "--disable-warning=ExperimentalWarning", "dist/main.js"]
