import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** scrypt cost: ~30 ms on these machines, paid once per login (people's passwords). */
const PARAMS = { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEYLEN = 32;
/** Marks a device or gateway secret stored as SHA-256 (`hashDeviceSecret`). */
const DEVICE_HASH_PREFIX = 'sha256$';

/** A slow, salted hash for passwords people choose: `scrypt$N$r$p$salt$hash`. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, KEYLEN, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/**
 * Checks a presented secret against a stored hash of either format: `scrypt$…` (people's
 * passwords, and device secrets stored before `sha256$` existed) or `sha256$…` (device and
 * gateway secrets). Both compare in constant time.
 */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  if (stored.startsWith(DEVICE_HASH_PREFIX)) return verifyDeviceHash(secret, stored);
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(secret, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * Device and gateway secrets are 256-bit random values Centinela generates (`generateCredential`),
 * not something a person chose: nothing can be guessed, so a slow hash buys nothing and costs
 * ~30 ms of CPU per connect — minutes for a fleet reconnecting after a restart. They are stored
 * as SHA-256, like bearer tokens, with a prefix that tells them from the older scrypt hashes.
 */
export function hashDeviceSecret(secret: string): string {
  return `${DEVICE_HASH_PREFIX}${createHash('sha256').update(secret).digest('hex')}`;
}

/** Whether a stored device hash is in the current format (else it is upgraded on the next connect). */
export function isCurrentDeviceHash(stored: string): boolean {
  return stored.startsWith(DEVICE_HASH_PREFIX);
}

function verifyDeviceHash(secret: string, stored: string): boolean {
  const expected = Buffer.from(stored.slice(DEVICE_HASH_PREFIX.length), 'hex');
  const presented = createHash('sha256').update(secret).digest();
  return expected.length === presented.length && timingSafeEqual(presented, expected);
}

/** A random credential shown once: 32 bytes of entropy, with a recognisable prefix. */
export function generateCredential(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/**
 * Bearer tokens carry 256 bits of entropy, so a fast hash is enough to store them and keeps
 * each request's lookup to one indexed query (GitHub stores its tokens the same way).
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
