//! Signing with an electronic digital signature (ЭЦП / ЭЦҚ) through NCALayer, the program of the
//! National Certification Centre that holds the person's keys on their computer and signs on
//! request over a local WebSocket (`wss://127.0.0.1:13579`). The keys never leave that computer:
//! the app sends the bytes to sign and gets a CMS signature back.
//!
//! Protocol (module `kz.gov.pki.knca.basics`, method `sign`): NCALayer greets with
//! `{"result":{"version":…}}`; the request is `{"module","method","args":{allowedStorages, format,
//! data (base64), signingParams {decode, encapsulate, digested, tsaProfile}, signerParams
//! {extKeyUsageOids, iin, chain}, locale}}`; the answer is `{"status":true,"body":{"result":[cms]}}`,
//! `{"status":true,"body":{}}` when the person closed the NCALayer window, or
//! `{"status":false,"code","message"}`. Plain strings (`--heartbeat--`) may come in between.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use telnuska_shared::i18n::Lang;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::json_field;

/// Extended key usage of the signing keys issued to individuals (e-mail protection), so that
/// NCALayer offers the signing key and not the authentication one.
const SIGNING_KEY_USAGE: &str = "1.3.6.1.5.5.7.3.4";

/// Why NCALayer gave no signature; each is a sentence with what to do (`eds.*` keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Nothing answers at the URL: NCALayer is not installed or not started.
    NotRunning,
    /// The person closed the NCALayer window or pressed "cancel".
    Cancelled,
    /// NCALayer refused the chosen key: expired or revoked certificate, not a signing key, not
    /// the expected person's.
    WrongKey,
    /// Anything else (NCALayer stopped mid-way, an error it does not explain).
    Failed,
}

impl Failure {
    /// The catalogue key of the sentence for the person.
    pub fn key(self) -> &'static str {
        match self {
            Failure::NotRunning => "eds.not_running",
            Failure::Cancelled => "eds.cancelled",
            Failure::WrongKey => "eds.wrong_key",
            Failure::Failed => "eds.failed",
        }
    }
}

/// Standard base64 with padding (the only encoding NCALayer takes data in; no crate for 20 lines).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            let symbol = if i <= chunk.len() { ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] } else { b'=' };
            out.push(char::from(symbol));
        }
    }
    out
}

/// The `sign` request: a detached CMS over `content` (NCALayer decodes the base64 first), by a
/// signing key of `iin` from any storage (no `allowedStorages`: a file, an ID card or a token),
/// NCALayer speaking `lang`. Written by hand: every value
/// is base64, digits or a language code, nothing to escape, and no serializer in the download.
pub fn sign_request(content: &[u8], iin: &str, lang: Lang) -> String {
    let iin: String = iin.chars().filter(char::is_ascii_digit).collect();
    format!(
        r#"{{"module":"kz.gov.pki.knca.basics","method":"sign","args":{{"format":"cms","data":"{}","signingParams":{{"decode":true,"encapsulate":false,"digested":false,"tsaProfile":null}},"signerParams":{{"extKeyUsageOids":["{SIGNING_KEY_USAGE}"],"iin":"{iin}","chain":[]}},"locale":"{}"}}}}"#,
        base64(content),
        lang.code()
    )
}

/// What a message from NCALayer says about the signing: `None` for the greeting, heartbeats and
/// anything else that is not the answer to `sign`. Read with the browser's JSON parser: a
/// deserializer for three fields would cost kilobytes of the download.
fn parse_answer(text: &str) -> Option<Result<String, Failure>> {
    let answer = js_sys::JSON::parse(text).ok()?;
    let status = json_field(&answer, "status").as_bool()?;
    let result = json_field(&json_field(&answer, "body"), "result");
    // One signature per item of `data`; NCALayer versions answer a single item as a list or alone.
    let signature = if js_sys::Array::is_array(&result) { js_sys::Array::from(&result).get(0) } else { result };
    let said = [json_field(&answer, "code"), json_field(&answer, "message")].map(|v| v.as_string().unwrap_or_default()).join(" ");
    Some(outcome(status, signature.as_string(), &said))
}

/// The outcome of an answer with `status`, its first `signature` and, when refused, what NCALayer
/// `said` (code and message). `status: true` without a signature: the person closed the window.
fn outcome(status: bool, signature: Option<String>, said: &str) -> Result<String, Failure> {
    match (status, signature) {
        (true, Some(cms)) if !cms.is_empty() => Ok(cms),
        (true, _) => Err(Failure::Cancelled),
        (false, _) => Err(refusal(said)),
    }
}

/// Sorts NCALayer's error (its code and message, in whichever language) into what the person
/// can do about it.
fn refusal(said: &str) -> Failure {
    let said = telnuska_shared::letter_case::lower(said);
    let any = |words: &[&str]| words.iter().any(|w| said.contains(w));
    if any(&["cancel", "отмен"]) {
        Failure::Cancelled
    } else if any(&["expir", "revok", "cert", "key", "iin", "password", "сертификат", "ключ", "иин", "пароль", "истек", "отозван"])
    {
        Failure::WrongKey
    } else {
        Failure::Failed
    }
}

/// The socket's open, message and error/close handlers.
type Handlers = (Closure<dyn FnMut()>, Closure<dyn FnMut(web_sys::MessageEvent)>, Closure<dyn FnMut()>);

/// Asks the NCALayer at `url` to sign `content` with a key of `iin`; the CMS signature in base64.
pub async fn sign(url: &str, content: &[u8], iin: &str, lang: Lang) -> Result<String, Failure> {
    let socket = web_sys::WebSocket::new(url).map_err(|_| Failure::NotRunning)?;
    let request = sign_request(content, iin, lang);
    let opened = Rc::new(Cell::new(false));
    let answer: Rc<RefCell<Option<Result<String, Failure>>>> = Rc::default();
    // The handlers live until the answer, then are taken off the socket and dropped.
    let mut handlers: Option<Handlers> = None;
    let done = js_sys::Promise::new(&mut |resolve: js_sys::Function, _reject| {
        let on_open = Closure::<dyn FnMut()>::new({
            let (socket, opened, request) = (socket.clone(), opened.clone(), request.clone());
            move || {
                opened.set(true);
                let _ = socket.send_with_str(&request);
            }
        });
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new({
            let (answer, resolve) = (answer.clone(), resolve.clone());
            move |event: web_sys::MessageEvent| {
                if let Some(outcome) = event.data().as_string().as_deref().and_then(parse_answer) {
                    answer.borrow_mut().get_or_insert(outcome);
                    let _ = resolve.call0(&JsValue::NULL);
                }
            }
        });
        // An error comes before the close; either ends the wait (the answer stays `None`).
        let on_end = Closure::<dyn FnMut()>::new(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onerror(Some(on_end.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_end.as_ref().unchecked_ref()));
        handlers = Some((on_open, on_message, on_end));
    });
    let _ = wasm_bindgen_futures::JsFuture::from(done).await;
    socket.set_onopen(None);
    socket.set_onmessage(None);
    socket.set_onerror(None);
    socket.set_onclose(None);
    let _ = socket.close();
    drop(handlers);
    let outcome = answer.borrow_mut().take();
    outcome.unwrap_or(Err(if opened.get() { Failure::Failed } else { Failure::NotRunning }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64("Әлия".as_bytes()), "05jQu9C40Y8=");
        assert_eq!(base64(&[0xfb, 0xff, 0xbf]), "+/+/");
    }

    #[test]
    fn the_request_asks_basics_for_a_detached_cms_by_the_signer() {
        let request: serde_json::Value = serde_json::from_str(&sign_request(b"{\"a\":1}", "010101599904", Lang::Ru)).unwrap();
        assert_eq!(request["module"], "kz.gov.pki.knca.basics");
        assert_eq!(request["method"], "sign");
        let args = &request["args"];
        assert_eq!(args["format"], "cms");
        assert!(args.get("allowedStorages").is_none(), "every storage the person may keep a key in");
        assert_eq!(args["data"], "eyJhIjoxfQ==");
        assert_eq!(args["signingParams"]["decode"], true);
        assert_eq!(args["signingParams"]["encapsulate"], false);
        assert_eq!(args["signerParams"]["iin"], "010101599904");
        assert_eq!(args["locale"], "ru");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&sign_request(b"", "1\"2", Lang::Kk)).unwrap()["args"]["signerParams"]["iin"], "12");
    }

    #[test]
    fn answers_are_sorted_into_what_the_person_can_do() {
        assert_eq!(outcome(true, Some("MIIC".into()), ""), Ok("MIIC".into()));
        assert_eq!(outcome(true, None, ""), Err(Failure::Cancelled), "status true, empty body: the window was closed");
        assert_eq!(outcome(true, Some(String::new()), ""), Err(Failure::Cancelled));
        assert_eq!(outcome(false, None, "SIGNING_FAILURE Certificate has expired"), Err(Failure::WrongKey));
        assert_eq!(outcome(false, None, "GENERAL_ERROR Срок действия сертификата истек"), Err(Failure::WrongKey));
        assert_eq!(outcome(false, None, " action.canceled"), Err(Failure::Cancelled));
        assert_eq!(outcome(false, None, "INVOCATION_ERROR "), Err(Failure::Failed));
    }
}
