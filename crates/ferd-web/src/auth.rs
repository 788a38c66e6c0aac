//! The pieces of sign-in that are not HTTP: password hashing (argon2id), random tokens and their hashes, and TOTP
//! (RFC 6238, through the totp-rs crate).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Builder, Secret, Totp};

/// The shortest password ferd accepts (NIST SP 800-63B asks for at least 8; we ask for more because these
/// accounts open health records).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Hashes a password with argon2id and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the PHC string `hash`. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to compare against when the e-mail address is unknown, so that an unknown address takes as long to
/// refuse as a wrong password (no account enumeration by timing).
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("ferd-no-such-user-placeholder").unwrap_or_default())
}

/// Why a chosen password is refused, as a message id.
pub fn password_problem(password: &str, email: &str) -> Option<&'static str> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Some("password-too-short")
    } else if chars > 1000 {
        Some("password-too-long")
    } else if password.trim().eq_ignore_ascii_case(email.trim()) {
        Some("password-is-email")
    } else {
        None
    }
}

/// A fresh random token (256 bits, URL-safe base64), for session cookies, CSRF tokens and invitation links.
pub fn random_token() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    // getrandom only fails when the OS has no randomness at all; a token of zeros must never be issued then.
    getrandom::getrandom(&mut bytes)
        .expect("the operating system's random number generator failed");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The SHA-256 of a token, hex: what the database keeps instead of the token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares two strings in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A new TOTP secret, base32 (160 bits, as RFC 4226 recommends).
pub fn new_totp_secret() -> String {
    let mut bytes = [0u8; 20];
    getrandom::getrandom(&mut bytes)
        .expect("the operating system's random number generator failed");
    Secret::from(bytes).to_base32()
}

fn totp(secret_base32: &str, account: &str, issuer: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_base32).ok()?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_account_name(account.replace(':', "_"))
        .with_issuer(Some(issuer.replace(':', "_")))
        .build()
        .ok()
}

/// The time step a six-digit code matches at `unix_seconds` (one step either side is allowed for clock drift), or
/// `None`. The caller must accept each step once only.
pub fn totp_step(secret_base32: &str, code: &str, unix_seconds: u64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret_base32, "ferd", "ferd")?;
    t.check(&code, unix_seconds).map(|s| s as i64)
}

/// The code an authenticator app shows for `secret_base32` at `unix_seconds` (for tests and tooling).
pub fn totp_code(secret_base32: &str, unix_seconds: u64) -> Option<String> {
    Some(
        totp(secret_base32, "ferd", "ferd")?
            .generate(unix_seconds)
            .to_string(),
    )
}

/// The `otpauth://` address an authenticator app reads (from the QR code or typed in).
pub fn totp_uri(secret_base32: &str, account: &str, issuer: &str) -> Option<String> {
    totp(secret_base32, account, issuer)?.to_url().ok()
}

/// The QR code of `text` as an SVG document (drawn by the qrcode crate; no text of ours goes into it).
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn short_passwords_and_the_email_address_are_refused() {
        assert_eq!(
            password_problem("short", "a@b.no"),
            Some("password-too-short")
        );
        assert_eq!(
            password_problem("kari@example.no", "kari@example.no"),
            Some("password-is-email")
        );
        assert_eq!(password_problem("a long enough passphrase", "a@b.no"), None);
    }

    #[test]
    fn totp_matches_the_rfc_6238_test_vector() {
        // RFC 6238 appendix B: SHA-1 secret "12345678901234567890", T = 59 s gives 94287082 (8 digits); the
        // six-digit code is the last six digits, 287082.
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        assert_eq!(totp_step(&secret, "287082", 59), Some(1));
        // T = 1111111109 gives 07081804 → 081804, in step 37037036.
        assert_eq!(
            totp_step(&secret, "081804", 1_111_111_109),
            Some(37_037_036)
        );
        // One step of drift either way is accepted; two is not.
        assert_eq!(
            totp_step(&secret, "081804", 1_111_111_109 + 30),
            Some(37_037_036)
        );
        assert_eq!(totp_step(&secret, "081804", 1_111_111_109 + 60), None);
        assert_eq!(totp_step(&secret, "08180", 1_111_111_109), None);
        assert_eq!(totp_step(&secret, "abcdef", 1_111_111_109), None);
    }

    #[test]
    fn tokens_are_random_and_stored_only_as_hashes() {
        let a = random_token();
        assert_ne!(a, random_token());
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}
