//! `cargo xtask bench`'s first-screen figure: how long Agent Info takes, from navigation, to be
//! painted with the agent's data, against the same page saved as static HTML and served by the
//! same server; medians of several runs in headless Chromium, and their ratio: warm (the
//! browser keeps its cache between runs, as an agent's browser does all day), then cold (the
//! cache emptied before every navigation, over a branch office's link emulated through the
//! DevTools protocol: 10 Mbit/s down, 40 ms round trip), as a new agent's first morning.
//!
//! Both are measured in the page, against the navigation's start (`performance.now()`): the app
//! at the first animation frame in which the agent's details are in the document; the static
//! page at its first contentful paint. The two pages take turns, so that a machine that slows
//! down or speeds up during the runs moves both medians alike, not only one.

use std::time::Duration;

use pc_e2e::Harness;
use serde_json::{json, Value};

const RUNS: usize = 15;
const COLD_RUNS: usize = 5;
/// The branch office's link: bytes per second down and up, and the round trip in ms.
const LINK_DOWN: f64 = 10e6 / 8.0;
const LINK_UP: f64 = 5e6 / 8.0;
const LINK_ROUND_TRIP_MS: u32 = 40;
const AGENT_DETAILS: &str = "[data-testid=agent-details]";
const STATIC_PAGE: &str = "first-screen-static.html";

/// Answers, in milliseconds since the navigation started, when `selector` was first painted
/// with text: the first frame that has it, or the first contentful paint if the page was
/// painted with it before this script ran.
const PAINTED_AT: &str = r#"
const [selector, done] = arguments;
const painted = () => {
  const element = document.querySelector(selector);
  return element !== null && element.textContent.trim() !== "";
};
if (painted()) {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  done(paint ? paint.startTime : performance.now());
} else {
  const check = (now) => painted() ? done(now) : requestAnimationFrame(check);
  requestAnimationFrame(check);
}
"#;

/// Milliseconds from a click on the tab with id `tab` until `selector` has content.
const TAB_SWITCH: &str = r#"
const [tab, selector, done] = arguments;
const shown = () => {
  const element = document.querySelector(selector);
  return element !== null && element.textContent.trim() !== "";
};
const start = performance.now();
document.getElementById(tab).click();
const check = () => shown() ? done(performance.now() - start) : requestAnimationFrame(check);
requestAnimationFrame(check);
"#;

/// The other tabs, by their tab's id, and what each shows once its data is there.
const OTHER_TABS: [(&str, &str); 2] = [
    ("tab-personalized-settings", "[data-testid=settings-view]"),
    ("tab-agent-parameters", ".parameters-table tbody tr"),
];
const SWITCH_RUNS: usize = 5;
/// How long the page is left alone after its first screen, before the switch.
const IDLE: Duration = Duration::from_secs(2);

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let harness = Harness::start().await;
    harness.open_agent_info("alice.wang", None).await;
    save_static_copy(&harness).await;
    let static_path = format!("/{STATIC_PAGE}");
    let warm = take_turns(&harness, &static_path, RUNS, false).await;
    let mut switches = Vec::new();
    for (tab, shown) in OTHER_TABS {
        let mut times = Vec::new();
        for _ in 0..SWITCH_RUNS {
            painted_at(&harness, "/agent-info").await;
            tokio::time::sleep(IDLE).await;
            let switched = harness
                .browser
                .execute_async(TAB_SWITCH, vec![json!(tab), json!(shown)])
                .await
                .expect("the tab showed its data");
            times.push(switched.as_f64().expect("a time in milliseconds"));
        }
        switches.push((tab, median(times)));
    }
    // The emulated link holds only while the DevTools network domain is on.
    devtools(&harness, "Network.enable", json!({})).await;
    devtools(
        &harness,
        "Network.emulateNetworkConditions",
        json!({
            "offline": false,
            "latency": LINK_ROUND_TRIP_MS,
            "downloadThroughput": LINK_DOWN,
            "uploadThroughput": LINK_UP,
        }),
    )
    .await;
    let cold = take_turns(&harness, &static_path, COLD_RUNS, true).await;
    let _ = std::fs::remove_file(dist().join(STATIC_PAGE));
    harness.finish().await;
    println!(
        "{:<52} {:>9}",
        "Agent Info painted with the agent's data", "median"
    );
    report("warm cache", RUNS, warm, 1.5);
    report(
        &format!(
            "cold cache, {} Mbit/s, {LINK_ROUND_TRIP_MS} ms round trip",
            LINK_DOWN * 8.0 / 1e6
        ),
        COLD_RUNS,
        cold,
        2.0,
    );
    println!(
        "first switch to a tab, {IDLE:?} after Agent Info's first screen, {SWITCH_RUNS} runs each:"
    );
    for (tab, time) in switches {
        println!(
            "{:<52} {time:>6.0} ms",
            format!("  {}", tab.trim_start_matches("tab-"))
        );
    }
}

/// Medians of the app and of its static copy, `runs` each, taking turns; `cold` empties the
/// browser's cache before every navigation.
async fn take_turns(harness: &Harness, static_path: &str, runs: usize, cold: bool) -> (f64, f64) {
    let (mut app_times, mut static_times) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        for (path, times) in [
            ("/agent-info", &mut app_times),
            (static_path, &mut static_times),
        ] {
            if cold {
                devtools(harness, "Network.clearBrowserCache", json!({})).await;
            }
            times.push(painted_at(harness, path).await);
        }
    }
    (median(app_times), median(static_times))
}

fn report(conditions: &str, runs: usize, (app, saved): (f64, f64), target: f64) {
    println!("{conditions}, {runs} runs each:");
    println!("{:<52} {:>6.0} ms", "  the app, from navigation", app);
    println!("{:<52} {:>6.0} ms", "  the same page as static HTML", saved);
    println!("  ratio {:.2} (target at most {target})", app / saved);
}

/// A Chrome DevTools Protocol command, through ChromeDriver's `goog/cdp/execute`.
#[derive(Debug)]
struct DevTools {
    method: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.expect("a WebDriver session");
        base_url.join(&format!("session/{session}/goog/cdp/execute"))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.method, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

async fn devtools(harness: &Harness, method: &'static str, params: Value) {
    harness
        .browser
        .issue_cmd(DevTools { method, params })
        .await
        .unwrap_or_else(|e| panic!("DevTools {method}: {e}"));
}

fn dist() -> std::path::PathBuf {
    std::env::var_os("PC_DIST")
        .map(Into::into)
        .expect("PC_DIST names the built app's folder")
}

/// The page as the app painted it, without its scripts: what a static page of the same content
/// would be, with the same stylesheet.
async fn save_static_copy(harness: &Harness) {
    let html = harness
        .browser
        .execute(
            "document.querySelectorAll('script, link[rel=modulepreload], link[rel=preload]')\
                 .forEach((e) => e.remove());\
             return '<!doctype html>' + document.documentElement.outerHTML;",
            vec![],
        )
        .await
        .expect("the rendered page")
        .as_str()
        .expect("the page as text")
        .to_owned();
    std::fs::write(dist().join(STATIC_PAGE), html).expect("write the static copy");
}

/// Milliseconds from navigating to `path` until the agent's details were painted.
async fn painted_at(harness: &Harness, path: &str) -> f64 {
    harness
        .browser
        .goto("about:blank")
        .await
        .expect("a blank page");
    harness.open(path).await;
    let painted_at = harness
        .browser
        .execute_async(PAINTED_AT, vec![json!(AGENT_DETAILS)])
        .await
        .expect("the page painted the agent's details");
    tokio::time::sleep(Duration::from_millis(200)).await;
    painted_at.as_f64().expect("a time in milliseconds")
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}
