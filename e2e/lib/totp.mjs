// RFC 6238 TOTP (HMAC-SHA-1, 30-second steps), as an authenticator app computes it.
import { createHmac } from 'node:crypto';

/** Decodes RFC 4648 base32 (upper or lower case; spaces and padding ignored). */
export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = [];
  let bits = 0;
  let value = 0;
  for (const ch of text.toUpperCase().replace(/[\s=]/g, '')) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** The HOTP value (RFC 4226) of `key` at `counter`, with `digits` digits. */
export function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The TOTP code for a base32 secret at `unixSeconds` (default: now). */
export function totp(secretBase32, unixSeconds = Date.now() / 1000, digits = 6) {
  return hotp(base32Decode(secretBase32), Math.floor(unixSeconds / 30), digits);
}
