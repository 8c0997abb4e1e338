//! Several drafts on one device: the start page lists them (service, when saved, how far),
//! continues, deletes (confirmed in the page) and downloads a copy of each; the notice when
//! storage is short or a write fails; and a queued application refused while its tab is not on
//! screen comes back as a draft to correct, never lost and never sent twice. A copy is a page
//! the person reads in their language and loads back on another device as the same draft.

use serde_json::{json, Value};
use telnuska_shared::i18n::{t, Lang};
use telnuska_tests::browser::Browser;
use telnuska_tests::server::valid_application;
use telnuska_tests::{Backend, TestApp};

use crate::flow::*;

/// After a page load: on the start page, continues the draft listed first (the last saved); a
/// reload of a form's step stays on it (its address names the draft and the step), and then
/// there is nothing to do.
pub async fn continue_draft(b: &Browser) {
    b.eventually("the start page or a form", || async { b.exists("#drafts").await || b.exists("#step-title").await || b.exists("#outbox-status").await }).await;
    if b.exists("#drafts").await {
        b.click("#drafts > li:first-child button[id^=continue-]").await;
    }
}

/// The ids of the listed drafts, in the order shown.
async fn listed(b: &Browser) -> Vec<String> {
    b.wait_for("#drafts").await;
    let ids = b.script("return [...document.querySelectorAll('#drafts > li')].map((li) => li.id.replace('draft-', ''))").await;
    serde_json::from_value(ids).expect("a list of ids")
}

/// The id of the focused element.
async fn focused(b: &Browser) -> Value {
    b.script("return document.activeElement && document.activeElement.id").await
}

/// Catches "download a copy" in the page: each file's name and text, in `window.copies`.
pub async fn catch_downloads(b: &Browser) {
    b.script(
        "window.copies = [];
         const create = URL.createObjectURL.bind(URL);
         URL.createObjectURL = (blob) => { const url = create(blob); window.blobs = Object.assign(window.blobs || {}, { [url]: blob }); return url; };
         HTMLAnchorElement.prototype.click = function () {
             window.blobs[this.href].text().then((text) => window.copies.push({ name: this.download, text }));
         };
         return true",
    )
    .await;
}

/// The `n`th caught download: its file name and the draft it carries, as JSON.
pub async fn copy(b: &Browser, n: usize) -> (String, Value) {
    let (name, page) = copy_text(b, n).await;
    (name, embedded_draft(&page))
}

/// The draft in a copy's page: its JSON data block.
fn embedded_draft(page: &str) -> Value {
    let block = page.split_once(r#"<script type="application/json" id="telnuska-draft">"#).expect("the draft's data block").1;
    serde_json::from_str(block.split_once("</script>").expect("its end").0).expect("JSON")
}

/// The `n`th caught download: its file name and text, a page a person reads (every step's
/// answers under their labels).
pub async fn copy_text(b: &Browser, n: usize) -> (String, String) {
    b.eventually("the copy is made", || async { b.script("return window.copies.length").await.as_u64() > Some(n as u64) }).await;
    let copy = b.script(&format!("return window.copies[{n}]")).await;
    let text = copy["text"].as_str().expect("text").to_string();
    assert!(text.starts_with("<!doctype html>") && text.contains("<h2>") && text.contains("<dl><dt>"), "a readable page: {text}");
    (copy["name"].as_str().expect("name").to_string(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_drafts_are_listed_continued_downloaded_and_deleted() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.click("#lang-en").await;
    let tvet = b.text("label[for=f-service-tvet_duplicate]").await;
    let correction = b.text("label[for=f-service-correction]").await;
    // The first application gets to the documents step.
    choose_service(&b, "tvet_duplicate").await;
    b.click("#f-relationship-self").await;
    type_person(&b, "applicant", GRADUATE_IIN, "Сейітқали", "Әсел").await;
    type_contacts(&b).await;
    next(&b, "#f-document_kind-diploma").await;
    b.wait_for_saved_draft(r#""step":"documents""#).await;

    // A second one, started from the list, stays on step 2.
    b.click("#to-drafts").await;
    assert_eq!(listed(&b).await.len(), 1);
    b.click("#new-application").await;
    choose_service(&b, "correction").await;
    b.click("#f-relationship-self").await;
    b.type_into("#f-applicant-last_name", "Ахметов").await;
    b.wait_for_saved_draft("Ахметов").await;

    // Opening the app again (at `/`) lists both.
    b.open(&app.url("/")).await;
    let ids = listed(&b).await;
    assert_eq!(ids.len(), 2, "both drafts are listed when the app opens again");
    let (newer, older) = (ids[0].clone(), ids[1].clone());
    let item = |id: &str| format!("#draft-{id}");
    let (newer_text, older_text) = (b.text(&item(&newer)).await, b.text(&item(&older)).await);
    assert!(correction.starts_with(&b.text(&format!("#draft-{newer}-title")).await), "{newer_text}");
    assert!(tvet.starts_with(&b.text(&format!("#draft-{older}-title")).await), "{older_text}");
    assert!(newer_text.contains("Step 2 of 7") && older_text.contains("Step 3 of 7"), "{newer_text} / {older_text}");
    for text in [&newer_text, &older_text] {
        let saved = text.lines().find(|l| l.starts_with("Last saved")).unwrap_or_else(|| panic!("no time: {text}"));
        assert!(saved.contains(", ") && saved.contains(':'), "a date and a time of day: {saved}");
    }
    assert!(!b.exists("#storage-short").await, "no storage notice on a roomy device");
    let axe = crate::accessibility::axe_script();
    crate::accessibility::assert_no_violations(&b, &axe, "the list of drafts").await;

    // A copy of a draft is a page with what was typed, which carries the draft.
    catch_downloads(&b).await;
    b.click(&format!("#download-{older}")).await;
    let (name, json) = copy(&b, 0).await;
    assert!(name.starts_with("telnuska-draft-20") && name.ends_with(".html") && name.len() == "telnuska-draft-2026-11-25.html".len(), "{name}");
    assert_eq!(json["request"]["applicant"]["iin"], GRADUATE_IIN);
    assert_eq!(json["request"]["applicant"]["last_name"], "Сейітқали");
    assert_eq!(json["request"]["service"], "tvet_duplicate");

    // Continue the older one: its form opens where it was left, heading focused.
    b.click(&format!("#continue-{older}")).await;
    b.wait_for("#f-document_kind-diploma").await;
    b.eventually("the heading is focused", || async { focused(&b).await == "step-title" }).await;
    b.click("#step-back").await;
    b.eventually("the answers are there", || async { b.value("#f-applicant-iin").await == GRADUATE_IIN }).await;

    // Delete the other one: asked in the page; "no" keeps it, "yes" deletes it.
    b.click("#to-drafts").await;
    b.click(&format!("#delete-{newer}")).await;
    b.wait_for(&format!("#confirm-delete-{newer}")).await;
    b.eventually("the question is focused", || async { focused(&b).await == format!("delete-question-{newer}").as_str() }).await;
    crate::accessibility::assert_no_violations(&b, &axe, "the question before deleting a draft").await;
    b.click(&format!("#cancel-delete-{newer}")).await;
    b.eventually("focus is back on delete", || async { focused(&b).await == format!("delete-{newer}").as_str() }).await;
    b.click(&format!("#delete-{newer}")).await;
    b.click(&format!("#confirm-delete-{newer}")).await;
    b.eventually("the draft is gone", || async { !b.exists(&item(&newer)).await }).await;
    b.eventually("focus moves to the remaining draft", || async { focused(&b).await == format!("continue-{older}").as_str() }).await;
    b.client.refresh().await.unwrap();
    assert_eq!(listed(&b).await, vec![older], "deleted for good");
    b.close().await;
}

/// `navigator.storage.estimate()` reporting 5 MB free of 100 MB, in every page from now on.
async fn little_room_left(b: &Browser) {
    let source = "Object.defineProperty(navigator, 'storage', { value: { persist: () => Promise.resolve(true), \
                  estimate: () => Promise.resolve({ usage: 95 * 1024 * 1024, quota: 100 * 1024 * 1024 }) } });";
    b.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": source })).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_storage_and_a_failed_write_are_told_with_a_copy_offered() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.click("#lang-en").await;
    little_room_left(&b).await;
    b.client.refresh().await.unwrap();
    let notice = b.text("#storage-short").await;
    assert!(notice.contains("running out of space") && notice.contains("Download a copy"), "{notice}");

    // A write IndexedDB refuses (quota) is said in plain words, with a copy of what was typed.
    b.script("IDBObjectStore.prototype.put = function () { throw new DOMException('full', 'QuotaExceededError'); }; return true").await;
    choose_service(&b, "higher_duplicate").await;
    b.type_into("#f-applicant-iin", GRADUATE_IIN).await;
    b.eventually("the failed save is told", || async { b.text("#storage-short").await.contains("could not be saved") }).await;
    catch_downloads(&b).await;
    b.click("#download-current").await;
    let (_, json) = copy(&b, 0).await;
    assert_eq!(json["request"]["applicant"]["iin"], GRADUATE_IIN);
    b.close().await;
}

/// Puts an application in the outbox store as the app does when it is submitted (and its
/// draft in the drafts store when `draft` is given), as another tab of this profile would.
async fn queue(b: &Browser, key: &str, body: &Value, queued_at: &str, draft: Option<&Value>) {
    let item = json!({ "key": key, "body": body.to_string(), "lang": "en", "queued_at": queued_at, "hash": "0".repeat(64), "draft_id": draft.map(|d| d["id"].clone()) });
    let script = format!(
        "return new Promise((done, fail) => {{
            const open = indexedDB.open('telnuska');
            open.onerror = fail;
            open.onsuccess = () => {{
                const draft = {draft};
                const tx = open.result.transaction(draft ? ['outbox', 'drafts'] : ['outbox'], 'readwrite');
                tx.objectStore('outbox').put({item}, {key:?});
                if (draft) tx.objectStore('drafts').put(draft, draft.id);
                tx.oncomplete = () => {{ open.result.close(); done(true); }};
                tx.onerror = fail;
            }};
        }})",
        draft = draft.map_or_else(|| "null".to_string(), Value::to_string),
    );
    assert_eq!(b.script(&script).await, true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_refused_while_its_tab_is_not_on_screen_comes_back_as_a_draft_to_correct() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.click("#lang-en").await;
    b.wait_for("#f-service-higher_duplicate").await;
    let first_tab = b.client.window().await.unwrap();

    // Two tabs each queued an application while offline: the first one is valid (signed with
    // a real code), the second one's code is wrong, and its tab is closed.
    let code = app.otp_code(PHONE).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let accepted = valid_application(PHONE, &code);
    let mut refused = valid_application(PHONE, wrong);
    refused["applicant"]["last_name"] = json!("Жоғалмасын");
    refused["documents"][0]["number"] = json!("0077777");
    let draft = json!({
        "schema_version": 3, "id": "second-tab", "updated_at": "2026-11-25T10:00:00Z", "request": refused,
        "touched": ["service", "applicant.last_name"], "idempotency_key": "key-refused", "step": "sign", "files": [],
    });
    queue(&b, "key-accepted", &accepted, "2026-11-25T10:00:00Z", None).await;
    queue(&b, "key-refused", &refused, "2026-11-25T10:01:00Z", Some(&draft)).await;

    // Another tab opens: it shows the first queued application and sends both.
    let other = b.client.new_window(true).await.unwrap();
    b.client.switch_to_window(other.handle).await.unwrap();
    b.open(&app.url("/")).await;
    b.wait_for("#confirmation").await;
    assert!(b.text("#application-number").await.contains("TN-"));
    b.eventually("the outbox is empty", || async {
        b.script("return new Promise((done) => { const o = indexedDB.open('telnuska'); o.onsuccess = () => { const r = o.result.transaction('outbox').objectStore('outbox').count(); r.onsuccess = () => { o.result.close(); done(r.result); }; }; })").await == 0
    })
    .await;
    b.client.close_window().await.unwrap();
    b.client.switch_to_window(first_tab).await.unwrap();

    // The refused one is not lost: it is a draft that needs correction, with what was typed.
    b.open(&app.url("/")).await;
    let ids = listed(&b).await;
    assert_eq!(ids, vec!["second-tab".to_string()], "only the refused application is left to finish");
    let text = b.text("#draft-second-tab").await;
    assert!(text.contains("Needs correcting"), "{text}");
    continue_draft(&b).await;
    b.wait_for("#review").await;
    let review = b.text("#review").await;
    assert!(review.contains("Жоғалмасын") && review.contains("0077777"), "{review}");
    let summary = b.text("#error-summary").await;
    assert!(!summary.trim().is_empty(), "the server's verdict shows at once");

    assert_eq!(app.count_applications().await, 1, "the accepted one is stored once, the refused one not at all");
    b.close().await;
}

/// Issue 11, item 7 (and item 4): "download a copy" at the review gives a page the person reads in
/// their language; another device loads it back, refusing first a file that is not a copy, and
/// the draft it restores keeps its key, so both devices sending it make one application.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_reads_in_the_persons_language_and_loads_back_on_another_device_as_the_same_draft() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let files = Files::new();
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.click("#lang-ru").await;
    fill_up_to_signing(&b).await;
    b.click("#step-back").await;
    catch_downloads(&b).await;
    b.click("#download-review").await;
    let (name, page) = copy_text(&b, 0).await;
    assert!(name.starts_with("telnuska-draft-20") && name.ends_with(".html"), "{name}");
    assert!(page.contains("<html lang=ru>"), "in the person's language");
    for (label, answer) in [("field.applicant.phone", "8 701 123 45 67"), ("title.applicant", "Сейітқали Әсел, 010101599904"), ("field.reason", "Утеря")]
    {
        assert!(page.contains(&format!("<dt>{}<dd>{answer}", t(Lang::Ru, label))), "{label}: {answer} in {page}");
    }
    for step in ["service", "applicant", "documents", "reason", "consents"] {
        assert!(page.contains(&format!("<h2>{}</h2>", t(Lang::Ru, &format!("step.{step}")))), "{step}");
    }
    let key = embedded_draft(&page)["idempotency_key"].as_str().expect("the draft's key").to_string();

    // Another device, in Kazakh: a file that is not a copy is refused in its language.
    let other = Browser::start().await;
    other.open(&app.url("/")).await;
    other.click("#lang-kk").await;
    other.click("#to-drafts").await;
    other.wait_for("#drafts-empty").await;
    other.attach("#load-copy", &files.pdf("diploma.pdf")).await;
    other.eventually("the file is refused", || async { other.exists("#load-copy-error").await }).await;
    assert_eq!(other.text("#load-copy-error").await, t(Lang::Kk, "drafts.copy_unreadable"));
    assert_eq!(other.script("return document.getElementById('load-copy-error').dataset.code").await, "copy.unreadable");
    assert_eq!(other.stored_records("telnuska", "drafts").await, "[]", "nothing is stored of it");
    let axe = crate::accessibility::axe_script();
    crate::accessibility::assert_no_violations(&other, &axe, "a refused copy").await;

    // The copy opens as the draft, at its step, with its key.
    other.attach("#load-copy", &files.write("copy.html", page.as_bytes())).await;
    other.wait_for("#review").await;
    assert!(other.text("#review").await.contains("Сейітқали Әсел"), "the answers are back");
    assert!(other.text("#review-applicant-title").await.contains(t(Lang::Kk, "step.applicant")), "read in the language on screen");
    other.wait_for_saved_draft(&key).await;

    // The first device sends it; the second, with a code of its own, gets the same application.
    b.click("#step-next").await;
    sign(&b, &app).await;
    let number = send_and_confirm(&b).await;
    // (A phone gets one code a minute: any six digits do, as the replay is answered first.)
    other.click("#step-next").await;
    other.type_into("#f-signature-code", "123456").await;
    other.click("#submit").await;
    other.wait_for("#confirmation").await;
    assert_eq!(other.text("#application-number").await, number);
    assert_eq!(app.count_applications().await, 1, "one application for one draft");
    other.close().await;
    b.close().await;
}
