//! OPS-6 as the browser sees it: a page load of each tab, signed in, paints its first screen
//! from the data in the page, with no request to the API before it.

use pc_e2e::Harness;
use serde_json::json;

/// Each tab's page and what its first screen shows once its data is there.
const TABS: [(&str, &str); 3] = [
    ("/agent-info", "[data-testid=agent-details]"),
    ("/personalized-settings", "[data-testid=settings-view]"),
    ("/agent-parameters", ".parameters-table tbody tr"),
];

/// The API requests the page made, by path, from its start until `selector` had content.
const API_REQUESTS_BEFORE: &str = r#"
const [selector, done] = arguments;
const shown = () => {
  const element = document.querySelector(selector);
  return element !== null && element.textContent.trim() !== "";
};
const requests = () => {
  const before = performance.now();
  done(performance.getEntriesByType("resource")
    .filter((entry) => entry.startTime < before)
    .map((entry) => new URL(entry.name).pathname)
    .filter((path) => path.startsWith("/api/")));
};
const check = () => shown() ? requests() : requestAnimationFrame(check);
check();
"#;

#[tokio::test]
async fn each_tab_paints_its_first_screen_without_asking_the_api() {
    let h = Harness::start().await;
    h.open_agent_info("alice.wang", None).await;
    for (path, shown) in TABS {
        h.browser.goto("about:blank").await.unwrap();
        h.open(path).await;
        let requests = h
            .browser
            .execute_async(API_REQUESTS_BEFORE, vec![json!(shown)])
            .await
            .unwrap();
        assert_eq!(
            requests,
            json!([]),
            "{path} asked the API before its first screen"
        );
        h.screenshot(&format!("first-screen{}", path.replace('/', "-")))
            .await;
    }
    h.finish().await;
}
