//! A provider's register of issued documents: imported all or nothing from CSV or Excel, and each
//! application shown to staff as matching it, partly matching it (which fields differ) or not in it.

use serde_json::{json, Value};
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

const HEADER: &str = "last_name,first_name,patronymic,iin,series,number,registration_number,graduation_year,specialty";
/// The graduate of `desk_application` as the register holds her (Kazakh letters, Cyrillic В in
/// the series: the form's "BD" is the same series).
const ASEL: &str = "Сейітқали,Әсел,,010101599904,ВD,№ 0012345,1234,2015,Жалпы медицина";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Uploads a register for `kaznmu` as `token`; returns the status and the body.
async fn upload(app: &TestApp, token: &str, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let res = app
        .client
        .post(app.url("/api/registers/graduates?institution=kaznmu"))
        .bearer_auth(token)
        .header("Content-Type", content_type)
        .header("Accept-Language", "ru")
        .body(body)
        .send()
        .await
        .expect("POST register");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn csv(lines: &[&str]) -> Vec<u8> {
    std::iter::once(HEADER).chain(lines.iter().copied()).collect::<Vec<_>>().join("\n").into_bytes()
}

/// The same lines as the first sheet of an Excel workbook, the IIN and the year in number cells
/// as a registrar's spreadsheet has them.
fn xlsx(lines: &[&str]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in std::iter::once(HEADER).chain(lines.iter().copied()).enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (row, col) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
            match cell.parse::<f64>() {
                Ok(n) if r > 0 && (c == 3 || c == 7) => sheet.write_number(row, col, n).map(|_| ()),
                _ => sheet.write_string(row, col, cell).map(|_| ()),
            }
            .expect("write a cell");
        }
    }
    book.save_to_buffer().expect("an xlsx workbook")
}

/// The register evidence of application `id` as the demo provider sees it.
async fn evidence(app: &TestApp, id: &str) -> Value {
    let provider = app.login("provider").await;
    let (status, view) = app.get(&format!("/api/applications/{id}"), Some(&provider)).await;
    assert_eq!(status, 200, "{view}");
    view["register"].clone()
}

async fn a_register_with_one_bad_line_imports_nothing_and_names_the_line(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let created = app.submit_at_desk("register-bad", &desk_application()).await;
    let id = created["id"].as_str().unwrap();
    let provider = app.login("provider").await;
    let bad = csv(&[ASEL, "Иванов,Иван,Иванович,010101599905,BD,0012346,1235,2015,Физика", "Петров,Пётр,,850315100016,BD,0012347,1236,2014,Химия"]);
    let (status, problem) = upload(&app, &provider, "text/csv", bad).await;
    assert_eq!(status, 422, "{problem}");
    let errors = problem["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{problem}");
    assert_eq!((errors[0]["field"].as_str(), errors[0]["code"].as_str()), (Some("lines.3.iin"), Some("iin.check_digit")));
    assert!(errors[0]["message"].as_str().unwrap().chars().any(|c| ('а'..='я').contains(&c)), "a message in Russian: {problem}");
    assert_eq!(evidence(&app, id).await, Value::Null, "nothing was imported, so there is no register to compare with");

    let twice = csv(&[ASEL, "Сейітқали,Әсел,,010101599904,BD,0012345,9999,2016,Физика"]);
    let (status, problem) = upload(&app, &provider, "text/csv", twice).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()),
        (422, Some("lines.3.number"), Some("register.duplicate"))
    );
    let (status, problem) = upload(&app, &provider, "text/csv", b"last_name,first_name\n".to_vec()).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("lines.1.patronymic")), "{problem}");

    let operator = app.login("operator").await;
    assert_eq!(upload(&app, &operator, "text/csv", csv(&[ASEL])).await.0, 403, "only the provider's staff upload its register");
}

async fn applications_match_partly_match_or_are_not_in_the_register(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let id = app.submit_at_desk("register-match", &desk_application()).await["id"].as_str().unwrap().to_string();
    let provider = app.login("provider").await;

    let (status, imported) = upload(&app, &provider, "text/csv", csv(&[ASEL, "Иванов,Иван,Иванович,850315100016,BD,0012346,1235,2015,Физика"])).await;
    assert_eq!((status, imported["records"].as_u64(), imported["institution"].as_str()), (200, Some(2), Some("kaznmu")), "{imported}");
    assert_eq!(evidence(&app, &id).await["documents"], json!([{"outcome": "matches", "differing": []}]));

    let other_year = ASEL.replace(",1234,2015,", ",1234,2016,").replace("Әсел", "Асель");
    assert_eq!(upload(&app, &provider, XLSX, xlsx(&[&other_year])).await.0, 200, "an Excel workbook replaces the register");
    assert_eq!(evidence(&app, &id).await["documents"], json!([{"outcome": "partly_matches", "differing": ["first_name", "graduation_year"]}]));

    let (status, imported) = upload(&app, &provider, XLSX, xlsx(&["Иванов,Иван,Иванович,850315100016,BD,0012346,1235,2015,Физика"])).await;
    assert_eq!((status, imported["records"].as_u64()), (200, Some(1)), "{imported}");
    assert_eq!(evidence(&app, &id).await["documents"], json!([{"outcome": "not_in_register", "differing": []}]));

    // Read by its number as well.
    let number = app.get(&format!("/api/applications/{id}"), Some(&provider)).await.1["number"].as_str().unwrap().to_string();
    let (status, view) = app.get(&format!("/api/applications/{number}"), Some(&provider)).await;
    assert_eq!((status, view["register"]["documents"][0]["outcome"].as_str()), (200, Some("not_in_register")), "by number too: {view}");
}

async fn the_applicant_sees_no_evidence(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let created = app.submit_at_desk("register-applicant", &desk_application()).await;
    let provider = app.login("provider").await;
    assert_eq!(upload(&app, &provider, "text/csv", csv(&[ASEL])).await.0, 200);
    let (status, view) = app.get(&format!("/api/applications/{}", created["id"].as_str().unwrap()), created["tracking_token"].as_str()).await;
    assert_eq!(status, 200, "{view}");
    assert!(view.get("register").is_none() && view["number"].is_string(), "{view}");
}

crate::on_both_backends!(
    a_register_with_one_bad_line_imports_nothing_and_names_the_line,
    applications_match_partly_match_or_are_not_in_the_register,
    the_applicant_sees_no_evidence,
);
