/**
 * Client side of bench/gateway-gt06-connections.ts: opens N GT06 connections to PORT, logs each in
 * with IMEI BASE+i and sends one status (heartbeat), prints `ready <ms>` once all are answered,
 * and holds them until killed. Run by the benchmark, in its own process so the server's RSS is its own.
 *
 *   node --import tsx bench/gateway-gt06-clients.ts PORT N IMEI_BASE
 */
import { Gt06Tracker } from '../devices/gt06/tracker.ts';

const [port, n, base] = process.argv.slice(2).map(Number) as [number, number, number];
const started = performance.now();
const trackers: Gt06Tracker[] = [];
const BATCH = 100;
for (let i = 0; i < n; i += BATCH) {
  await Promise.all(
    Array.from({ length: Math.min(BATCH, n - i) }, async (_, j) => {
      const t = new Gt06Tracker({ host: '127.0.0.1', port, imei: String(base + i + j), retryMs: 30_000 });
      await t.connect();
      await t.login();
      await t.heartbeat();
      trackers.push(t);
    }),
  );
}
console.log(`ready ${Math.round(performance.now() - started)}`);
setInterval(() => {}, 1 << 30);
