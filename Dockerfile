# Centinela for production: Node 20 on Debian 12, better-sqlite3 compiled in the build stage.
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
# Sources first: `npm ci` runs `prepare`, which bundles them into dist/ for a fast start.
COPY package.json package-lock.json ./
COPY bin ./bin
COPY src ./src
COPY devices ./devices
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20.20.2-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production CENTINELA_DATA_DIR=/var/lib/centinela
COPY --from=build /app /app
RUN mkdir -p /var/lib/centinela && chown node:node /var/lib/centinela
USER node
EXPOSE 8080 1883
ENTRYPOINT ["node", "bin/centinela.js"]
CMD ["serve"]
