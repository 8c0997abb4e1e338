//! Electronic digital signatures (ЭЦП / ЭЦҚ) of applications made in NCALayer: a CMS (PKCS#7)
//! signature, base64, over the application's canonical content
//! ([`telnuska_shared::api::CreateApplicationRequest::signed_content`], the same bytes the browser
//! asks NCALayer to sign). Verification goes through the [`SignatureVerifier`] trait; the
//! production verifier is [`NcaNode`], the open-source service Kazakh systems run to check GOST
//! signatures, certificate chains and revocation (OCSP) with the national CA's roots.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::secrets::sha256_hex;

/// A verification on its way (the production verifier asks another service).
pub type Verification<'a> = Pin<Box<dyn Future<Output = Result<SignerIdentity, SignatureError>> + Send + 'a>>;

/// Who signed, as the certificate says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerIdentity {
    /// The signer's IIN from the certificate's subject (SERIALNUMBER=IIN…).
    pub iin: String,
}

/// Why a signature is not accepted; each has a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No verifier is configured on this server.
    #[error("EDS verification is not available")]
    Unavailable,
    /// Not a CMS signature this verifier can read.
    #[error("malformed signature")]
    Malformed,
    /// The signature does not cover this content, or is invalid.
    #[error("the signature does not match the application")]
    Mismatch,
    /// The signer's certificate was revoked.
    #[error("the certificate is revoked")]
    Revoked,
    /// The signer's certificate is not valid now (expired or not yet valid).
    #[error("the certificate is not valid now")]
    Expired,
    /// The verifier did not answer in time, or answered with a fault: the signature may be good.
    #[error("the EDS verifier cannot be reached")]
    VerifierDown,
}

impl SignatureError {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Unavailable => "signature.eds_unavailable",
            Self::Malformed | Self::Mismatch => "signature.eds_invalid",
            Self::Revoked => "signature.eds_revoked",
            Self::Expired => "signature.eds_expired",
            Self::VerifierDown => "signature.eds_verifier_down",
        }
    }
}

/// Checks a CMS signature over some content and says who made it.
pub trait SignatureVerifier: Send + Sync + std::fmt::Debug {
    /// Verifies `cms_base64` over `content`.
    fn verify<'a>(&'a self, cms_base64: &'a str, content: &'a [u8]) -> Verification<'a>;

    /// Whether this verifier can accept anything: the app offers EDS signing only then
    /// (`GET /api/config`).
    fn available(&self) -> bool {
        true
    }
}

/// The default: no verifier configured, every EDS signature is refused with a clear code.
#[derive(Debug)]
pub struct Unavailable;

impl SignatureVerifier for Unavailable {
    fn verify<'a>(&'a self, _: &'a str, _: &'a [u8]) -> Verification<'a> {
        Box::pin(async { Err(SignatureError::Unavailable) })
    }

    fn available(&self) -> bool {
        false
    }
}

/// A test double for demos and tests only (`TELNUSKA_EDS_VERIFIER=test-double` with
/// `TELNUSKA_DEMO=1`): its "CMS" is base64 of `{"iin": "...", "sha256": "<hex of content>"}`.
/// It exercises every path of the handlers without a certificate authority.
#[derive(Debug)]
pub struct TestDouble;

#[derive(Deserialize)]
struct TestSignature {
    iin: String,
    sha256: String,
}

impl SignatureVerifier for TestDouble {
    fn verify<'a>(&'a self, cms_base64: &'a str, content: &'a [u8]) -> Verification<'a> {
        Box::pin(async move { TestDouble::check(cms_base64, content) })
    }
}

impl TestDouble {
    fn check(cms_base64: &str, content: &[u8]) -> Result<SignerIdentity, SignatureError> {
        let bytes = base64::engine::general_purpose::STANDARD.decode(cms_base64.trim()).map_err(|_| SignatureError::Malformed)?;
        let sig: TestSignature = serde_json::from_slice(&bytes).map_err(|_| SignatureError::Malformed)?;
        if sig.sha256 != sha256_hex(content) {
            return Err(SignatureError::Mismatch);
        }
        Ok(SignerIdentity { iin: sig.iin })
    }
}

/// NCANode (v3 HTTP API, `POST /cms/verify`): it checks the CMS over the detached content, the
/// certificate chain to the national CA and, asked to, revocation by OCSP; its answer names the
/// signer's IIN. Its faults and timeouts are [`SignatureError::VerifierDown`], never a refusal of
/// a signature that may be good.
#[derive(Debug)]
pub struct NcaNode {
    client: reqwest::Client,
    url: String,
}

/// How long NCANode may take (OCSP included) before the person is told to try again.
const NCANODE_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NcaNodeRequest<'a> {
    revocation_check: [&'static str; 1],
    cms: &'a str,
    data: String,
}

#[derive(Deserialize)]
struct NcaNodeAnswer {
    #[serde(default)]
    valid: bool,
    #[serde(default)]
    signers: Vec<NcaNodeSigner>,
}

#[derive(Deserialize)]
struct NcaNodeSigner {
    #[serde(default)]
    certificates: Vec<NcaNodeCertificate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NcaNodeCertificate {
    #[serde(default)]
    valid: bool,
    #[serde(default)]
    revoked_by: Vec<serde_json::Value>,
    not_before: Option<Instant>,
    not_after: Option<Instant>,
    subject: Option<NcaNodeSubject>,
}

/// A date of NCANode's answer: ISO 8601 (its default), or milliseconds since 1970 (Jackson's
/// default when a deployment turns ISO dates off).
#[derive(Deserialize)]
#[serde(untagged)]
enum Instant {
    Text(DateTime<Utc>),
    Millis(i64),
}

impl Instant {
    fn at(&self) -> Option<DateTime<Utc>> {
        match self {
            Instant::Text(at) => Some(*at),
            Instant::Millis(ms) => DateTime::from_timestamp_millis(*ms),
        }
    }
}

#[derive(Deserialize)]
struct NcaNodeSubject {
    iin: Option<String>,
}

impl NcaNode {
    /// The verifier at `url` (its base address, such as `http://ncanode:14579`).
    pub fn new(url: &str) -> Self {
        let client = reqwest::Client::builder().timeout(NCANODE_TIMEOUT).build().unwrap_or_default();
        Self { client, url: format!("{}/cms/verify", url.trim_end_matches('/')) }
    }

    async fn ask(&self, cms_base64: &str, content: &[u8]) -> Result<SignerIdentity, SignatureError> {
        let request = NcaNodeRequest { revocation_check: ["OCSP"], cms: cms_base64.trim(), data: base64::engine::general_purpose::STANDARD.encode(content) };
        let response = self.client.post(&self.url).json(&request).send().await.map_err(|_| SignatureError::VerifierDown)?;
        let status = response.status();
        if status.is_server_error() {
            return Err(SignatureError::VerifierDown);
        }
        // NCANode answers 400 to a CMS it cannot read.
        if !status.is_success() {
            return Err(SignatureError::Malformed);
        }
        let answer: NcaNodeAnswer = response.json().await.map_err(|_| SignatureError::VerifierDown)?;
        judge(answer, Utc::now())
    }
}

/// What NCANode's answer means for the application: the signer is the first certificate of the
/// first signer (the chain follows it).
fn judge(answer: NcaNodeAnswer, now: DateTime<Utc>) -> Result<SignerIdentity, SignatureError> {
    let certificate = answer.signers.into_iter().next().and_then(|s| s.certificates.into_iter().next()).ok_or(SignatureError::Malformed)?;
    if !certificate.revoked_by.is_empty() {
        return Err(SignatureError::Revoked);
    }
    let (from, until) = (certificate.not_before.and_then(|i| i.at()), certificate.not_after.and_then(|i| i.at()));
    let in_force = from.is_none_or(|from| from <= now) && until.is_none_or(|until| now <= until);
    if !in_force {
        return Err(SignatureError::Expired);
    }
    if !answer.valid || !certificate.valid {
        return Err(SignatureError::Mismatch);
    }
    let iin = certificate.subject.and_then(|s| s.iin).ok_or(SignatureError::Malformed)?;
    Ok(SignerIdentity { iin: iin.trim_start_matches("IIN").to_string() })
}

impl SignatureVerifier for NcaNode {
    fn verify<'a>(&'a self, cms_base64: &'a str, content: &'a [u8]) -> Verification<'a> {
        Box::pin(self.ask(cms_base64, content))
    }
}

/// The verifiers a configuration may name (`TELNUSKA_EDS_VERIFIER`).
pub const VERIFIERS: [&str; 2] = ["ncanode", "test-double"];

/// The verifier a configuration asks for (checked at start by the configuration: a name outside
/// [`VERIFIERS`], `ncanode` without its URL or the test double outside demo mode stop the start).
pub fn from_config(name: Option<&str>, demo: bool, ncanode_url: Option<&str>) -> Arc<dyn SignatureVerifier> {
    match (name, ncanode_url) {
        (Some("test-double"), _) if demo => Arc::new(TestDouble),
        (Some("ncanode"), Some(url)) => Arc::new(NcaNode::new(url)),
        _ => Arc::new(Unavailable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_test_double_accepts_only_a_signature_over_this_content() {
        let content = br#"{"a":1}"#;
        let good = base64::engine::general_purpose::STANDARD.encode(format!(r#"{{"iin":"010101599904","sha256":"{}"}}"#, sha256_hex(content)));
        assert_eq!(TestDouble.verify(&good, content).await, Ok(SignerIdentity { iin: "010101599904".into() }));
        assert_eq!(TestDouble.verify(&good, b"other").await, Err(SignatureError::Mismatch));
        assert_eq!(TestDouble.verify("not base64!", content).await, Err(SignatureError::Malformed));
        assert_eq!(Unavailable.verify(&good, content).await, Err(SignatureError::Unavailable));
        assert!(TestDouble.available() && !Unavailable.available());
        assert!(!from_config(Some("test-double"), false, None).available(), "the test double only in demo mode");
        assert!(!from_config(Some("ncanode"), false, None).available(), "NCANode needs its address");
        assert!(from_config(Some("ncanode"), false, Some("http://127.0.0.1:14579")).available());
    }

    fn answer(json: serde_json::Value) -> NcaNodeAnswer {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn an_ncanode_answer_names_the_signer_or_says_what_is_wrong_with_the_certificate() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z").unwrap().with_timezone(&Utc);
        let certificate = |valid: bool, revoked: serde_json::Value, until: &str| {
            serde_json::json!({"status": 200, "message": "", "valid": valid, "signers": [{"certificates": [
                {"valid": valid, "revokedBy": revoked, "notBefore": "2026-01-01T00:00:00Z", "notAfter": until, "subject": {"iin": "010101599904", "commonName": "АХМЕТОВА АЙГЕРІМ"}},
                {"valid": true, "subject": {"commonName": "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ"}}
            ]}]})
        };
        assert_eq!(judge(answer(certificate(true, serde_json::json!([]), "2027-01-01T00:00:00Z")), now), Ok(SignerIdentity { iin: "010101599904".into() }));
        assert_eq!(
            judge(answer(certificate(false, serde_json::json!([{"by": "OCSP", "reason": "keyCompromise"}]), "2027-01-01T00:00:00Z")), now),
            Err(SignatureError::Revoked)
        );
        assert_eq!(judge(answer(certificate(false, serde_json::json!([]), "2026-06-01T00:00:00.000+00:00")), now), Err(SignatureError::Expired));
        let mut in_millis = certificate(false, serde_json::json!([]), "");
        in_millis["signers"][0]["certificates"][0]["notAfter"] = serde_json::json!(1_780_000_000_000_i64);
        assert_eq!(judge(answer(in_millis), now), Err(SignatureError::Expired), "2026-05-28 in milliseconds");
        assert_eq!(judge(answer(certificate(false, serde_json::json!([]), "2027-01-01T00:00:00Z")), now), Err(SignatureError::Mismatch));
        assert_eq!(judge(answer(serde_json::json!({"valid": false, "signers": []})), now), Err(SignatureError::Malformed));
    }
}
