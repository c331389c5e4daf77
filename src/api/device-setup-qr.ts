import QRCode from 'qrcode';

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
