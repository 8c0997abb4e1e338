//! Electronic digital signatures (ЭЦП / ЭЦҚ) of applications made in NCALayer: a CMS (PKCS#7)
//! signature, base64, over the application's canonical content
//! ([`telnuska_shared::api::CreateApplicationRequest::signed_content`], the same bytes the browser
//! asks NCALayer to sign). Verification goes through the
//! [`SignatureVerifier`] trait so that a production verifier (a KalkanCrypt/NCANode service that
//! checks GOST signatures, certificate chains and OCSP) plugs in without touching the handlers.

use std::sync::Arc;

use base64::Engine;
use serde::Deserialize;

use crate::secrets::sha256_hex;

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
}

impl SignatureError {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Unavailable => "signature.eds_unavailable",
            Self::Malformed | Self::Mismatch => "signature.eds_invalid",
        }
    }
}

/// Checks a CMS signature over some content and says who made it.
pub trait SignatureVerifier: Send + Sync + std::fmt::Debug {
    /// Verifies `cms_base64` over `content`.
    fn verify(&self, cms_base64: &str, content: &[u8]) -> Result<SignerIdentity, SignatureError>;

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
    fn verify(&self, _: &str, _: &[u8]) -> Result<SignerIdentity, SignatureError> {
        Err(SignatureError::Unavailable)
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
    fn verify(&self, cms_base64: &str, content: &[u8]) -> Result<SignerIdentity, SignatureError> {
        let bytes = base64::engine::general_purpose::STANDARD.decode(cms_base64.trim()).map_err(|_| SignatureError::Malformed)?;
        let sig: TestSignature = serde_json::from_slice(&bytes).map_err(|_| SignatureError::Malformed)?;
        if sig.sha256 != sha256_hex(content) {
            return Err(SignatureError::Mismatch);
        }
        Ok(SignerIdentity { iin: sig.iin })
    }
}

/// The verifier a configuration asks for.
pub fn from_config(name: Option<&str>, demo: bool) -> Arc<dyn SignatureVerifier> {
    match name {
        Some("test-double") if demo => Arc::new(TestDouble),
        _ => Arc::new(Unavailable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_double_accepts_only_a_signature_over_this_content() {
        let content = br#"{"a":1}"#;
        let good = base64::engine::general_purpose::STANDARD.encode(format!(r#"{{"iin":"010101599904","sha256":"{}"}}"#, sha256_hex(content)));
        assert_eq!(TestDouble.verify(&good, content), Ok(SignerIdentity { iin: "010101599904".into() }));
        assert_eq!(TestDouble.verify(&good, b"other"), Err(SignatureError::Mismatch));
        assert_eq!(TestDouble.verify("not base64!", content), Err(SignatureError::Malformed));
        assert_eq!(Unavailable.verify(&good, content), Err(SignatureError::Unavailable));
        assert!(TestDouble.available() && !Unavailable.available());
        assert!(!from_config(Some("test-double"), false).available(), "the test double only in demo mode");
    }
}
