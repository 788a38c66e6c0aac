//! Encryption at rest of clinical free text: XChaCha20-Poly1305 (RustCrypto) with a random 192-bit nonce per record,
//! the key id stored beside the ciphertext, and the record's place (`table.column.id`) bound in as associated data,
//! so a ciphertext copied to another row or column does not decrypt.
//!
//! Envelope: `b"FE1"` · key-id length (1 byte) · key id · nonce (24 bytes) · ciphertext with tag.

use std::collections::BTreeMap;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};

const MAGIC: &[u8; 3] = b"FE1";
const NONCE: usize = 24;

/// Why encryption or decryption failed. Messages never contain plaintext.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("the key file is not valid: {0}")]
    KeyFile(String),
    #[error("no key with id '{0}' in the key file (was the key file replaced?)")]
    UnknownKey(String),
    #[error("a stored ciphertext is damaged or was moved from another record")]
    Damaged,
    #[error("the system random number generator failed")]
    Random,
}

/// The data keys: one current key that encrypts, and older keys kept to decrypt until `ferd keys rotate` has
/// re-encrypted everything.
#[derive(Clone)]
pub struct Keyring {
    current: String,
    keys: BTreeMap<String, XChaCha20Poly1305>,
    raw: BTreeMap<String, [u8; 32]>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.debug_struct("Keyring")
            .field("current", &self.current)
            .field("key_ids", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    current: String,
    keys: BTreeMap<String, String>,
}

fn random<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut buf = [0u8; N];
    getrandom::getrandom(&mut buf).map_err(|_| CryptoError::Random)?;
    Ok(buf)
}

impl Keyring {
    /// A keyring with one new random key.
    pub fn generate() -> Result<Keyring, CryptoError> {
        let mut ring = Keyring {
            current: String::new(),
            keys: BTreeMap::new(),
            raw: BTreeMap::new(),
        };
        ring.add_new_key()?;
        Ok(ring)
    }

    /// Adds a new random key and makes it current (the first step of a rotation). Returns its id.
    pub fn add_new_key(&mut self) -> Result<String, CryptoError> {
        // Ids are never reused: k1, k2, … after the highest ever present in this ring.
        let next = self
            .keys
            .keys()
            .filter_map(|id| id.strip_prefix('k').and_then(|n| n.parse::<u64>().ok()))
            .max()
            .unwrap_or(0)
            + 1;
        let id = format!("k{next}");
        let key: [u8; 32] = random()?;
        self.keys
            .insert(id.clone(), XChaCha20Poly1305::new(Key::from_slice(&key)));
        self.raw.insert(id.clone(), key);
        self.current = id.clone();
        Ok(id)
    }

    /// Parses a key file (JSON: `{"current": "k1", "keys": {"k1": "<64 hex digits>"}}`).
    pub fn from_json(text: &str) -> Result<Keyring, CryptoError> {
        let file: KeyFile =
            serde_json::from_str(text).map_err(|e| CryptoError::KeyFile(e.to_string()))?;
        let mut keys = BTreeMap::new();
        let mut raw = BTreeMap::new();
        for (id, hex_key) in &file.keys {
            let bytes = hex::decode(hex_key)
                .map_err(|_| CryptoError::KeyFile(format!("key '{id}' is not hex")))?;
            let key: [u8; 32] = bytes
                .try_into()
                .map_err(|_| CryptoError::KeyFile(format!("key '{id}' is not 32 bytes")))?;
            if id.is_empty() || id.len() > 32 {
                return Err(CryptoError::KeyFile("key ids are 1–32 characters".into()));
            }
            keys.insert(id.clone(), XChaCha20Poly1305::new(Key::from_slice(&key)));
            raw.insert(id.clone(), key);
        }
        if !keys.contains_key(&file.current) {
            return Err(CryptoError::KeyFile(format!(
                "current key '{}' is not in keys",
                file.current
            )));
        }
        Ok(Keyring {
            current: file.current,
            keys,
            raw,
        })
    }

    /// The key file's text.
    pub fn to_json(&self) -> String {
        let file = KeyFile {
            current: self.current.clone(),
            keys: self
                .raw
                .iter()
                .map(|(id, k)| (id.clone(), hex::encode(k)))
                .collect(),
        };
        serde_json::to_string_pretty(&file).expect("a key file serialises")
    }

    /// Drops every key but the current one (after `Store::reencrypt_all` has moved everything to it).
    pub fn retire_old_keys(&mut self) {
        let current = self.current.clone();
        self.keys.retain(|id, _| *id == current);
        self.raw.retain(|id, _| *id == current);
    }

    /// The id of the key that encrypts.
    pub fn current_key_id(&self) -> &str {
        &self.current
    }

    /// Encrypts `plaintext` for the record at `place` (`table.column.id`).
    pub fn seal(&self, place: &str, plaintext: &str) -> Result<Vec<u8>, CryptoError> {
        let cipher = &self.keys[&self.current];
        let nonce: [u8; NONCE] = random()?;
        let ct = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: place.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Damaged)?;
        let id = self.current.as_bytes();
        let mut out = Vec::with_capacity(MAGIC.len() + 1 + id.len() + NONCE + ct.len());
        out.extend_from_slice(MAGIC);
        out.push(id.len() as u8);
        out.extend_from_slice(id);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// The id of the key a stored envelope was sealed with.
    pub fn key_id_of(envelope: &[u8]) -> Result<&str, CryptoError> {
        let rest = envelope.strip_prefix(MAGIC).ok_or(CryptoError::Damaged)?;
        let (&len, rest) = rest.split_first().ok_or(CryptoError::Damaged)?;
        let id = rest.get(..len as usize).ok_or(CryptoError::Damaged)?;
        std::str::from_utf8(id).map_err(|_| CryptoError::Damaged)
    }

    /// A keyed fingerprint (HMAC-SHA256 under the current key, hex) of `data` for `purpose`: to recognise a value
    /// again (a sender's address for a rate limit, a form's start time) without storing it or letting anyone
    /// without the key forge or reverse it. It changes when the key is rotated, so use it only for short-lived state.
    pub fn tag(&self, purpose: &str, data: &[u8]) -> String {
        use hmac::{Hmac, Mac};
        let key = &self.raw[&self.current];
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key)
            .expect("HMAC takes a key of any length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(data);
        hex::encode(mac.finalize().into_bytes())
    }

    /// Decrypts an envelope sealed for the record at `place`.
    pub fn open(&self, place: &str, envelope: &[u8]) -> Result<String, CryptoError> {
        let id = Self::key_id_of(envelope)?;
        let cipher = self
            .keys
            .get(id)
            .ok_or_else(|| CryptoError::UnknownKey(id.to_string()))?;
        let body = &envelope[MAGIC.len() + 1 + id.len()..];
        if body.len() < NONCE + 16 {
            return Err(CryptoError::Damaged);
        }
        let (nonce, ct) = body.split_at(NONCE);
        let plain = cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: place.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Damaged)?;
        String::from_utf8(plain).map_err(|_| CryptoError::Damaged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_text_opens_only_at_its_own_place_and_with_its_own_key() {
        let ring = Keyring::generate().unwrap();
        let env = ring
            .seal("sessions.note_enc.s1", "the client spoke of the river")
            .unwrap();
        assert!(!env.windows(5).any(|w| w == b"river"));
        assert_eq!(
            ring.open("sessions.note_enc.s1", &env).unwrap(),
            "the client spoke of the river"
        );
        assert!(matches!(
            ring.open("sessions.note_enc.s2", &env),
            Err(CryptoError::Damaged)
        ));
        let other = Keyring::generate().unwrap();
        assert!(other.open("sessions.note_enc.s1", &env).is_err());
        let mut flipped = env.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(matches!(
            ring.open("sessions.note_enc.s1", &flipped),
            Err(CryptoError::Damaged)
        ));
        // Two seals of the same text differ (fresh nonce).
        assert_ne!(
            env,
            ring.seal("sessions.note_enc.s1", "the client spoke of the river")
                .unwrap()
        );
    }

    #[test]
    fn a_key_file_round_trips_and_a_rotated_ring_still_opens_old_records() {
        let mut ring = Keyring::generate().unwrap();
        let old = ring.seal("p", "x").unwrap();
        let new_id = ring.add_new_key().unwrap();
        assert_eq!(ring.current_key_id(), new_id);
        let reloaded = Keyring::from_json(&ring.to_json()).unwrap();
        assert_eq!(reloaded.open("p", &old).unwrap(), "x");
        assert_eq!(
            Keyring::key_id_of(&reloaded.seal("p", "y").unwrap()).unwrap(),
            new_id
        );
        assert!(!format!("{reloaded:?}").contains(&ring.to_json()[40..60]));
        assert!(Keyring::from_json("{\"current\":\"k9\",\"keys\":{}}").is_err());
    }
}
