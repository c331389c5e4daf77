import type { FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { ApiDeps } from './deps.ts';

export interface DeviceSetup {
  deviceId: string;
  secret: string;
  /** The host the administrator reached us by: the one a device on that network reaches too. */
  host: string;
  port: number | undefined;
  tls: boolean;
}

/** `mqtt://ID:SECRET@HOST:PORT`, the form device setup tools read (ids and secrets are URL-safe). */
export const setupUrl = (s: DeviceSetup): string =>
  `${s.tls ? 'mqtts' : 'mqtt'}://${encodeURIComponent(s.deviceId)}:${encodeURIComponent(s.secret)}@${s.host}${s.port ? `:${s.port}` : ''}`;

/**
 * The device's setup as a QR code, drawn here as an SVG data URL so the console shows it under
 * its strict CSP (images from data: only) with no script of its own. Shown once, with the secret.
 */
export async function setupQr(s: DeviceSetup): Promise<{ url: string; qr: string }> {
  const url = setupUrl(s);
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { url, qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/** The `setup` field of an answer that carries a new device secret. */
export const setupSchema = z
  .object({ url: z.string(), qr: z.string().describe('The setup URL as a QR code (SVG data URL) for the technician to scan') })
  .describe("What a technician scans into the device's setup: shown once, with the secret");

/** The setup of a device whose new secret is being shown: this server's MQTT address. */
export function setupFor(deps: ApiDeps, req: FastifyRequest, deviceId: string, secret: string): Promise<{ url: string; qr: string }> {
  const ingest = deps.parts?.ingest;
  // Devices should speak TLS wherever the centre offers it.
  const tls = ingest?.mqttTlsPort !== undefined;
  return setupQr({ deviceId, secret, host: req.hostname.replace(/:\d+$/, ''), port: tls ? ingest?.mqttTlsPort : ingest?.mqttPort, tls });
}
