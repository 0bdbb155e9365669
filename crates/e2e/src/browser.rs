//! The browser engine the end-to-end tests drive, chosen by `PC_BROWSER`: `chromium` (the
//! default) through ChromeDriver, `firefox` through geckodriver, `webkit` through WebKitGTK's
//! WebKitWebDriver. Each browser gets a WebDriver server of its own: geckodriver and
//! WebKitWebDriver serve one session at a time.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Map, Value};

use crate::{free_port, required_env, wait_until_listening};

/// The size of every test browser's window, so that layouts (and screenshots) compare.
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 860;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Engine {
    Chromium,
    Firefox,
    WebKit,
}

impl Engine {
    /// The engine of this test run.
    pub fn under_test() -> Engine {
        match std::env::var("PC_BROWSER").as_deref() {
            Err(_) | Ok("chromium") => Engine::Chromium,
            Ok("firefox") => Engine::Firefox,
            Ok("webkit") => Engine::WebKit,
            Ok(other) => panic!("PC_BROWSER={other}: expected chromium, firefox or webkit"),
        }
    }

    /// The engine's name in screenshot file names.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::Firefox => "firefox",
            Engine::WebKit => "webkit",
        }
    }

    /// Whether `enumerateDevices` lists speakers without a prompt of the browser's own:
    /// Firefox lists them only after `selectAudioOutput`, WebKit not at all.
    pub fn lists_speakers(self) -> bool {
        self == Engine::Chromium
    }

    /// Whether the engine has WebRTC (`RTCPeerConnection`): Debian builds WebKitGTK without it.
    pub fn has_webrtc(self) -> bool {
        self != Engine::WebKit
    }

    /// A part of the name the engine gives its fake microphone.
    pub fn fake_microphone_name(self) -> &'static str {
        match self {
            Engine::Chromium => "Fake",
            Engine::Firefox => "Default Audio Device",
            Engine::WebKit => "Mock",
        }
    }

    fn capabilities(self, profile: &Path, downloads: &Path) -> Map<String, Value> {
        let mut capabilities = Map::new();
        match self {
            Engine::Chromium => {
                capabilities.insert(
                    "goog:chromeOptions".into(),
                    json!({
                        "binary": required_env("CHROMIUM"),
                        "args": [
                            "--headless=new", "--no-sandbox", "--disable-gpu",
                            "--disable-dev-shm-usage", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", format!("--window-size={WIDTH},{HEIGHT}"),
                            "--lang=en-US",
                            // RTC-3: a fake microphone (a beeping tone) that needs no prompt.
                            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                            format!("--user-data-dir={}", profile.display()),
                        ],
                        "prefs": {
                            "download.default_directory": downloads,
                            "download.prompt_for_download": false,
                            "download.directory_upgrade": true,
                            // Several downloads from one page (PNG, then SVG) without asking.
                            "profile.default_content_setting_values.automatic_downloads": 1,
                        },
                    }),
                );
            }
            Engine::Firefox => {
                capabilities.insert(
                    "moz:firefoxOptions".into(),
                    json!({
                        "binary": required_env("FIREFOX"),
                        "args": [
                            "-headless", format!("--window-size={WIDTH},{HEIGHT}"),
                            "-profile", profile,
                        ],
                        "prefs": {
                            "intl.accept_languages": "en-US",
                            // RTC-3: fake microphone and camera streams, granted without a prompt.
                            "media.navigator.streams.fake": true,
                            "media.navigator.permission.disabled": true,
                            // The agent allowed the microphone for the site, as Chromium's
                            // fake UI does; the Permissions API then says "granted".
                            "permissions.default.microphone": 1,
                            // The test TURN and SIP servers listen on 127.0.0.1, which
                            // Firefox leaves out of ICE unless told.
                            "media.peerconnection.ice.loopback": true,
                            "browser.download.dir": downloads,
                            "browser.download.folderList": 2,
                            "browser.download.useDownloadDir": true,
                            "browser.download.always_ask_before_handling_new_types": false,
                            "browser.helperApps.neverAsk.saveToDisk": "image/png,image/svg+xml",
                            // The downloads panel would take the keyboard focus from the page.
                            "browser.download.alwaysOpenPanel": false,
                        },
                    }),
                );
            }
            Engine::WebKit => {
                capabilities.insert(
                    "webkitgtk:browserOptions".into(),
                    json!({
                        "binary": required_env("MINIBROWSER"),
                        "args": [
                            "--automation",
                            // RTC-3: WebKit's mock microphone and camera.
                            "--enable-mock-capture-devices=true",
                            "--enable-media-stream=true",
                            "--enable-webrtc=true",
                            "--autoplay-policy=allow",
                        ],
                    }),
                );
            }
        }
        capabilities
    }
}

/// A WebDriver server in a process group of its own, so that stopping it also stops every
/// browser process it started; for WebKit, with the virtual X display the browser draws on
/// (WebKitGTK has no headless mode).
pub(crate) struct Driver {
    child: Child,
    display: Option<Child>,
}

impl Driver {
    fn start(engine: Engine, port: u16, profile: &Path) -> Driver {
        use std::os::unix::process::CommandExt;
        let mut display = None;
        let mut command = match engine {
            Engine::Chromium => {
                let mut command = Command::new(required_env("CHROMEDRIVER"));
                command.arg(format!("--port={port}"));
                command
            }
            Engine::Firefox => {
                let mut command = Command::new(required_env("GECKODRIVER"));
                command
                    .args(["--port", &port.to_string()])
                    // Its default 9222 would be taken by the second browser of a test.
                    .args(["--websocket-port", &free_port().to_string()]);
                command
            }
            Engine::WebKit => {
                let (xvfb, number) = virtual_display();
                display = Some(xvfb);
                let mut command = Command::new(required_env("WEBKIT_WEBDRIVER"));
                command
                    .arg(format!("--port={port}"))
                    .env("DISPLAY", format!(":{number}"))
                    .env("XDG_CONFIG_HOME", webkit_config(profile));
                command
            }
        };
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("start the WebDriver server for {engine:?}: {e}"));
        wait_until_listening(
            ([127, 0, 0, 1], port).into(),
            &mut child,
            "the WebDriver server",
        );
        Driver { child, display }
    }
}

/// MiniBrowser saves downloads, without asking, in the XDG download folder (the home folder
/// when none is set): a configuration of the profile's own names the profile's downloads.
fn webkit_config(profile: &Path) -> PathBuf {
    let config = profile.join("xdg-config");
    std::fs::create_dir_all(&config).expect("WebKit configuration folder");
    let downloads = format!("XDG_DOWNLOAD_DIR=\"{}\"\n", downloads_of(profile).display());
    std::fs::write(config.join("user-dirs.dirs"), downloads).expect("WebKit download folder");
    config
}

/// Xvfb on a display number it chooses itself (`-displayfd`), so that parallel runs never
/// collide; answers the process and the number.
fn virtual_display() -> (Child, String) {
    let mut xvfb = Command::new(required_env("XVFB"))
        .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0"])
        .arg(format!("{}x{}x24", WIDTH + 320, HEIGHT + 340))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb");
    let mut number = String::new();
    BufReader::new(xvfb.stdout.take().expect("Xvfb's stdout"))
        .read_line(&mut number)
        .expect("Xvfb's display number");
    let number = number.trim().to_owned();
    assert!(!number.is_empty(), "Xvfb printed no display number");
    (xvfb, number)
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
        if let Some(display) = &mut self.display {
            let _ = display.kill();
            let _ = display.wait();
        }
    }
}

/// Each browser profile downloads into a folder beside it.
pub(crate) fn downloads_of(profile: &Path) -> PathBuf {
    let name = profile.file_name().unwrap_or_default().to_string_lossy();
    profile.with_file_name(format!("{name}-downloads"))
}

/// A browser of the engine under test, with its profile (cookies, storage) in `profile`.
pub(crate) async fn open(profile: &Path) -> (Client, Driver) {
    let engine = Engine::under_test();
    std::fs::create_dir_all(profile).expect("browser profile folder");
    std::fs::create_dir_all(downloads_of(profile)).expect("downloads folder");
    let port = free_port();
    let driver = Driver::start(engine, port, profile);
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(engine.capabilities(profile, &downloads_of(profile)))
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| panic!("a WebDriver session with {engine:?}: {e}"));
    if engine == Engine::WebKit {
        client
            .set_window_size(WIDTH, HEIGHT)
            .await
            .expect("size the window");
    }
    (client, driver)
}
