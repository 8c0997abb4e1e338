//! The head's view and the register upload in the staff bundle: the figures of each service in a
//! table, a register file refused line by line, then taken, and the application's match against
//! it shown beside the application with the stages reported to the monitoring system.

use telnuska_tests::browser::Browser;
use telnuska_tests::server::{desk_application, TempDir};
use telnuska_tests::{Backend, TestApp};

use crate::accessibility::{assert_no_violations, axe_script};
use crate::provider_console::screenshot;
use crate::staff::sign_in;

const HEADER: &str = "last_name,first_name,patronymic,iin,series,number,registration_number,graduation_year,specialty";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_reads_the_figures_and_uploads_the_register_of_issued_documents() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let id = app.submit_at_desk("oversight-screen", &desk_application()).await["id"].as_str().unwrap().to_string();
    let b = Browser::start().await;
    b.cdp("Emulation.setDeviceMetricsOverride", serde_json::json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false})).await;
    sign_in(&b, &app, "provider").await;
    b.click("#lang-en").await;
    b.click("a[href='/staff/oversight']").await;
    b.eventually("the figures", || async { b.text("#oversight-figures tbody").await.contains("higher and postgraduate") }).await;
    let row = b
        .script("return [...document.querySelectorAll('#oversight-figures tbody tr')].map(r => r.innerText).find(r => r.includes('higher and postgraduate'))")
        .await;
    let cells: Vec<String> = row.as_str().unwrap().split('\t').map(|c| c.trim().to_string()).collect();
    assert_eq!(&cells[1..4], ["1", "0", "0"], "one open, none at risk or overdue: {cells:?}");
    assert_no_violations(&b, &axe_script(), "the head's view").await;
    screenshot(&b, "heads-view.png").await;

    let dir = TempDir::new("telnuska-register");
    let bad = dir.0.join("register.csv");
    std::fs::write(&bad, format!("{HEADER}\nСейітқали,Әсел,,010101599904,BD,0012345,1234,2015,Жалпы медицина\nИванов,Иван,,010101599905,BD,7,8,2015,Физика\n"))
        .unwrap();
    b.type_into("#register-institution", "kaznmu").await;
    b.attach("#register-file", &bad).await;
    b.click("#register-submit").await;
    b.eventually("the bad line named", || async { b.text("#register-outcome").await.contains("Line 3, IIN") }).await;
    assert!(b.text("#register-outcome").await.contains("Nothing was uploaded"));
    assert_eq!(b.script("return document.activeElement.id").await, "register-outcome", "the outcome is announced and focused");
    assert_no_violations(&b, &axe_script(), "a refused register").await;

    let good = dir.0.join("register-fixed.csv");
    std::fs::write(&good, format!("{HEADER}\nСейітқали,Әсел,,010101599904,BD,0012345,1234,2015,Жалпы медицина\n")).unwrap();
    b.attach("#register-file", &good).await;
    b.click("#register-submit").await;
    b.eventually("the register taken", || async { b.text("#register-outcome").await.contains("Documents in it: 1") }).await;
    let provider = app.login("provider").await;
    let (_, view) = app.get(&format!("/api/applications/{id}"), Some(&provider)).await;
    assert_eq!(view["register"]["documents"][0]["outcome"], "matches", "{view}");

    // The application shows the match and what reached the monitoring system.
    app.run_jobs().await;
    b.open(&app.url(&format!("/staff/queue/{id}"))).await;
    b.eventually("the register match", || async { b.text("#register-match").await.contains("Matches the register.") }).await;
    assert!(b.exists("#register-match dd[data-outcome='matches']").await);
    b.eventually("the stage reported", || async { b.exists("#monitoring-reports tr[data-report='reported']").await }).await;
    assert_no_violations(&b, &axe_script(), "the evidence of an application").await;
    b.script("document.getElementById('application-evidence').scrollIntoView()").await;
    screenshot(&b, "register-match.png").await;
    b.close().await;
}
