//! `cargo xtask wire [URL]`: what a first visit of the citizen's page costs on the wire, response
//! headers included, as a phone pays for it: the page (`/`), its stylesheet, boot script, glue
//! and wasm, the texts of the largest language, and the icon Chromium fetches beside them, each
//! asked of a running server (`cargo xtask run`, by default at http://127.0.0.1:8080) with
//! `Accept-Encoding: br` as a browser would. The reference lists (`/api/reference`) are asked for
//! after the first screen and are shown apart, not counted.

use std::io::{Read, Write};
use std::net::TcpStream;

/// The citizen's budget, the same on the wire as for the build: 250 KB.
const BUDGET_BYTES: usize = crate::build_app::BUDGET_BYTES as usize;

/// One response as it crossed the connection.
struct Response {
    /// The status line and headers, with the blank line after them.
    head_bytes: usize,
    /// The body as sent (compressed, with any chunk framing).
    body_bytes: usize,
    /// The body decoded (for the page and the boot script, which name the other files).
    text: String,
}

/// Prints each first-visit file's bytes on the wire and their total against the budget; fails
/// when a file cannot be had or the total is over the budget.
pub fn wire(args: &[String]) -> Result<(), String> {
    let base = args.first().map_or("http://127.0.0.1:8080", String::as_str);
    let host = base.strip_prefix("http://").ok_or("wire: give the server as http://HOST:PORT")?.trim_end_matches('/');
    let page = get(host, "/")?;
    let link = |rel: &str| between(&page.text, &format!("rel=\"{rel}\" href=\"")).ok_or_else(|| format!("the page has no link rel=\"{rel}\""));
    let (stylesheet, glue, wasm, icon) = (link("stylesheet")?, link("modulepreload")?, link("preload")?, link("icon")?);
    let boot = between(&page.text, "<script type=\"module\" src=\"").ok_or("the page has no boot script")?;
    let boot_response = get(host, &boot)?;
    // The largest language's texts: a first visit fetches one language's.
    let mut texts: Vec<(String, Response)> = Vec::new();
    for url in boot_response.text.split('"').filter(|s| s.starts_with("/assets/i18n-") && s.ends_with(".txt")) {
        if !texts.iter().any(|(u, _)| u == url) {
            texts.push((url.to_string(), get(host, url)?));
        }
    }
    let (texts_url, texts) = texts.into_iter().max_by_key(|(_, r)| r.head_bytes + r.body_bytes).ok_or("the boot script names no texts")?;
    let counted = [
        ("/".to_string(), page),
        (stylesheet.clone(), get(host, &stylesheet)?),
        (boot, boot_response),
        (glue.clone(), get(host, &glue)?),
        (wasm.clone(), get(host, &wasm)?),
        (format!("{texts_url} (the largest language)"), texts),
        (icon.clone(), get(host, &icon)?),
    ];
    println!("A first visit of {base}/ on the wire (Accept-Encoding: br), headers + body:");
    let mut total = 0;
    for (url, response) in &counted {
        let bytes = response.head_bytes + response.body_bytes;
        total += bytes;
        println!("  {url:<58} {:>6} + {:>7} = {bytes:>7} B", response.head_bytes, response.body_bytes);
    }
    let spare = BUDGET_BYTES as i64 - total as i64;
    println!(
        "  total {total} B on the wire, budget {BUDGET_BYTES} B (250 KB): {}",
        if spare >= 0 { format!("{spare} B to spare") } else { format!("OVER by {} B", -spare) }
    );
    let reference = get(host, "/api/reference")?;
    println!("  after the first screen, not counted: /api/reference {} B", reference.head_bytes + reference.body_bytes);
    if spare < 0 {
        return Err(format!("the citizen's first visit is {total} B on the wire, over {BUDGET_BYTES} B"));
    }
    Ok(())
}

/// The text between `start` and the next `"` in `html`.
fn between(html: &str, start: &str) -> Option<String> {
    let from = html.find(start)? + start.len();
    Some(html[from..].split('"').next()?.to_string())
}

/// `GET path` of `host` (HTTP/1.1, one connection per request), as a browser asks for it.
fn get(host: &str, path: &str) -> Result<Response, String> {
    let fail = |e: std::io::Error| format!("GET http://{host}{path}: {e}");
    let mut stream = TcpStream::connect(host).map_err(fail)?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: br\r\nConnection: close\r\n\r\n").map_err(fail)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(fail)?;
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| format!("GET {path}: no end of headers"))? + 4;
    let head = String::from_utf8_lossy(&raw[..end]).to_lowercase();
    if !head.starts_with("http/1.1 200") {
        return Err(format!("GET {path}: {}", head.lines().next().unwrap_or_default()));
    }
    let mut body = raw[end..].to_vec();
    if head.contains("\r\ntransfer-encoding: chunked") {
        body = unchunk(&body).ok_or_else(|| format!("GET {path}: a broken chunked body"))?;
    }
    if head.contains("\r\ncontent-encoding: br") {
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut body.as_slice(), &mut decoded).map_err(|e| format!("GET {path}: brotli: {e}"))?;
        body = decoded;
    }
    Ok(Response { head_bytes: end, body_bytes: raw.len() - end, text: String::from_utf8_lossy(&body).into_owned() })
}

/// The data of a chunked body.
fn unchunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size = usize::from_str_radix(std::str::from_utf8(&body[..line_end]).ok()?.split(';').next()?.trim(), 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(data);
        }
        data.extend_from_slice(body.get(..size)?);
        body = body.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunked_body_is_joined() {
        assert_eq!(unchunk(b"3\r\nabc\r\n2;x=1\r\nde\r\n0\r\n\r\n").as_deref(), Some(&b"abcde"[..]));
        assert_eq!(unchunk(b"5\r\nabc"), None);
    }

    #[test]
    fn the_page_names_its_files() {
        let html = r#"<link rel="icon" href="/icons/icon.svg" type="image/svg+xml"><link rel="stylesheet" href="/assets/styles-1.css">"#;
        assert_eq!(between(html, "rel=\"stylesheet\" href=\"").as_deref(), Some("/assets/styles-1.css"));
        assert_eq!(between(html, "rel=\"icon\" href=\"").as_deref(), Some("/icons/icon.svg"));
        assert_eq!(between(html, "rel=\"preload\" href=\""), None);
    }
}
