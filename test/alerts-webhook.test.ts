import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { raiseAlarm, seedCase } from './fixtures/alerts-world.ts';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';

let t: TestCentinela | undefined;
let server: http.Server | undefined;

afterEach(async () => {
  await t?.stop();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
});

test('without Twilio credentials SMS go to the console outbox (the start log says so), and the webhook is signed with HMAC-SHA256', async () => {
  const received: { body: string; signature: string | undefined }[] = [];
  let arrived!: () => void;
  const got = new Promise<void>((r) => {
    arrived = r;
  });
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ body, signature: req.headers['x-centinela-signature'] as string | undefined });
      res.writeHead(204).end();
      arrived();
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const clock = new ManualClock(Date.now());
  t = await startTestCentinela('sqlite', { clock, env: { CENTINELA_WEBHOOK_URL: url, CENTINELA_WEBHOOK_SECRET: 'hook-secret' } });
  expect(t.logs.some((l) => l.msg === 'alerts started: Twilio not configured, SMS and voice notifications go to the console outbox')).toBe(
    true,
  );

  const kase = await seedCase(t.centinela);
  const outboxSms = t.centinela.events.next('notification.changed', (e) => e.channel === 'sms' && e.status === 'not_sent');
  const alarmId = await raiseAlarm(t.centinela, { deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id, at: clock.now() });
  await got;
  const [hook] = received;
  expect(hook?.signature).toBe(
    `sha256=${createHmac('sha256', 'hook-secret')
      .update(hook?.body ?? '')
      .digest('hex')}`,
  );
  expect(JSON.parse(hook?.body ?? '{}')).toMatchObject({ alarmId });
  expect((await outboxSms).alarmId).toBe(alarmId);
});
