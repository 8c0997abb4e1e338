//! What the form asks of people and staff read back (issue 11, part B): who may apply for whom,
//! a correction that says what is wrong, the name on the original, an institution not in the
//! list routed by the administrator, institutions added one by one or from the register.

use serde_json::{json, Value};
use telnuska_tests::server::{desk_application, valid_application};
use telnuska_tests::{Backend, TestApp};

use crate::attachments::{upload, PDF};

const PHONE: &str = "+77011234567";

fn codes(problem: &Value) -> Vec<(String, String)> {
    problem["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string())).collect()
}

async fn wrong_relationships_are_refused_at_the_persons_field_with_their_message(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut body = desk_application();
    body["relationship"] = json!("representative");
    body["representative"] = json!({"iin": "010101599904", "last_name": "Сейітқали", "first_name": "Әсел"});
    let (status, problem) = app.post("/api/applications/validate", &body, None, None).await;
    assert_eq!(status, 422, "{problem}");
    assert!(codes(&problem).contains(&("representative.iin".into(), "representative.same_as_graduate".into())), "{problem}");
    // A 14-year-old representative (born 29 February 2012).
    body["representative"]["iin"] = json!("120229699910");
    let res = app.client.post(app.url("/api/applications/validate")).header("accept-language", "ru").json(&body).send().await.unwrap();
    let problem: Value = res.json().await.unwrap();
    let error = problem["errors"].as_array().unwrap().iter().find(|e| e["field"] == "representative.iin").unwrap().clone();
    assert_eq!(error["code"], "representative.not_adult");
    assert!(error["message"].as_str().unwrap().contains("совершеннолетним"), "{error}");
    // A missing choice says what to choose.
    body["relationship"] = Value::Null;
    let res = app.client.post(app.url("/api/applications/validate")).header("accept-language", "en").json(&body).send().await.unwrap();
    let problem: Value = res.json().await.unwrap();
    let error = problem["errors"].as_array().unwrap().iter().find(|e| e["field"] == "relationship").unwrap().clone();
    assert_eq!((error["code"].as_str(), error["message"].as_str()), (Some("required"), Some("Choose who is applying.")));
}

async fn a_correction_and_a_name_change_reach_staff_with_their_before_and_after(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let copy = upload(&app, PDF).await;
    let mut body = valid_application(PHONE, &app.otp_code(PHONE).await);
    body["service"] = json!("correction");
    body["reason"] = json!("data_error");
    body["documents"] = json!([{"region": "karaganda", "institution": "kvki", "degree": "tvet", "specialty": "Электроснабжение",
                                "series": "ТКБ", "number": "0004567", "registration_number": "301", "graduation_year": 2019}]);
    body["attachments"] = json!([{"kind": "electronic_copy", "id": copy}]);
    let (status, problem) = app.post("/api/applications/validate", &body, None, None).await;
    assert_eq!((status, codes(&problem)), (422, vec![("corrections.0.data".into(), "required".into())]), "a correction says what is wrong");
    body["corrections"] = json!([{"data": "last_name", "as_printed": "Сейткали", "should_be": " сейткали ", "proof": ""}]);
    let (_, problem) = app.post("/api/applications/validate", &body, None, None).await;
    assert_eq!(
        codes(&problem),
        [("corrections.0.should_be", "correction.unchanged"), ("corrections.0.proof", "required")].map(|(f, c)| (f.to_string(), c.to_string()))
    );
    body["corrections"] = json!([{"data": "last_name", "as_printed": "Сейткали", "should_be": "Сейітқали", "proof": "Жеке куәлік № 012345678"}]);
    let (status, created) = app.post("/api/applications", &body, Some("correction-1"), None).await;
    assert_eq!(status, 201, "{created}");

    let mut change = desk_application();
    change["reason"] = json!("name_change");
    change["attachments"] =
        json!([{"kind": "original_document", "id": upload(&app, PDF).await}, {"kind": "name_change_certificate", "id": upload(&app, PDF).await}]);
    let (status, problem) = app.post("/api/applications/validate", &change, None, None).await;
    assert_eq!(status, 422);
    assert!(codes(&problem).contains(&("name_on_document.last_name".into(), "required".into())), "{problem}");
    change["name_on_document"] = json!({"last_name": "Ахметова", "first_name": "Әсел", "patronymic": null});
    let renamed = app.submit_at_desk("name-change-1", &change).await;

    let staff = app.login("operator").await;
    let (status, seen) = app.get(&format!("/api/applications/{}", created["id"].as_str().unwrap()), Some(&staff)).await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(
        seen["request"]["corrections"][0],
        json!({"data": "last_name", "as_printed": "Сейткали", "should_be": "Сейітқали", "proof": "Жеке куәлік № 012345678"})
    );
    let (_, seen) = app.get(&format!("/api/applications/{}", renamed["id"].as_str().unwrap()), Some(&staff)).await;
    assert_eq!(seen["request"]["name_on_document"]["last_name"], "Ахметова");
    assert_eq!(seen["request"]["applicant"]["last_name"], "Сейітқали");
    assert_eq!(seen["register_name"], "Ахметова Әсел", "the register is searched by the name on the original");
}

async fn an_unlisted_college_waits_in_the_routing_queue_until_the_admin_routes_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut body = desk_application();
    body["service"] = json!("tvet_duplicate");
    body["documents"] = json!([{"region": "pavlodar", "institution": "", "unlisted_institution": "Павлодарский  колледж сервиса",
                                "degree": "tvet", "specialty": "Повар", "series": "ТКБ", "number": "0001234", "registration_number": "55", "graduation_year": 2018}]);
    let created = app.submit_at_desk("unlisted-1", &body).await;
    let id = created["id"].as_str().unwrap();
    let admin = app.login("admin").await;
    let (status, queue) = app.get("/api/admin/routing?region=pavlodar", Some(&admin)).await;
    assert_eq!(status, 200, "{queue}");
    assert_eq!(queue["items"][0]["id"], id);
    assert_eq!(queue["items"][0]["request"]["documents"][0]["unlisted_institution"], "Павлодарский колледж сервиса", "stored as printed, spaces tidied");
    let (_, elsewhere) = app.get("/api/admin/routing?region=abai", Some(&admin)).await;
    assert_eq!(elsewhere["items"], json!([]));
    let (status, _) = app.get("/api/admin/routing", Some(&app.login("provider").await)).await;
    assert_eq!(status, 403);

    // The administrator adds the college (so the next person finds it) and routes the application to it.
    let (_, before) = app.get("/api/reference", None).await;
    let college = json!({"code": "pvl_service_college", "kind": "college", "region": "pavlodar", "name_kk": "", "name_ru": "Павлодарский колледж сервиса", "name_en": "", "aliases": "ПКС"});
    let (status, added) = app.post("/api/admin/institutions", &college, None, Some(&admin)).await;
    assert_eq!(status, 201, "{added}");
    let (_, after) = app.get("/api/reference", None).await;
    assert_ne!(after["version"], before["version"]);
    let listed = after["institutions"].as_array().unwrap().iter().find(|i| i["code"] == "pvl_service_college").unwrap().clone();
    assert_eq!(listed["name"], json!({"kk": "Павлодарский колледж сервиса", "ru": "Павлодарский колледж сервиса", "en": "Павлодарский колледж сервиса"}));
    let (status, again) = app.post("/api/admin/institutions", &college, None, Some(&admin)).await;
    assert_eq!(status, 201, "adding the same again updates it: {again}");
    let (status, taken) =
        app.post("/api/admin/institutions", &json!({"code": "kaznu", "kind": "university", "region": "almaty_city", "name_ru": "X"}), None, Some(&admin)).await;
    assert_eq!((status, codes(&taken)), (422, vec![("code".into(), "institution.code_taken".into())]));

    let (status, wrong) = app.post(&format!("/api/admin/routing/{id}"), &json!({"institution": "kaznu"}), None, Some(&admin)).await;
    assert_eq!((status, codes(&wrong)), (422, vec![("institution".into(), "institution.wrong_kind".into())]));
    let (status, routed) = app.post(&format!("/api/admin/routing/{id}"), &json!({"institution": "pvl_service_college"}), None, Some(&admin)).await;
    assert_eq!(status, 200, "{routed}");
    let (_, queue) = app.get("/api/admin/routing", Some(&admin)).await;
    assert_eq!(queue["items"], json!([]));
    let (status, repeat) = app.post(&format!("/api/admin/routing/{id}"), &json!({"institution": "pvl_service_college"}), None, Some(&admin)).await;
    assert_eq!(status, 200, "{repeat}");
    let (status, _) = app.post(&format!("/api/admin/routing/{id}"), &json!({"institution": "kvki"}), None, Some(&admin)).await;
    assert_eq!(status, 409);
    let (_, queue) = app.get("/api/applications?institution=pvl_service_college", Some(&admin)).await;
    assert_eq!(queue["items"][0]["id"], id, "now in the college's queue");

    // The next person picks it from the list.
    let mut next = desk_application();
    next["service"] = json!("tvet_duplicate");
    next["documents"] = body["documents"].clone();
    next["documents"][0]["institution"] = json!("pvl_service_college");
    next["documents"][0]["unlisted_institution"] = Value::Null;
    app.submit_at_desk("listed-1", &next).await;
}

async fn the_register_is_imported_all_or_nothing_with_line_numbered_errors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.login("admin").await;
    let import = |csv: &'static str| {
        let request = app.client.post(app.url("/api/admin/institutions/import")).bearer_auth(&admin).header("content-type", "text/csv").body(csv);
        async move {
            let res = request.send().await.unwrap();
            (res.status().as_u16(), res.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (_, before) = app.get("/api/reference", None).await;
    let bad = "code,kind,region,name_kk,name_ru,bin\n\
               ekb_college,college,east_kazakhstan,,\"Колледж, Усть-Каменогорск\",123\n\
               bad code,college,east_kazakhstan,,Колледж,\n\
               ekb_school,academy,mars,,,\n";
    let (status, problem) = import(bad).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        codes(&problem),
        [
            ("lines.3.code", "institution.code_format"),
            ("lines.4.kind", "institution.unknown_kind"),
            ("lines.4.region", "reference.unknown_region"),
            ("lines.4.name_ru", "institution.name_required")
        ]
        .map(|(f, c)| (f.to_string(), c.to_string()))
    );
    let (_, unchanged) = app.get("/api/reference", None).await;
    assert_eq!(unchanged["version"], before["version"], "nothing of a file with errors is imported");

    let good = "code,kind,region,name_kk,name_ru,name_en,aliases\n\
                ekb_college,college,east_kazakhstan,Өскемен колледжі,\"Колледж, Усть-Каменогорск\",,ӨК;УКК\n\
                ekb_school,school,east_kazakhstan,,Школа-гимназия № 1 (Усть-Каменогорск),,\n";
    let (status, done) = import(good).await;
    assert_eq!((status, &done["stored"]), (200, &json!(2)), "{done}");
    let (_, after) = app.get("/api/reference", None).await;
    assert_eq!(after["version"], done["version"]);
    let college = after["institutions"].as_array().unwrap().iter().find(|i| i["code"] == "ekb_college").unwrap().clone();
    assert_eq!((college["name"]["kk"].as_str(), college["name"]["ru"].as_str()), (Some("Өскемен колледжі"), Some("Колледж, Усть-Каменогорск")));
    assert_eq!(college["aliases"], json!(["ӨК", "УКК"]));
    let (status, again) = import(good).await;
    assert_eq!((status, &again["version"]), (200, &done["version"]), "the same register again changes nothing");
}

/// A representative acting for the graduate of `valid_application`, signing with an SMS code
/// sent to `phone`.
async fn represented(app: &TestApp, phone: &str) -> Value {
    let mut body = valid_application(phone, "000000");
    body["relationship"] = json!("representative");
    body["representative"] = json!({"iin": "850315100016", "last_name": "Ахметов", "first_name": "Ерлан"});
    body["attachments"] = json!([{"kind": "power_of_attorney", "id": upload(app, PDF).await}]);
    body
}

async fn sms_to(app: &TestApp, phone: &str) -> Value {
    app.get(&format!("/api/dev/sms?phone={}", phone.replace('+', "%2B")), None).await.1
}

async fn a_representatives_contacts_are_stored_as_theirs_and_every_sms_goes_to_them(backend: Backend) {
    const REPRESENTATIVE: &str = "+77021112233";
    let app = TestApp::spawn(backend).await;
    let staff = app.login("operator").await;

    // A v1 client: `applicant.phone` is the contact of whoever applies, here the representative.
    let mut v1 = represented(&app, REPRESENTATIVE).await;
    v1["applicant"]["email"] = json!("erlan@mail.kz");
    v1["signature"]["code"] = json!(app.otp_code(REPRESENTATIVE).await);
    let (status, created) = app.post("/api/applications", &v1, Some("rep-v1"), None).await;
    assert_eq!(status, 201, "{created}");
    let (_, seen) = app.get(&format!("/api/applications/{}", created["id"].as_str().unwrap()), Some(&staff)).await;
    let request = &seen["request"];
    assert_eq!((&request["representative"]["phone"], &request["representative"]["email"]), (&json!(REPRESENTATIVE), &json!("erlan@mail.kz")), "{request}");
    assert_eq!((&request["applicant"]["phone"], &request["applicant"]["email"]), (&json!(""), &Value::Null), "not stored as the graduate's");
    let sms = sms_to(&app, REPRESENTATIVE).await;
    assert!(sms.as_array().unwrap().iter().any(|m| m["text"].as_str().unwrap().contains(created["number"].as_str().unwrap())), "{sms}");

    // A client that sends the representative's own contacts apart from the graduate's phone
    // (another representative: a phone gets one code a minute).
    const OWN: &str = "+77024445566";
    let mut own = represented(&app, PHONE).await;
    own["representative"]["phone"] = json!("8 702 444 55 66");
    own["representative"]["email"] = json!("erlan@mail.kz");
    own["signature"]["code"] = json!(app.otp_code(PHONE).await);
    let (status, problem) = app.post("/api/applications", &own, Some("rep-own"), None).await;
    assert_eq!((status, codes(&problem)), (422, vec![("signature.phone".into(), "otp.other_phone".into())]), "the graduate's phone does not sign");
    own["signature"] = json!({"method": "otp", "phone": OWN, "code": app.otp_code(OWN).await});
    let (status, created) = app.post("/api/applications", &own, Some("rep-own"), None).await;
    assert_eq!(status, 201, "{created}");
    let (_, seen) = app.get(&format!("/api/applications/{}", created["id"].as_str().unwrap()), Some(&staff)).await;
    assert_eq!((&seen["request"]["representative"]["phone"], &seen["request"]["applicant"]["phone"]), (&json!(OWN), &json!(PHONE)));
    let number = created["number"].as_str().unwrap();
    assert!(sms_to(&app, OWN).await.as_array().unwrap().iter().any(|m| m["text"].as_str().unwrap().contains(number)));
    let to_graduate = sms_to(&app, PHONE).await;
    assert!(to_graduate.as_array().unwrap().iter().all(|m| !m["text"].as_str().unwrap().contains(number)), "{to_graduate}");

    // The representative's phone is required once they give contacts of their own.
    own["representative"]["phone"] = json!("");
    let (status, problem) = app.post("/api/applications/validate", &own, None, None).await;
    assert_eq!((status, codes(&problem)), (422, vec![("representative.phone".into(), "required".into())]));
}

crate::on_both_backends!(
    wrong_relationships_are_refused_at_the_persons_field_with_their_message,
    a_correction_and_a_name_change_reach_staff_with_their_before_and_after,
    an_unlisted_college_waits_in_the_routing_queue_until_the_admin_routes_it,
    the_register_is_imported_all_or_nothing_with_line_numbered_errors,
    a_representatives_contacts_are_stored_as_theirs_and_every_sms_goes_to_them,
);
