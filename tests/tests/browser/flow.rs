//! Driving the application form step by step as a person would, shared by the browser tests.

use std::path::PathBuf;
use std::time::Duration;

use telnuska_tests::browser::Browser;
use telnuska_tests::server::TempDir;
use telnuska_tests::TestApp;

/// The phone every test applicant uses.
pub const PHONE: &str = "+77011234567";
/// A valid IIN of an adult born on 1 January 2001.
pub const GRADUATE_IIN: &str = "010101599904";
/// A valid IIN of an adult born on 2 February 1990 (a parent, a representative).
pub const PARENT_IIN: &str = "900202300125";
/// A valid IIN of a minor born on 5 May 2010.
pub const PUPIL_IIN: &str = "100505600124";

/// One "details of the education document" entry.
pub struct Doc<'a> {
    /// Region code.
    pub region: &'a str,
    /// Institution code (of that region).
    pub institution: &'a str,
    /// Degree code.
    pub degree: &'a str,
    /// `None` for a school certificate, which has no specialty.
    pub specialty: Option<&'a str>,
    /// Series as printed.
    pub series: &'a str,
    /// Blank number.
    pub number: &'a str,
    /// Registration number.
    pub registration_number: &'a str,
    /// Year of graduation.
    pub year: &'a str,
}

/// A university diploma of the applicant.
pub const KAZNMU_DIPLOMA: Doc<'static> = Doc {
    region: "almaty_city",
    institution: "kaznmu",
    degree: "bachelor",
    specialty: Some("Жалпы медицина"),
    series: "BD",
    number: "0012345",
    registration_number: "1234",
    year: "2015",
};

/// A college diploma of Astana IT University's college.
pub const AITU_COLLEGE_DIPLOMA: Doc<'static> = Doc {
    region: "astana_city",
    institution: "aitu_college",
    degree: "tvet",
    specialty: Some("Бағдарламалық қамтамасыз ету"),
    series: "ТКБ",
    number: "0004567",
    registration_number: "77",
    year: "2021",
};

/// A basic secondary school certificate of the Nazarbayev Intellectual School in Astana.
pub const NIS_SCHOOL_CERTIFICATE: Doc<'static> = Doc {
    region: "astana_city",
    institution: "nis_fm_astana",
    degree: "basic_secondary",
    specialty: None,
    series: "НО",
    number: "0123456",
    registration_number: "15",
    year: "2025",
};

/// Presses "continue" and waits for an element of the next step.
pub async fn next(b: &Browser, then: &str) {
    b.click("#step-next").await;
    b.wait_for(then).await;
}

/// Step 1: chooses the service and continues.
pub async fn choose_service(b: &Browser, service: &str) {
    b.click(&format!("#f-service-{service}")).await;
    next(b, "#f-relationship-self").await;
}

/// Types a person's IIN and names into the inputs of `who` (`applicant`, `pupil`, `representative`).
pub async fn type_person(b: &Browser, who: &str, iin: &str, last: &str, first: &str) {
    b.type_into(&format!("#f-{who}-iin"), iin).await;
    b.type_into(&format!("#f-{who}-last_name"), last).await;
    b.type_into(&format!("#f-{who}-first_name"), first).await;
}

/// The phone and e-mail of step 2.
pub async fn type_contacts(b: &Browser) {
    type_contacts_as(b, "8 701 123 45 67", "asel@mail.kz").await;
}

/// The phone and e-mail of step 2, as given.
pub async fn type_contacts_as(b: &Browser, phone: &str, email: &str) {
    b.type_into("#f-applicant-phone", phone).await;
    b.type_into("#f-applicant-email", email).await;
}

/// Fills document entry `i` (which must be on screen).
pub async fn fill_document(b: &Browser, i: usize, doc: &Doc<'_>) {
    let id = |part: &str| format!("#f-documents-{i}-{part}");
    b.select(&id("region"), doc.region).await;
    b.select(&id("institution"), doc.institution).await;
    b.select(&id("degree"), doc.degree).await;
    if let Some(specialty) = doc.specialty {
        b.type_into(&id("specialty"), specialty).await;
    }
    b.type_into(&id("series"), doc.series).await;
    b.type_into(&id("number"), doc.number).await;
    b.type_into(&id("registration_number"), doc.registration_number).await;
    b.type_into(&id("graduation_year"), doc.year).await;
}

/// Step 5 (both consents), then the review, then the signing step.
pub async fn consent_and_review(b: &Browser) {
    b.click("#f-consents-accuracy").await;
    b.click("#f-consents-personal_data").await;
    next(b, "#review").await;
    next(b, "#send-code").await;
}

/// A university-diploma application of the graduate, from the start to its documents step.
pub async fn fill_up_to_documents(b: &Browser) {
    fill_up_to_documents_as(b, "8 701 123 45 67", "asel@mail.kz").await;
}

/// [`fill_up_to_documents`] with the graduate's phone and e-mail as given.
pub async fn fill_up_to_documents_as(b: &Browser, phone: &str, email: &str) {
    choose_service(b, "higher_duplicate").await;
    b.click("#f-relationship-self").await;
    type_person(b, "applicant", GRADUATE_IIN, "Сейітқали", "Әсел").await;
    type_contacts_as(b, phone, email).await;
    next(b, "#f-document_kind-diploma").await;
    b.click("#f-document_kind-diploma").await;
}

/// A university-diploma application of the graduate (lost), filled in up to the signing step.
pub async fn fill_up_to_signing(b: &Browser) {
    fill_up_to_documents(b).await;
    fill_lost_diploma_up_to_signing(b).await;
}

/// From the documents step (the diploma chosen): the university diploma, lost, then the
/// consents and the review, up to the signing step.
pub async fn fill_lost_diploma_up_to_signing(b: &Browser) {
    fill_document(b, 0, &KAZNMU_DIPLOMA).await;
    next(b, "#f-reason-loss").await;
    b.click("#f-reason-loss").await;
    next(b, "#f-consents-accuracy").await;
    consent_and_review(b).await;
}

/// The code the demo outbox holds for [`PHONE`], waiting up to 20 s for it.
pub async fn sms_code(app: &TestApp) -> String {
    sms_code_for(app, PHONE).await
}

/// The code the demo outbox holds for `phone` (E.164), waiting up to 20 s for it.
pub async fn sms_code_for(app: &TestApp, phone: &str) -> String {
    for _ in 0..200 {
        let (status, sms) = app.get(&format!("/api/dev/sms?phone={}", phone.replace('+', "%2B")), None).await;
        if let Some(code) = sms[0]["code"].as_str().filter(|_| status == 200) {
            return code.to_string();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no SMS code for {phone} within 20 s")
}

/// Asks for the SMS code and types it in.
pub async fn sign(b: &Browser, app: &TestApp) {
    sign_as(b, app, PHONE).await;
}

/// Asks for the SMS code to `phone` (E.164, as the form holds it) and types it in.
pub async fn sign_as(b: &Browser, app: &TestApp, phone: &str) {
    b.click("#send-code").await;
    let code = sms_code_for(app, phone).await;
    b.type_into("#f-signature-code", &code).await;
}

/// Sends, waits for the confirmation and returns the application number shown.
pub async fn send_and_confirm(b: &Browser) -> String {
    b.click("#submit").await;
    b.wait_for("#confirmation").await;
    let number = b.text("#application-number").await;
    assert!(number.contains("TN-"), "number shown: {number:?}");
    assert!(!b.text("#registered-on").await.trim().is_empty());
    assert!(!b.text("#due-on").await.trim().is_empty());
    number
}

/// The applications the server holds, as the operator's queue lists them.
pub async fn stored_applications(app: &TestApp) -> Vec<serde_json::Value> {
    let token = app.login("operator").await;
    let (status, page) = app.get("/api/applications?limit=100", Some(&token)).await;
    assert_eq!(status, 200, "{page}");
    page["items"].as_array().cloned().unwrap_or_default()
}

/// Files the tests attach, in a folder removed after the test.
pub struct Files {
    dir: TempDir,
}

impl Files {
    /// A new, empty folder.
    pub fn new() -> Self {
        Self { dir: TempDir::new("telnuska-upload") }
    }

    /// A real PNG picture of `width`×`height` (a grey gradient), as a phone camera would give.
    pub fn png(&self, name: &str, width: u32, height: u32) -> PathBuf {
        self.write(name, &png(width, height))
    }

    /// A small but well-formed one-page PDF.
    pub fn pdf(&self, name: &str) -> PathBuf {
        let objects =
            ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"];
        let mut pdf = String::from("%PDF-1.4\n");
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.push_str(&format!("{} 0 obj\n{body}\nendobj\n", i + 1));
        }
        let xref = pdf.len();
        pdf.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
        for offset in offsets {
            pdf.push_str(&format!("{offset:010} 00000 n \n"));
        }
        pdf.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1));
        self.write(name, pdf.as_bytes())
    }

    /// A file of `bytes` named `name`.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.0.join(name);
        std::fs::write(&path, bytes).expect("write test file");
        path
    }
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffff_u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1_u32, 0_u32);
    for &x in bytes {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

/// An 8-bit greyscale PNG, its pixels in uncompressed ("stored") deflate blocks.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0); // filter: none
        raw.extend((0..width).map(|x| ((x + y) % 256) as u8));
    }
    let mut zlib = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == chunks.len()));
        let len = chunk.len() as u16;
        zlib.extend(len.to_le_bytes());
        zlib.extend((!len).to_le_bytes());
        zlib.extend_from_slice(chunk);
    }
    zlib.extend(adler32(&raw).to_be_bytes());
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    let mut chunk = |kind: &[u8; 4], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend(crc32(&body).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]); // 8-bit greyscale, deflate, no filter method, no interlace
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &zlib);
    chunk(b"IEND", &[]);
    out
}

#[test]
fn the_png_encoder_writes_the_signature_and_checksums_people_know() {
    assert_eq!(crc32(b"IEND"), 0xae42_6082, "the CRC of every PNG's last chunk");
    assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
    let png = png(3, 2);
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(png.ends_with(&[0xae, 0x42, 0x60, 0x82]));
}
