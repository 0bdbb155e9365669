//! Installs the toolchain pieces the build and the tests need, each only when missing.
//! The versions and the reasons for them are in `../shared/TOOLCHAIN.md`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{command, root, run, step, Result, WASM};

const TRUNK_VERSION: &str = "0.21.14";
/// binaryen's wasm-opt from the npm registry, prebuilt (a `cargo install` of the `wasm-opt` crate
/// compiles binaryen's C++ for ~10 minutes; Debian's binaryen 108 produces wasm that fails to
/// start). Trunk.toml names the same version.
const BINARYEN_VERSION: &str = "132";
/// esbuild, prebuilt from the npm registry: it minifies the JS glue that Trunk's minifier cannot.
const ESBUILD_VERSION: &str = "0.24.2";
/// The splitter cargo-leptos runs (OPS-7, `split.rs`); 0.2.3 is the first that splits what
/// wasm-bindgen 0.2.128 and later bind. No registry has it prebuilt.
const WASM_SPLIT_VERSION: &str = "0.2.3";

pub fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
}

/// Everything: the build tools, the browser, PostgreSQL, the parameter cache, the API fuzzer,
/// the SMTP server and the OpenID Provider of the tests.
pub fn all() -> Result {
    build_tools()?;
    browser()?;
    database()?;
    parameter_cache()?;
    fuzzer()?;
    scim_tester()?;
    smtp_server()?;
    identity_provider()
}

/// SSO-1: panva's oidc-provider, the OpenID Provider of the end-to-end tests and the demo. 8.x
/// declares the machine's Node.js 20 as supported (9.x asks for Node.js 22).
const OIDC_PROVIDER_VERSION: &str = "8.8.1";

/// The module `crates/e2e/oidc-provider/provider.mjs` imports.
pub fn oidc_provider_module() -> PathBuf {
    root().join("target/tools/oidc-provider/node_modules/oidc-provider/lib/index.js")
}

/// The machine's Node.js, which runs the OpenID Provider.
pub const NODE: &str = "/usr/bin/node";

pub fn identity_provider() -> Result {
    let manifest =
        root().join("target/tools/oidc-provider/node_modules/oidc-provider/package.json");
    let installed = std::fs::read_to_string(manifest)
        .is_ok_and(|text| text.contains(&format!("\"version\": \"{OIDC_PROVIDER_VERSION}\"")));
    npm_tool("oidc-provider", OIDC_PROVIDER_VERSION, installed)
}

/// SEC-3: schemathesis, at a fixed version, in a virtual environment of its own under `target/`
/// (Python 3 and its `venv` module come with the machine).
const SCHEMATHESIS_VERSION: &str = "4.32.5";

fn fuzzer_environment() -> PathBuf {
    root().join("target/schemathesis-venv")
}

/// The schemathesis command line tool.
pub fn schemathesis() -> PathBuf {
    fuzzer_environment().join("bin/st")
}

pub fn fuzzer() -> Result {
    python_tool(
        &fuzzer_environment(),
        "schemathesis",
        "",
        SCHEMATHESIS_VERSION,
    )
}

/// AGT-4: a real SMTP server for the tests of codes by email (`python -m aiosmtpd`).
const AIOSMTPD_VERSION: &str = "1.4.6";

fn smtp_server_environment() -> PathBuf {
    root().join("target/aiosmtpd-venv")
}

/// The Python that runs aiosmtpd; the server's tests find it in `PC_TEST_SMTP_PYTHON`.
pub fn smtp_server_python() -> PathBuf {
    smtp_server_environment().join("bin/python")
}

pub fn smtp_server() -> Result {
    python_tool(&smtp_server_environment(), "aiosmtpd", "", AIOSMTPD_VERSION)
}

/// PRV: the SCIM 2.0 compliance suite, with the HTTP client it drives the server with.
const SCIM2_TESTER_VERSION: &str = "0.5.2";

fn scim_tester_environment() -> PathBuf {
    root().join("target/scim2-tester-venv")
}

/// The Python that runs `xtask/python/scim_compliance.py`.
pub fn scim_tester_python() -> PathBuf {
    scim_tester_environment().join("bin/python")
}

pub fn scim_tester() -> Result {
    python_tool(
        &scim_tester_environment(),
        "scim2-tester",
        "[httpx2]",
        SCIM2_TESTER_VERSION,
    )
}

/// Installs `package` (with its optional `extras`, e.g. `[httpx2]`) at `version` from PyPI
/// into the virtual environment `environment`, unless it is there already.
fn python_tool(environment: &Path, package: &str, extras: &str, version: &str) -> Result {
    let python = environment.join("bin/python");
    let installed = output(Command::new(&python).args([
        "-c",
        &format!("import importlib.metadata as m; print(m.version('{package}'))"),
    ]))
    .is_some_and(|found| found.trim() == version);
    if installed {
        return Ok(());
    }
    step(&format!(
        "Installing {package} {version} from PyPI into {}",
        environment.display()
    ));
    run(Command::new("python3")
        .args(["-m", "venv"])
        .arg(environment))?;
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .arg(format!("{package}{extras}=={version}")))
}

/// Where npm puts binaryen; `command` puts its `bin` folder first on the PATH, where Trunk looks.
pub fn binaryen_bin() -> PathBuf {
    root().join("target/tools/binaryen/node_modules/.bin")
}

/// What building the app needs: the wasm target, Trunk, wasm-bindgen, the splitter, wasm-opt
/// and esbuild.
/// Trunk and the wasm-bindgen CLI build without their default TLS features: they only ever
/// work offline here, and TLS (rustls, ring's C and assembly) is minutes of a first run.
pub fn build_tools() -> Result {
    wasm_target()?;
    cargo_tool(
        "trunk",
        &format!("trunk {TRUNK_VERSION}"),
        &[
            "trunk",
            "--version",
            TRUNK_VERSION,
            "--locked",
            "--no-default-features",
        ],
        "about 5 minutes",
    )?;
    let bindgen = wasm_bindgen_version()?;
    // Without --locked: a dependency locked by wasm-bindgen-cli is no longer in the registry.
    cargo_tool(
        "wasm-bindgen",
        &format!("wasm-bindgen {bindgen}"),
        &[
            "wasm-bindgen-cli",
            "--version",
            &bindgen,
            "--no-default-features",
        ],
        "about 5 minutes",
    )?;
    wasm_splitter()?;
    wasm_opt()?;
    js_minifier()
}

/// `wasm-split-cli`, which has no `--version`: cargo's list of what it installed says.
fn wasm_splitter() -> Result {
    let installed = output(command("cargo").args(["install", "--list"])).unwrap_or_default();
    if installed.contains(&format!("wasm_split_cli_support v{WASM_SPLIT_VERSION}:")) {
        return Ok(());
    }
    cargo_install(
        "wasm-split-cli",
        WASM_SPLIT_VERSION,
        &[
            "wasm_split_cli_support",
            "--version",
            WASM_SPLIT_VERSION,
            "--features",
            "build-binary",
            "--locked",
        ],
        "about 2 minutes",
    )
}

/// esbuild's command, installed by `build_tools`.
pub fn esbuild() -> PathBuf {
    root().join("target/tools/esbuild/node_modules/.bin/esbuild")
}

fn js_minifier() -> Result {
    let found = output(command(&esbuild().to_string_lossy()).arg("--version")).unwrap_or_default();
    npm_tool("esbuild", ESBUILD_VERSION, found.trim() == ESBUILD_VERSION)
}

fn wasm_opt() -> Result {
    let wasm_opt = binaryen_bin().join("wasm-opt");
    let found = output(command(&wasm_opt.to_string_lossy()).arg("--version")).unwrap_or_default();
    npm_tool(
        "binaryen",
        BINARYEN_VERSION,
        found.contains(&format!("version {BINARYEN_VERSION}")),
    )
}

/// A prebuilt tool from the npm registry, run by the machine's Node.js: `package` at `version`
/// in `target/tools/<package>`, unless `installed`.
fn npm_tool(package: &str, version: &str, installed: bool) -> Result {
    if installed {
        return Ok(());
    }
    apt_install(
        &NODE_PACKAGES,
        &format!("installing {package} from the npm registry"),
    )?;
    step(&format!(
        "Installing {package} {version} (prebuilt) with npm: seconds"
    ));
    run(command("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(root().join("target/tools").join(package))
        .arg(format!("{package}@{version}")))
}

pub fn wasm_target() -> Result {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == WASM) {
        return Ok(());
    }
    step(&format!("Installing the Rust target {WASM}"));
    run(Command::new("rustup").args(["target", "add", WASM]))
}

/// Installs a tool with `cargo install` unless `<binary> --version` already says `expected`.
/// The tools build in one target folder, so what they have in common is compiled once.
fn cargo_tool(binary: &str, expected: &str, install_args: &[&str], duration: &str) -> Result {
    let found = output(command(binary).arg("--version")).unwrap_or_default();
    if found.contains(expected) {
        return Ok(());
    }
    cargo_install(binary, expected, install_args, duration)
}

fn cargo_install(binary: &str, expected: &str, install_args: &[&str], duration: &str) -> Result {
    step(&format!(
        "Installing {binary} ({expected}) with cargo install: {duration} on 2 cores"
    ));
    run(command("cargo")
        .arg("install")
        .arg("--target-dir")
        .arg(root().join("target/tools/cargo"))
        .args(install_args))
}

/// Trunk only accepts a wasm-bindgen CLI of exactly the library's version in Cargo.lock.
fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
            {
                return Ok(version.to_owned());
            }
        }
    }
    Err("Cargo.lock names no wasm-bindgen version".into())
}

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// RTC-1: a real SIP registrar over WebSocket for the softphone's end-to-end tests.
pub const KAMAILIO: &str = "/usr/sbin/kamailio";
/// BEY-3: a real STUN/TURN server for the media test's end-to-end tests and the demo.
pub const TURNSERVER: &str = "/usr/bin/turnserver";

/// ENG: the other engines agents use. Firefox ESR is driven by geckodriver (from crates.io:
/// Debian has no package of it); WebKit is WebKitGTK's MiniBrowser, driven by WebKitWebDriver
/// under Xvfb, since WebKitGTK has no headless mode.
pub const FIREFOX: &str = "/usr/bin/firefox-esr";
pub const WEBKIT_WEBDRIVER: &str = "/usr/bin/WebKitWebDriver";
pub const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
pub const XVFB: &str = "/usr/bin/Xvfb";
const GECKODRIVER_VERSION: &str = "0.37.1";

/// geckodriver, installed by `browser`.
pub fn geckodriver() -> PathBuf {
    cargo_home().join("bin/geckodriver")
}

/// A small font with Chinese glyphs, so screenshots of the Chinese pages can be read.
const CJK_FONT: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

/// What the browser tests run on, from Debian's packages: each package and a file it installs.
const BROWSER_PACKAGES: [(&str, &str); 6] = [
    ("chromium", CHROMIUM),
    ("chromium-driver", CHROMEDRIVER),
    ("fonts-wqy-microhei", CJK_FONT),
    ("firefox-esr", FIREFOX),
    ("webkit2gtk-driver", WEBKIT_WEBDRIVER),
    ("xvfb", XVFB),
];

/// Node.js runs binaryen's wasm-opt (the machines have it; Debian's packages otherwise).
const NODE_PACKAGES: [(&str, &str); 2] = [("nodejs", "/usr/bin/node"), ("npm", "/usr/bin/npm")];

/// The SIP registrar of the softphone tests and the demo, with the database drivers it reads
/// the softphone credentials through (`auth_db`: the server's SQLite file or PostgreSQL).
const REGISTRAR_PACKAGES: [(&str, &str); 4] = [
    ("kamailio", KAMAILIO),
    (
        "kamailio-websocket-modules",
        "/usr/share/doc/kamailio-websocket-modules/copyright",
    ),
    (
        "kamailio-sqlite-modules",
        "/usr/share/doc/kamailio-sqlite-modules/copyright",
    ),
    (
        "kamailio-postgres-modules",
        "/usr/share/doc/kamailio-postgres-modules/copyright",
    ),
];

/// Redis, the parameter cache the server's API tests also run against.
pub const REDIS_SERVER: &str = "/usr/bin/redis-server";

/// The STUN/TURN server of the media test's tests and the demo.
const TURN_PACKAGES: [(&str, &str); 1] = [("coturn", TURNSERVER)];

/// Debian's Chromium and its matching ChromeDriver, Firefox ESR with geckodriver, WebKitGTK
/// with its WebDriver and Xvfb, a CJK font, Kamailio with its WebSocket and database modules,
/// and coturn.
pub fn browser() -> Result {
    let mut packages = BROWSER_PACKAGES.to_vec();
    packages.extend(REGISTRAR_PACKAGES);
    packages.extend(TURN_PACKAGES);
    apt_install(&packages, "the browser tests")?;
    cargo_tool(
        &geckodriver().to_string_lossy(),
        &format!("geckodriver {GECKODRIVER_VERSION}"),
        &["geckodriver", "--version", GECKODRIVER_VERSION, "--locked"],
        "about 4 minutes",
    )
}

/// Debian's PostgreSQL, for the API tests' second run and the several-instances test (each
/// starts a throw-away cluster of its own; the package's cluster is not used) and the load
/// figures.
pub fn database() -> Result {
    apt_install(
        &[("postgresql", "/usr/share/doc/postgresql/copyright")],
        "the tests and figures on PostgreSQL",
    )
}

/// wrk, the HTTP load generator of `cargo xtask bench`'s server figures.
pub fn load_generator() -> Result {
    apt_install(
        &[("wrk", "/usr/bin/wrk")],
        "the server figures of the benchmark",
    )
}

/// Redis for the API tests with `--parameter-cache redis://…`.
pub fn parameter_cache() -> Result {
    apt_install(
        &[("redis-server", REDIS_SERVER)],
        "the parameter cache tests",
    )
}

/// Kamailio with its WebSocket and database modules, for the demo's softphone.
pub fn registrar() -> Result {
    apt_install(&REGISTRAR_PACKAGES, "the demo's SIP registrar")
}

/// coturn, for the demo's STUN/TURN server.
pub fn turn_server() -> Result {
    apt_install(&TURN_PACKAGES, "the demo's STUN/TURN server")
}

fn apt_install(packages: &[(&str, &str)], needed_for: &str) -> Result {
    let missing: Vec<&str> = packages
        .iter()
        .filter(|(_, file)| !PathBuf::from(file).exists())
        .map(|(package, _)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let install = format!("apt-get update && apt-get install -y {}", missing.join(" "));
    if !is_root() {
        return Err(format!(
            "These are needed for {needed_for}. Install them as root:\n  sudo sh -c '{install}'"
        ));
    }
    step(&format!(
        "Installing Debian's {} with apt-get",
        missing.join(", ")
    ));
    run(Command::new("apt-get").arg("update").arg("-qq"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn is_root() -> bool {
    output(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0")
}

fn output(command: &mut Command) -> Option<String> {
    let out = command.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
