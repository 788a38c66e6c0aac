// The TOTP helper the browser flow signs in with, checked against RFC 6238's own test vector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, hotp, totp } from './lib/totp.mjs';

const rfcKey = Buffer.from('12345678901234567890', 'ascii');

test('TOTP: RFC 6238 vector (SHA-1, T=59 → 94287082, six digits 287082)', () => {
  assert.equal(hotp(rfcKey, Math.floor(59 / 30), 8), '94287082');
  assert.equal(hotp(rfcKey, Math.floor(59 / 30)), '287082');
  // The same key as base32, the form ferd shows on the set-up page.
  assert.deepEqual(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), rfcKey);
  assert.equal(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59, 8), '94287082');
  assert.equal(totp('gezd gnbv gy3t qojq gezd gnbv gy3t qojq', 1111111109, 8), '07081804');
});
