//! A harness for end-to-end tests: it starts the real server (the binary in `PC_SERVER_BIN`,
//! serving the built app in `PC_DIST`) on a free port with a fresh database, and a browser of
//! the engine under test through its WebDriver server (`browser`), and always stops both, pass
//! or fail.
//!
//! `cargo xtask test` builds everything and sets the variables; run the tests through it.

pub mod browser;
pub mod identity_provider;
pub mod registrar;
pub mod turn;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use tempfile::TempDir;

pub use fantoccini::key::Key;

/// How long the app may take to show what a test waits for, on a loaded 2-core machine.
const PATIENCE: Duration = Duration::from_secs(20);

/// The password of every demo agent the server seeds.
pub use pc_server::storage::seed::DEMO_PASSWORD;

fn required_env(name: &str) -> PathBuf {
    std::env::var_os(name)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!("{name} is not set: run the end-to-end tests with `cargo xtask test`")
        })
}

/// A port nobody listens on yet, for a server a test starts.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

fn wait_until_listening(addr: SocketAddr, child: &mut Child, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if TcpStream::connect(addr).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited before listening: {status}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} did not listen on {addr} within 30 s");
}

/// The real `pc-server` process.
pub struct Server {
    child: Option<Child>,
    port: u16,
    database: PathBuf,
    dist: PathBuf,
    extra_args: Vec<String>,
}

impl Server {
    fn start(port: u16, database: PathBuf, dist: PathBuf, extra_args: Vec<String>) -> Server {
        let mut server = Server {
            child: None,
            port,
            database,
            dist,
            extra_args,
        };
        server.restart();
        server
    }

    /// Starts the server (again) on the same port with the same database.
    pub fn restart(&mut self) {
        self.stop();
        let mut child = Command::new(required_env("PC_SERVER_BIN"))
            .arg("--listen")
            .arg(format!("127.0.0.1:{}", self.port))
            .arg("--database")
            .arg(&self.database)
            .arg("--dist")
            .arg(&self.dist)
            .args(&self.extra_args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("start pc-server");
        wait_until_listening(([127, 0, 0, 1], self.port).into(), &mut child, "pc-server");
        self.child = Some(child);
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One test's world: a server with a fresh database and a browser pointed at it. The harness
/// is the main browser's `Page`; `another_page` opens a second browser.
pub struct Harness {
    page: Page,
    pub server: Server,
    dir: TempDir,
}

impl std::ops::Deref for Harness {
    type Target = Page;

    fn deref(&self) -> &Page {
        &self.page
    }
}

/// A browser on the app, with the steps an agent takes.
pub struct Page {
    pub browser: Client,
    pub base_url: String,
    _driver: browser::Driver,
}

impl Harness {
    pub async fn start() -> Harness {
        Harness::start_with(&[]).await
    }

    /// `server_args`: extra flags for `pc-server`, e.g. a short session lifetime.
    pub async fn start_with(server_args: &[&str]) -> Harness {
        Harness::start_serving(required_env("PC_DIST"), server_args).await
    }

    /// The server serves the built app in `dist` rather than the one in `PC_DIST`.
    pub async fn start_serving(dist: PathBuf, server_args: &[&str]) -> Harness {
        let dir = tempfile::tempdir().expect("temporary folder");
        let port = free_port();
        let server = Server::start(
            port,
            dir.path().join("e2e.db"),
            dist,
            server_args.iter().map(|s| s.to_string()).collect(),
        );
        let (browser, driver) = browser::open(&dir.path().join("browser-profile")).await;
        Harness {
            page: Page {
                browser,
                base_url: format!("http://127.0.0.1:{port}"),
                _driver: driver,
            },
            server,
            dir,
        }
    }

    /// A second browser (its own profile, so its own cookies) on the same server, as when an
    /// agent has the Personal Center open on two devices.
    pub async fn another_page(&self) -> Page {
        let profile = self
            .dir
            .path()
            .join(format!("browser-profile-{}", free_port()));
        let (browser, driver) = browser::open(&profile).await;
        Page {
            browser,
            base_url: self.page.base_url.clone(),
            _driver: driver,
        }
    }

    /// Where the main browser saves downloads.
    pub fn downloads(&self) -> PathBuf {
        browser::downloads_of(&self.dir.path().join("browser-profile"))
    }

    /// Waits until the main browser has finished downloading `name`, and returns its bytes.
    pub async fn downloaded(&self, name: &str) -> Vec<u8> {
        let path = self.downloads().join(name);
        let deadline = Instant::now() + PATIENCE;
        loop {
            // Browsers write to a partial file (`.crdownload`, `.part`) and rename it when done.
            if let Ok(bytes) = std::fs::read(&path) {
                if !bytes.is_empty() {
                    return bytes;
                }
            }
            if Instant::now() > deadline {
                let found: Vec<_> = std::fs::read_dir(self.downloads())
                    .map(|dir| dir.flatten().map(|e| e.file_name()).collect())
                    .unwrap_or_default();
                panic!("no download {name} within {PATIENCE:?}; found {found:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The test's own folder, for files it hands to the server (a tenant file).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The server's SQLite file, for a test to read what the server keeps but never shows
    /// (e.g. the outbox of the built-in notifier).
    pub fn database(&self) -> &Path {
        &self.server.database
    }

    /// The code in the newest outbox message, as the agent would read it on their phone.
    pub async fn code_in_outbox(&self) -> String {
        let mut db = SqliteConnectOptions::new()
            .filename(self.database())
            .read_only(true)
            .connect()
            .await
            .expect("open the server's database");
        let (body,): (String,) = sqlx::query_as("SELECT body FROM outbox ORDER BY id DESC LIMIT 1")
            .fetch_one(&mut db)
            .await
            .expect("a message in the outbox");
        db.close().await.unwrap();
        body.split(|c: char| !c.is_ascii_digit())
            .find(|part| part.len() == 6)
            .unwrap_or_else(|| panic!("no code in {body:?}"))
            .to_owned()
    }

    /// Runs a `pc-server` command (`tenant apply …`, `scim-token …`) on the server's database,
    /// as an operator does beside the running server; answers what it printed on stdout, and
    /// fails the test when the command fails.
    pub fn operator(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let output = Command::new(required_env("PC_SERVER_BIN"))
            .arg("--database")
            .arg(self.database())
            .args(args)
            .envs(env.iter().copied())
            .output()
            .expect("run pc-server");
        assert!(
            output.status.success(),
            "pc-server {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Ends the browser session cleanly; the processes stop when the harness is dropped.
    pub async fn finish(self) {
        self.page.close().await;
    }
}

impl Page {
    pub async fn close(&self) {
        let _ = self.browser.clone().close().await;
    }

    pub async fn open(&self, path: &str) {
        self.browser
            .goto(&format!("{}{path}", self.base_url))
            .await
            .expect("open page");
    }

    pub async fn path_and_query(&self) -> String {
        let url = self.browser.current_url().await.expect("current URL");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// The element, asked for again until it is there or patience runs out: any error is
    /// tried again, not only a missing element (WebKitGTK's driver answers "Callback was not
    /// called before the unload event" to a search made while a page replaces itself).
    pub async fn find(&self, css: &str) -> Element {
        let deadline = Instant::now() + PATIENCE;
        loop {
            match self.browser.find(Locator::Css(css)).await {
                Ok(element) => return element,
                Err(error) if Instant::now() > deadline => {
                    // What the page showed instead helps more than the timeout does.
                    self.failure_screenshot().await;
                    panic!(
                        "no element {css} (page in target/screenshots/{}/failure.png): {error}",
                        browser::Engine::under_test().name()
                    )
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    pub async fn exists(&self, css: &str) -> bool {
        !self
            .browser
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
            .is_empty()
    }

    pub async fn text(&self, css: &str) -> String {
        let element = self.find(css).await;
        self.rendered_text(&element).await.expect("element text")
    }

    /// The element's `innerText`: what a screen reader reads too, visually hidden parts
    /// included (WebKit's WebDriver leaves those out of an element's text).
    async fn rendered_text(&self, element: &Element) -> Option<String> {
        let element = serde_json::to_value(element).expect("element reference");
        let text = self
            .browser
            .execute("return arguments[0].innerText;", vec![element])
            .await
            .ok()?;
        text.as_str().map(str::to_owned)
    }

    /// Asks `observe` until `wanted` holds for what it sees; fails with the last thing seen
    /// and a screenshot of the page.
    pub async fn eventually<T: std::fmt::Debug>(
        &self,
        what: &str,
        mut observe: impl AsyncFnMut() -> T,
        wanted: impl Fn(&T) -> bool,
    ) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let seen = observe().await;
            if wanted(&seen) {
                return;
            }
            if Instant::now() > deadline {
                self.failure_screenshot().await;
                panic!(
                    "{what}, but found {seen:?} (page in target/screenshots/{}/failure.png)",
                    browser::Engine::under_test().name()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the element's text is `expected`, in any engine's white space: WebKit puts
    /// a space where Chromium and Firefox break the line after a visually hidden "Error:".
    pub async fn expect_text(&self, css: &str, expected: &str) {
        let what = format!("{css}: expected text {expected:?}");
        let text = async || match self.browser.find(Locator::Css(css)).await {
            Ok(element) => self.rendered_text(&element).await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        let expected = words(expected);
        self.eventually(&what, text, |actual| words(actual) == expected)
            .await;
    }

    /// Waits until the URL's path (and query) is `expected`.
    pub async fn expect_path(&self, expected: &str) {
        let what = format!("expected to be at {expected}");
        self.eventually(
            &what,
            async || self.path_and_query().await,
            |actual| actual == expected,
        )
        .await;
    }

    /// Waits until the focused element's attribute `name` is `value` (focus may move a frame
    /// after the click that causes it).
    pub async fn expect_focus(&self, name: &str, value: &str) {
        let what = format!("expected focus on {name}={value:?}");
        // Asked of the page: WebKitGTK's driver answers a stale element for the active element
        // of a framed page.
        let focused = async || {
            let found = self
                .browser
                .execute(
                    "const [name] = arguments; const element = document.activeElement;
                     return element === null ? null : element.getAttribute(name);",
                    vec![serde_json::json!(name)],
                )
                .await
                .expect("the focused element's attribute");
            found.as_str().map(str::to_owned)
        };
        self.eventually(&what, focused, |actual| actual.as_deref() == Some(value))
            .await;
    }

    /// Waits until no element matches `css`.
    pub async fn expect_absent(&self, css: &str) {
        let what = format!("expected no {css}");
        self.eventually(&what, async || self.exists(css).await, |present| !present)
            .await;
    }

    /// The current value of a field (what the agent has typed or chosen).
    pub async fn value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .expect("value property")
            .unwrap_or_default()
    }

    /// Chooses the option with `value` in a `<select>`.
    pub async fn select(&self, css: &str, value: &str) {
        self.find(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
    }

    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.find(css).await.attr(name).await.expect("attribute")
    }

    /// Waits until the element has the attribute `name`.
    pub async fn expect_attr(&self, css: &str, name: &str) {
        let what = format!("{css}: expected the attribute {name}");
        self.eventually(&what, async || self.attr(css, name).await, Option::is_some)
            .await;
    }

    /// Clicks the element, finding it again while the driver refuses the click: WebKitGTK's
    /// driver answers an error without a message for an element the page has just re-rendered
    /// (seen on Refresh right after a dialog closed), where the other drivers click.
    pub async fn click(&self, css: &str) {
        let what = format!("click {css}");
        let click = async || match self.browser.find(Locator::Css(css)).await {
            Ok(element) => element.click().await.map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        self.eventually(&what, click, Result::is_ok).await;
    }

    /// Clicks into the field, as an agent does, empties it and types `text` (WebKit's WebDriver
    /// will not type into a field of a frame that has not had the focus).
    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        element.click().await.expect("click into the field");
        element.clear().await.expect("clear field");
        // A line break is the Return key in WebDriver; only Chromium's driver also takes "\n".
        let keys = text.replace('\n', &char::from(Key::Return).to_string());
        element.send_keys(&keys).await.expect("type");
    }

    /// Presses `key` where the focus is, as a keyboard does: the WebDriver actions give the
    /// same key events in every engine (Firefox's "send keys" to a button does not press it).
    pub async fn press(&self, key: Key) {
        let key = char::from(key);
        let keyboard = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.browser
            .perform_actions(keyboard)
            .await
            .expect("press key");
    }

    pub async fn sign_in(&self, business_account: &str, password: &str) {
        self.type_into("#business_account", business_account).await;
        self.type_into("#password", password).await;
        self.click("form button[type=submit]").await;
    }

    /// Signs the demo agent `account` in from the sign-in page that leads to the tab `tab`, in
    /// the language `lang` when given.
    async fn sign_in_to(&self, tab: &str, account: &str, lang: Option<&str>) {
        let lang = lang.map(|lang| format!("&lang={lang}")).unwrap_or_default();
        self.open(&format!("/sign-in?next={tab}{lang}")).await;
        self.sign_in(account, DEMO_PASSWORD).await;
    }

    /// Signs `account` in to Agent Info and waits for its identity, downloads and registration.
    pub async fn open_agent_info(&self, account: &str, lang: Option<&str>) {
        self.sign_in_to("agent-info", account, lang).await;
        self.find("[data-testid=agent-details]").await;
        self.find("[data-testid=agent-downloads]").await;
        self.find("[data-testid=registration-state]").await;
    }

    /// Signs `account` in to Personalized Settings and waits for the settings.
    pub async fn open_settings(&self, account: &str, lang: Option<&str>) {
        self.sign_in_to("personalized-settings", account, lang)
            .await;
        let query = lang.map(|lang| format!("?lang={lang}")).unwrap_or_default();
        self.expect_path(&format!("/personalized-settings{query}"))
            .await;
        self.find("[data-testid=settings-view]").await;
    }

    /// Saves the Personalized Settings form and waits until the app says they were saved.
    pub async fn save_settings(&self) {
        self.click("#save-settings").await;
        self.expect_text(".notice.success", "Your settings have been saved.")
            .await;
    }

    /// Scrolls the page so the element is at the top of the window, for a screenshot of it.
    pub async fn scroll_to(&self, css: &str) {
        let element = self.find(css).await;
        self.browser
            .execute(
                "arguments[0].scrollIntoView();",
                vec![serde_json::to_value(element).expect("element reference")],
            )
            .await
            .expect("scroll to the element");
    }

    /// A screenshot of a failure, when the browser can take one: Firefox takes none inside a
    /// cross-origin frame, and that must not hide what failed.
    async fn failure_screenshot(&self) {
        let Ok(png) = self.browser.screenshot().await else {
            return;
        };
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/screenshots")
            .join(browser::Engine::under_test().name());
        if std::fs::create_dir_all(&dir).is_ok() {
            let _ = std::fs::write(dir.join("failure.png"), png);
        }
    }

    /// Saves a screenshot under `target/screenshots/<engine>/` for a person to look at.
    pub async fn screenshot(&self, name: &str) {
        let png = self.browser.screenshot().await.expect("screenshot");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/screenshots")
            .join(browser::Engine::under_test().name());
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }
}

/// `text` with every run of white space made one space, and none at the ends.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
