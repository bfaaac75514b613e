//! Just enough HTTP/1.1 framing for the proxy: splits a client's byte stream into whole requests
//! (headers and a `Content-Length` body), to count them and to replay them.

/// Collects bytes and yields each request once it is complete.
#[derive(Debug, Default)]
pub struct RequestFramer {
    buf: Vec<u8>,
    /// Set when a request cannot be framed (a chunked body): stop framing this connection.
    lost: bool,
}

fn header_end(b: &[u8]) -> Option<usize> {
    b.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

fn content_length(head: &[u8]) -> Result<usize, ()> {
    let text = std::str::from_utf8(head).map_err(|_| ())?;
    let mut len = 0;
    for line in text.split("\r\n").skip(1) {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        if k.eq_ignore_ascii_case("transfer-encoding") {
            return Err(());
        }
        if k.eq_ignore_ascii_case("content-length") {
            len = v.trim().parse().map_err(|_| ())?;
        }
    }
    Ok(len)
}

impl RequestFramer {
    /// Adds bytes; returns the requests they completed, each as its exact bytes.
    pub fn push(&mut self, data: &[u8]) -> Vec<Vec<u8>> {
        if self.lost {
            return Vec::new();
        }
        self.buf.extend_from_slice(data);
        let mut out = Vec::new();
        while let Some(h) = header_end(&self.buf) {
            let Ok(len) = content_length(&self.buf[..h]) else {
                self.lost = true;
                self.buf.clear();
                break;
            };
            if self.buf.len() < h + len {
                break;
            }
            out.push(self.buf.drain(..h + len).collect());
        }
        out
    }
}

/// The same request asking the server to close the connection after answering.
pub fn with_connection_close(req: &[u8]) -> Vec<u8> {
    let Some(line_end) = req.windows(2).position(|w| w == b"\r\n") else {
        return req.to_vec();
    };
    let mut out = Vec::with_capacity(req.len() + 19);
    out.extend_from_slice(&req[..line_end + 2]);
    out.extend_from_slice(b"Connection: close\r\n");
    out.extend_from_slice(&req[line_end + 2..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_requests_split_anywhere() {
        let a = b"POST /v1/sync HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\n\r\nhello".to_vec();
        let b = b"GET /v1/health HTTP/1.1\r\nhost: x\r\n\r\n".to_vec();
        let all = [a.clone(), b.clone(), a.clone()].concat();
        for cut in [1, 7, 40, 60, 61, 70, all.len() - 1] {
            let mut f = RequestFramer::default();
            let mut got = f.push(&all[..cut]);
            got.extend(f.push(&all[cut..]));
            assert_eq!(got, vec![a.clone(), b.clone(), a.clone()], "cut at {cut}");
        }
    }

    #[test]
    fn chunked_bodies_stop_framing() {
        let mut f = RequestFramer::default();
        let req = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
        assert!(f.push(req).is_empty());
        assert!(f.push(b"GET / HTTP/1.1\r\n\r\n").is_empty());
    }

    #[test]
    fn replays_ask_to_close() {
        let r = with_connection_close(b"GET / HTTP/1.1\r\nhost: x\r\n\r\n");
        assert_eq!(r, b"GET / HTTP/1.1\r\nConnection: close\r\nhost: x\r\n\r\n");
    }
}
