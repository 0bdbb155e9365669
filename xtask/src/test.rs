//! `cargo xtask test`: every test the project has, in the order that fails fastest.

use std::process::Command;

use crate::setup::{
    self, CHROMEDRIVER, CHROMIUM, FIREFOX, KAMAILIO, MINIBROWSER, TURNSERVER, WEBKIT_WEBDRIVER,
    XVFB,
};
use crate::{bench, build_app, command, fuzz, root, run, scim, step, Result, WASM};

const BUILD: &str =
    "Build the release app (within its size budget) and the server for the end-to-end tests";
const E2E: &str = "End-to-end tests: the real server and app, Chromium driven by WebDriver";
const E2E_FIREFOX: &str = "The end-to-end tests again on Firefox ESR, driven by geckodriver";
const E2E_WEBKIT: &str =
    "The end-to-end tests again on WebKitGTK, driven by WebKitWebDriver under Xvfb";
const FUZZ: &str = "Schema-driven fuzzing: schemathesis against the running server (SEC-3)";
const SCIM: &str = "SCIM compliance: scim2-tester against the running server's /scim/v2 (PRV)";

/// A named part of the test run.
type Stage = (&'static str, fn() -> Result);

pub fn run_all() -> Result {
    setup::all()?;
    let stages: [Stage; 11] = [
        ("Lint: rustfmt and clippy (native and wasm32)", lint),
        (
            "Unit, property and in-process API tests (model, server, app logic), on SQLite",
            native_tests,
        ),
        (
            "The server's API tests again, on PostgreSQL (a throw-away cluster per test binary)",
            api_tests_on_postgres,
        ),
        (
            "Browser component tests (wasm-bindgen-test in headless Chromium)",
            || component_tests(Driver::Chromium),
        ),
        (
            "The browser component tests again in headless Firefox ESR (geckodriver)",
            || component_tests(Driver::Firefox),
        ),
        (BUILD, build_for_e2e),
        (FUZZ, fuzz::run_against_server),
        (SCIM, scim::run_against_server),
        (E2E, || e2e_tests("chromium")),
        (E2E_FIREFOX, || e2e_tests("firefox")),
        (E2E_WEBKIT, || e2e_tests("webkit")),
    ];
    let mut failed = Vec::new();
    for (name, stage) in stages {
        // The end-to-end tests and the fuzzer would only test an older build.
        if [E2E, E2E_FIREFOX, E2E_WEBKIT, FUZZ, SCIM].contains(&name) && failed.contains(&BUILD) {
            println!("\n==> Skipped: {name} (the build failed)");
            failed.push(name);
            continue;
        }
        step(name);
        if let Err(error) = stage() {
            eprintln!("xtask: {error}");
            failed.push(name);
        }
    }
    println!("\n==> Summary");
    if failed.is_empty() {
        println!("all stages passed");
        Ok(())
    } else {
        for name in &failed {
            println!("FAILED: {name}");
        }
        Err(format!("{} stage(s) failed", failed.len()))
    }
}

fn lint() -> Result {
    run(command("cargo").args(["fmt", "--all", "--check"]))?;
    clippy(&["--workspace", "--all-targets"])?;
    clippy(&["--package", "pc-app", "--all-targets", "--target", WASM])?;
    // The split build (OPS-7), as Trunk builds it: each split point is other code there.
    clippy(&[
        "--package",
        "pc-app",
        "--features",
        "split",
        "--target",
        WASM,
    ])?;
    // The property-test dependencies do not build for wasm32; the libraries do.
    clippy(&[
        "--package",
        "pc-model",
        "--package",
        "pc-sip",
        "--lib",
        "--target",
        WASM,
    ])
}

fn clippy(selection: &[&str]) -> Result {
    run(command("cargo")
        .arg("clippy")
        .args(selection)
        .args(["--", "-D", "warnings"]))
}

fn native_tests() -> Result {
    run(command("cargo")
        .args([
            "test",
            "--package",
            "pc-model",
            "--package",
            "pc-sip",
            "--package",
            "pc-server",
            "--package",
            "pc-postgres-cluster",
            "--package",
            "xtask",
        ])
        .env("PC_TEST_DATABASE", "sqlite")
        .env("PC_TEST_SMTP_PYTHON", setup::smtp_server_python()))?;
    run(command("cargo").args(["test", "--package", "pc-app", "--lib"]))
}

/// Every API test also holds on PostgreSQL: the harness (`crates/server/tests/common`) reads
/// `PC_TEST_DATABASE`.
fn api_tests_on_postgres() -> Result {
    run(command("cargo")
        .args(["test", "--package", "pc-server", "--tests"])
        .env("PC_TEST_DATABASE", "postgres")
        .env("PC_TEST_SMTP_PYTHON", setup::smtp_server_python()))
}

/// The WebDriver that `wasm-bindgen-test-runner` drives: it takes the first of GECKODRIVER,
/// SAFARIDRIVER and CHROMEDRIVER it finds set, so each run sets only its own. The browsers'
/// options (fake media, Firefox's binary) are in `webdriver.json`.
enum Driver {
    Chromium,
    Firefox,
}

fn component_tests(driver: Driver) -> Result {
    let mut test = command("cargo");
    test.args([
        "test",
        "--package",
        "pc-app",
        "--target",
        WASM,
        "--no-fail-fast",
    ])
    .args([
        "--test",
        "components",
        "--test",
        "health",
        "--test",
        "session",
        "--test",
        "first_screen",
    ])
    .env("WASM_BINDGEN_TEST_TIMEOUT", "60")
    .env("WASM_BINDGEN_TEST_DRIVER_TIMEOUT", "30");
    match driver {
        Driver::Chromium => test
            .args(["--test", "devices"])
            .env("CHROMEDRIVER", CHROMEDRIVER),
        Driver::Firefox => {
            println!(
                "left out in Firefox: devices (it asserts the names of Chromium's fake \
                 microphones and speakers; Firefox's devices are covered end to end)"
            );
            test.env("GECKODRIVER", setup::geckodriver())
        }
    };
    run(&mut test)
}

fn build_for_e2e() -> Result {
    build_app()?;
    bench::gate()?;
    run(command("cargo").args(["build", "--package", "pc-server"]))?;
    run(command("cargo").args(["test", "--package", "pc-e2e", "--no-run"]))
}

/// Every end-to-end test file on one engine (`PC_BROWSER`, read by
/// `crates/e2e/src/browser.rs`); every file runs even when one fails, so an engine's
/// differences show at once.
fn e2e_tests(engine: &str) -> Result {
    let root = root();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root.join("crates/e2e/tests"))
        .map_err(|e| format!("listing the end-to-end tests: {e}"))?
    {
        let path = entry.map_err(|e| e.to_string())?.path();
        if let (Some(stem), Some("rs")) = (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|s| s.to_str()),
        ) {
            files.push(stem.to_owned());
        }
    }
    files.sort();
    run(browser_env(
        command("cargo")
            .args(["test", "--package", "pc-e2e", "--no-fail-fast"])
            .args(files.iter().flat_map(|file| ["--test", file.as_str()]))
            .args(["--", "--test-threads=1"])
            .env("PC_BROWSER", engine)
            .env("PC_SERVER_BIN", root.join("target/debug/pc-server"))
            .env("PC_DIST", root.join("dist"))
            .env("KAMAILIO", KAMAILIO)
            .env("TURNSERVER", TURNSERVER)
            .env("NODE", setup::NODE)
            .env("OIDC_PROVIDER_MODULE", setup::oidc_provider_module()),
    ))
}

/// The browsers and their drivers, for the end-to-end harness (`crates/e2e/src/browser.rs`).
fn browser_env(command: &mut Command) -> &mut Command {
    command
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("CHROMIUM", CHROMIUM)
        .env("GECKODRIVER", setup::geckodriver())
        .env("FIREFOX", FIREFOX)
        .env("WEBKIT_WEBDRIVER", WEBKIT_WEBDRIVER)
        .env("MINIBROWSER", MINIBROWSER)
        .env("XVFB", XVFB)
}
