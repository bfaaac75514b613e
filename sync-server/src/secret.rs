//! Enrollment codes and device tokens: made from randomness, stored only as SHA-256 hashes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or typed is hard to get wrong.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in an enrollment code (50 bits).
pub const CODE_CHARS: usize = 10;

/// A fresh enrollment code, shown as `XXXXX-XXXXX`.
pub fn new_code() -> String {
    let bytes: [u8; CODE_CHARS] = rand::random();
    let chars: String = bytes
        .iter()
        .map(|b| CROCKFORD[usize::from(b & 31)] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// A code as typed, in its canonical form: upper case, without separators, with the letters people
/// confuse mapped as Crockford's base32 says (O→0, I and L→1). `None` if it cannot be a code.
pub fn normalize_code(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(CODE_CHARS);
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c if c.is_ascii() && CROCKFORD.contains(&(c as u8)) => c,
            _ => return None,
        };
        out.push(c);
    }
    (out.len() == CODE_CHARS).then_some(out)
}

/// A fresh device token: 32 random bytes, base64url without padding.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The SHA-256 of a secret, in lower-case hex: what the database keeps.
pub fn hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_normalize_as_typed() {
        let code = new_code();
        assert_eq!(code.len(), CODE_CHARS + 1);
        let canon = normalize_code(&code).expect("a fresh code is valid");
        assert_eq!(normalize_code(&code.to_lowercase()), Some(canon.clone()));
        assert_eq!(normalize_code(" abcde-fghjo "), Some("ABCDEFGHJ0".into()));
        assert_eq!(normalize_code("ABCDE-FGHJU"), None);
        assert_eq!(normalize_code("ABCDE"), None);
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_ne!(hash(&a), hash(&b));
        assert_eq!(hash("abc").len(), 64);
    }
}
