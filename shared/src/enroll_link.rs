//! The enrollment link an operator hands a phone (as text or as a QR code):
//! `torgkoll://enroll?server=<URL-encoded server URL>&code=<code>`. The server's `enroll --server URL`
//! builds it; the phone's enrollment screen takes it pasted into the code field (or `--enroll-link`) and
//! reads the server and the code from it. Pure: no I/O.

use thiserror::Error;

/// What the link starts with.
pub const PREFIX: &str = "torgkoll://enroll?";

/// A parsed enrollment link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrollLink {
    /// The server's address as the phones reach it, `http://` or `https://`, no trailing slash.
    pub server: String,
    /// The one-time code, as printed (the server normalises case and dashes).
    pub code: String,
}

/// Why a text is not an enrollment link.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum LinkError {
    #[error("not a Torgkoll enrollment link (it must start with {PREFIX})")]
    WrongScheme,
    #[error("the link has no code")]
    MissingCode,
    #[error("the link has no server")]
    MissingServer,
    #[error("the link's server is not an http:// or https:// address")]
    BadServer,
    #[error("the link is not correctly encoded")]
    BadEncoding,
}

impl EnrollLink {
    /// The link as text.
    pub fn to_link(&self) -> String {
        format!(
            "{PREFIX}server={}&code={}",
            encode(&self.server),
            encode(&self.code)
        )
    }

    /// Reads a link; surrounding white space is ignored.
    pub fn parse(text: &str) -> Result<EnrollLink, LinkError> {
        let text = text.trim();
        let query = match text.get(..PREFIX.len()) {
            Some(p) if p.eq_ignore_ascii_case(PREFIX) => &text[PREFIX.len()..],
            _ => return Err(LinkError::WrongScheme),
        };
        let (mut server, mut code) = (None, None);
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "server" => server = Some(decode(value)?),
                "code" => code = Some(decode(value)?),
                _ => {}
            }
        }
        let code = code
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .ok_or(LinkError::MissingCode)?;
        let server = server
            .map(|s| s.trim().trim_end_matches('/').to_owned())
            .filter(|s| !s.is_empty())
            .ok_or(LinkError::MissingServer)?;
        if !is_http_url(&server) {
            return Err(LinkError::BadServer);
        }
        Ok(EnrollLink { server, code })
    }

    /// Whether a typed or pasted text is meant as a link (rather than a bare code).
    pub fn looks_like_link(text: &str) -> bool {
        text.trim()
            .get(.."torgkoll:".len())
            .is_some_and(|p| p.eq_ignore_ascii_case("torgkoll:"))
    }
}

/// `http://host[:port][/path]` or `https://...`, with a host and no white space.
fn is_http_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("http://")
        .or_else(|| s.strip_prefix("https://"));
    let Some(rest) = rest else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && !host.starts_with(':')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` (and `+` as a space, as in a form).
fn decode(s: &str) -> Result<String, LinkError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3).ok_or(LinkError::BadEncoding)?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| LinkError::BadEncoding)?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| LinkError::BadEncoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(server: &str, code: &str) -> EnrollLink {
        EnrollLink {
            server: server.into(),
            code: code.into(),
        }
    }

    #[test]
    fn builds_and_reads_back() {
        let l = link("https://torg.example.se:8443/sync", "F28VJ-Z1DHN");
        let text = l.to_link();
        assert_eq!(
            text,
            "torgkoll://enroll?server=https%3A%2F%2Ftorg.example.se%3A8443%2Fsync&code=F28VJ-Z1DHN"
        );
        assert_eq!(EnrollLink::parse(&text), Ok(l));
    }

    #[test]
    fn reads_what_people_paste() {
        // Spaces around, a trailing slash, parameters in another order, an unencoded server, extras.
        let got = EnrollLink::parse(
            "  TORGKOLL://enroll?code=f28vj-z1dhn&x=1&server=http://10.0.0.2:8787/ \n",
        );
        assert_eq!(got, Ok(link("http://10.0.0.2:8787", "f28vj-z1dhn")));
        assert!(EnrollLink::looks_like_link(" torgkoll://enroll?"));
        assert!(!EnrollLink::looks_like_link("F28VJ-Z1DHN"));
    }

    #[test]
    fn refuses_bad_links() {
        let cases = [
            (
                "https://enroll?server=http%3A%2F%2Fa&code=X",
                LinkError::WrongScheme,
            ),
            (
                "torgkoll://other?server=http%3A%2F%2Fa&code=X",
                LinkError::WrongScheme,
            ),
            ("F28VJ-Z1DHN", LinkError::WrongScheme),
            (
                "torgkoll://enroll?server=http%3A%2F%2Fa",
                LinkError::MissingCode,
            ),
            (
                "torgkoll://enroll?server=http%3A%2F%2Fa&code=",
                LinkError::MissingCode,
            ),
            ("torgkoll://enroll?code=X", LinkError::MissingServer),
            (
                "torgkoll://enroll?server=ftp%3A%2F%2Fa&code=X",
                LinkError::BadServer,
            ),
            (
                "torgkoll://enroll?server=http%3A%2F%2F&code=X",
                LinkError::BadServer,
            ),
            (
                "torgkoll://enroll?server=torg.example.se&code=X",
                LinkError::BadServer,
            ),
            (
                "torgkoll://enroll?server=http%3A%2F%2Fa%20b&code=X",
                LinkError::BadServer,
            ),
            (
                "torgkoll://enroll?server=http%3A%2F%2Fa&code=%zz",
                LinkError::BadEncoding,
            ),
            (
                "torgkoll://enroll?server=http%3A%2F%2Fa&code=%C3",
                LinkError::BadEncoding,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(EnrollLink::parse(text), Err(want.clone()), "{text}");
        }
    }
}
