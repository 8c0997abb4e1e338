//! The head's view and the register upload in the staff bundle: the figures of each service in a
//! table, and a register file refused line by line, then taken.

use telnuska_tests::browser::Browser;
use telnuska_tests::server::{desk_application, TempDir};
use telnuska_tests::{Backend, TestApp};

use crate::accessibility::{assert_no_violations, axe_script};
use crate::staff::sign_in;

const HEADER: &str = "last_name,first_name,patronymic,iin,series,number,registration_number,graduation_year,specialty";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_reads_the_figures_and_uploads_the_register_of_issued_documents() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let id = app.submit_at_desk("oversight-screen", &desk_application()).await["id"].as_str().unwrap().to_string();
    let b = Browser::start().await;
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
    b.close().await;
}
