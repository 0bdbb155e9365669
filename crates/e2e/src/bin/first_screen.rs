//! `cargo xtask bench`'s first-screen figure: how long Agent Info takes, from navigation, to be
//! painted with the agent's data, against the same page saved as static HTML and served by the
//! same server; medians of several runs in headless Chromium, and their ratio.
//!
//! Both are measured in the page, against the navigation's start (`performance.now()`): the app
//! at the first animation frame in which the agent's details are in the document; the static
//! page at its first contentful paint. The browser keeps its cache between runs, as an agent's
//! browser does all day. The two pages take turns, so that a machine that slows down or speeds
//! up during the runs moves both medians alike, not only one.

use std::time::Duration;

use pc_e2e::Harness;
use serde_json::json;

const RUNS: usize = 15;
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

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let harness = Harness::start().await;
    harness.open_agent_info("alice.wang", None).await;
    save_static_copy(&harness).await;
    let static_path = format!("/{STATIC_PAGE}");
    let (mut app_times, mut static_times) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        app_times.push(painted_at(&harness, "/agent-info").await);
        static_times.push(painted_at(&harness, &static_path).await);
    }
    let (app, saved) = (median(app_times), median(static_times));
    let _ = std::fs::remove_file(dist().join(STATIC_PAGE));
    harness.finish().await;
    println!(
        "{:<44} {:>9}",
        "Agent Info painted with the agent's data", "median"
    );
    println!("{:<44} {:>6.0} ms", "  the app, from navigation", app);
    println!("{:<44} {:>6.0} ms", "  the same page as static HTML", saved);
    println!(
        "ratio {:.2} (target at most 1.5), {RUNS} runs each",
        app / saved
    );
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
