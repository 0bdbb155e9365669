//! `cargo xtask <command>`: everything needed to build, run, test and measure the Personal
//! Center on a fresh machine. Every command installs what it needs first (idempotent, and a fast
//! no-op once all is there).

mod background;
mod bench;
mod compress;
mod cpu;
mod fuzz;
mod load;
mod memory;
mod minify;
mod scim;
mod server;
mod setup;
mod split;
mod test;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::background::BackgroundBuild;

const USAGE: &str = "\
usage: cargo xtask <command>

  serve [server flags]  install what is missing, build the app and the server, and run it
                        with a demo workbench on http://localhost:8081 framing it, and the
                        demo's SIP registrar, STUN/TURN server and OpenID Provider
                        (e.g. `cargo xtask serve --listen 0.0.0.0:8080`; see --help of pc-server)
  test                  install what is missing and run every test: lint, unit, API, browser
                        component tests, schema-driven fuzzing of the API, SCIM compliance
                        and end-to-end tests in headless Chromium
  bench                 build the release app and print its size (raw, gzip, brotli), the
                        server's throughput under load and its memory at rest and after a burst
  fuzz                  build the server and run only the schema-driven fuzzing of the API
  setup                 only install what is missing
  split                 Trunk's post_build hook: split the staged app into its chunks";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("test") => test::run_all(),
        Some("bench") => bench::report(),
        Some("fuzz") => fuzz_api(),
        Some("setup") => setup::all(),
        Some("split") => split::staged(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T = ()> = std::result::Result<T, String>;

/// The app's target.
pub const WASM: &str = "wasm32-unknown-unknown";

/// The workspace root (the app crate lives there).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// A command run from the workspace root, with cargo's install folder on PATH so that tools
/// installed by `setup` are found even in a shell that lacks it.
pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root());
    let cargo_bin = setup::cargo_home().join("bin");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![setup::binaryen_bin(), cargo_bin];
    paths.extend(std::env::split_paths(&path));
    command.env(
        "PATH",
        std::env::join_paths(paths).expect("PATH entries are valid"),
    );
    command
}

pub fn run(command: &mut Command) -> Result {
    let status = command
        .status()
        .map_err(|e| format!("could not start {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed ({status})"))
    }
}

pub fn step(message: &str) {
    println!("\n==> {message}");
}

/// Builds the release app into `dist/` with Trunk, offline.
pub fn build_app() -> Result {
    step("Building the app (release, Trunk, wasm-opt -Oz --converge, esbuild), then brotli and gzip at their best");
    run(command("trunk").args(["build", "--release", "--offline"]))?;
    minify::assets(&root().join("dist"))?;
    compress::precompress(&root().join("dist"))
}

/// Where `serve` puts the demo workbench page, and the origin a browser sees it at.
const DEMO_WORKBENCH_LISTEN: &str = "127.0.0.1:8081";
const DEMO_WORKBENCH_ORIGIN: &str = "http://localhost:8081";

fn fuzz_api() -> Result {
    setup::fuzzer()?;
    step("Building the server");
    run(command("cargo").args(["build", "--package", "pc-server"]))?;
    step("Schema-driven fuzzing: schemathesis against the running server");
    fuzz::run_against_server()
}

fn serve(server_args: &[String]) -> Result {
    setup::wasm_target()?;
    let compiling = BackgroundBuild::start()?;
    setup::build_tools()?;
    compiling.wait()?;
    build_app()?;
    let binary = server::build_optimised()?;
    let with_registrar = DemoRegistrar::installed();
    let turn_server = DemoTurnServer::start();
    let listen = server_setting(server_args, "--listen", "PC_LISTEN", "127.0.0.1:8080");
    let app_origin = server_setting(
        server_args,
        "--public-url",
        "PC_PUBLIC_URL",
        &format!("http://{listen}"),
    );
    let identity_provider = DemoIdentityProvider::start(&app_origin);
    step("Starting the server (Ctrl+C stops it)");
    let mut server = command(&binary.to_string_lossy());
    server.arg("--dist").arg(root().join("dist"));
    if with_registrar {
        server
            .arg("--demo-registration-server")
            .arg(DemoRegistrar::websocket_url());
    }
    if let Some(turn_server) = &turn_server {
        server
            .arg("--demo-turn-server")
            .arg(turn_server.address())
            .arg("--demo-turn-secret")
            .arg(DemoTurnServer::SECRET);
    }
    if identity_provider.is_some() {
        server
            .arg("--demo-identity-provider")
            .arg(DemoIdentityProvider::issuer())
            .arg("--demo-identity-provider-secret")
            .arg(DemoIdentityProvider::CLIENT_SECRET);
    }
    // EMB-1: the demo workbench on another site (localhost vs 127.0.0.1), unless the server is
    // set up for something else.
    let own_setup = server_args
        .iter()
        .any(|arg| arg.starts_with("--listen") || arg.starts_with("--frame-ancestors"));
    if !own_setup {
        server.args([
            "--frame-ancestors",
            DEMO_WORKBENCH_ORIGIN,
            "--demo-workbench",
            DEMO_WORKBENCH_LISTEN,
        ]);
    }
    let mut server = server
        .args(server_args)
        .spawn()
        .map_err(|e| format!("could not start the server: {e}"))?;
    // Kamailio checks the tables it reads as it starts: only once the server has made them.
    let _registrar = with_registrar
        .then(|| {
            wait_until_listening(&listen, &mut server)?;
            let database = server_setting(
                server_args,
                "--database",
                "PC_DATABASE",
                "personal-center.db",
            );
            Ok::<_, String>(DemoRegistrar::start(&registrar_database_url(&database)))
        })
        .transpose()?
        .flatten();
    let status = server
        .wait()
        .map_err(|e| format!("waiting for the server: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the server ended ({status})"))
    }
}

/// What the server takes for one of its settings: the flag in `args` (`--flag value` or
/// `--flag=value`), else its environment variable, else its default.
fn server_setting(args: &[String], flag: &str, variable: &str, default: &str) -> String {
    let given = args.iter().enumerate().find_map(|(i, arg)| {
        if arg == flag {
            args.get(i + 1).cloned()
        } else {
            arg.strip_prefix(flag)
                .and_then(|rest| rest.strip_prefix('='))
                .map(str::to_owned)
        }
    });
    given
        .or_else(|| std::env::var(variable).ok())
        .unwrap_or_else(|| default.to_owned())
}

/// The server's `--database` as Kamailio's auth_db reads it: a PostgreSQL URL as it is (the
/// `db_postgres` module), a SQLite file (a path or a `sqlite:` URL, relative to the folder the
/// server runs in) as `sqlite:///absolute/path` (the `db_sqlite` module).
fn registrar_database_url(database: &str) -> String {
    if database.starts_with("postgres://") {
        return database.to_owned();
    }
    // Kamailio picks the module by the scheme: `db_postgres` for `postgres`.
    if let Some(rest) = database.strip_prefix("postgresql://") {
        return format!("postgres://{rest}");
    }
    let path = database
        .strip_prefix("sqlite://")
        .or_else(|| database.strip_prefix("sqlite:"))
        .unwrap_or(database);
    format!("sqlite://{}", root().join(path).display())
}

/// Waits until the server accepts connections on `listen`, or fails if it ends first.
fn wait_until_listening(listen: &str, server: &mut std::process::Child) -> Result {
    let address: std::net::SocketAddr = listen
        .parse()
        .map_err(|e| format!("the server's address {listen}: {e}"))?;
    loop {
        if std::net::TcpStream::connect(address).is_ok() {
            return Ok(());
        }
        if let Ok(Some(status)) = server.try_wait() {
            return Err(format!("the server ended before listening ({status})"));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// RTC-1: Kamailio as the demo's SIP registrar, with the test registrar's config, checking the
/// softphone passwords against the HA1s in the server's database (the seeded demo passwords,
/// then whatever a reset sets), on a fixed port so that a kept demo database still points at
/// it. It gets Ctrl+C with the server, and is stopped when `serve` ends.
struct DemoRegistrar {
    child: std::process::Child,
}

impl DemoRegistrar {
    const PORT: u16 = 5066;

    /// Whether Kamailio and its modules are there (installed now if `serve` runs as root).
    fn installed() -> bool {
        setup::registrar()
            .map_err(|error| {
                println!(
                    "The demo runs without a SIP registrar, so the softphone cannot register.\n{error}"
                )
            })
            .is_ok()
    }

    /// Starts Kamailio reading the server's database at `database_url` (`sqlite:///…` or
    /// `postgres://…`).
    fn start(database_url: &str) -> Option<DemoRegistrar> {
        let run_dir = root().join("target/kamailio");
        std::fs::create_dir_all(&run_dir).ok()?;
        step(&format!(
            "Starting Kamailio as the demo's SIP registrar on {}",
            Self::websocket_url()
        ));
        let child = Command::new(setup::KAMAILIO)
            .arg("-f")
            .arg(root().join("crates/e2e/kamailio/registrar.cfg"))
            .args(["-DD", "-E"])
            .arg("-l")
            .arg(format!("tcp:127.0.0.1:{}", Self::PORT))
            .arg("-Y")
            .arg(&run_dir)
            .arg("-A")
            .arg(format!("DBURL=\"{database_url}\""))
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|error| println!("Kamailio did not start: {error}"))
            .ok()?;
        Some(DemoRegistrar { child })
    }

    fn websocket_url() -> String {
        format!("ws://127.0.0.1:{}", Self::PORT)
    }
}

/// BEY-3: coturn as the demo's STUN/TURN server, with the media test's end-to-end config, on
/// the standard port so that a kept demo database still points at it. It gets Ctrl+C with the
/// server, and is stopped when `serve` ends.
struct DemoTurnServer {
    child: std::process::Child,
}

impl DemoTurnServer {
    const PORT: u16 = 3478;
    /// A demo's secret: the server makes the agents' TURN credentials from it.
    const SECRET: &str = "demo-turn-secret";

    fn start() -> Option<DemoTurnServer> {
        if let Err(error) = setup::turn_server() {
            println!(
                "The demo runs without a STUN/TURN server, so the media test finds host candidates only.\n{error}"
            );
            return None;
        }
        let run_dir = root().join("target/coturn");
        std::fs::create_dir_all(&run_dir).ok()?;
        step(&format!(
            "Starting coturn as the demo's STUN/TURN server on 127.0.0.1:{}",
            Self::PORT
        ));
        let child = Command::new(setup::TURNSERVER)
            .arg("-c")
            .arg(root().join("crates/e2e/coturn/turnserver.conf"))
            .arg("--listening-port")
            .arg(Self::PORT.to_string())
            .args(["--static-auth-secret", Self::SECRET])
            .arg("--userdb")
            .arg(run_dir.join("turndb"))
            .arg("--pidfile")
            .arg(run_dir.join("turnserver.pid"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|error| println!("coturn did not start: {error}"))
            .ok()?;
        Some(DemoTurnServer { child })
    }

    fn address(&self) -> String {
        format!("127.0.0.1:{}", Self::PORT)
    }
}

/// SSO-1: the end-to-end tests' OpenID Provider (panva's oidc-provider, its own login and
/// consent pages) as the demo's, for the northwind tenant, on a fixed port so that a kept demo
/// database still points at it. Its users are northwind's agents and one person who is no agent
/// here; any password signs them in. It is stopped when `serve` ends.
struct DemoIdentityProvider {
    child: std::process::Child,
}

impl DemoIdentityProvider {
    const PORT: u16 = 8082;
    /// The client the server is at the provider (the server's demo client id is the same).
    const CLIENT_ID: &str = "personal-center";
    const CLIENT_SECRET: &str = "demo-identity-provider-secret";
    const USERS: &str = "alice.wang bob.li mallory";

    /// Starts the provider for the server at `app_origin`.
    fn start(app_origin: &str) -> Option<DemoIdentityProvider> {
        if let Err(error) = setup::identity_provider() {
            println!("The demo runs without single sign-on (no test OpenID Provider).\n{error}");
            return None;
        }
        step(&format!(
            "Starting the test OpenID Provider (oidc-provider) for northwind's single sign-on on {}",
            Self::issuer()
        ));
        let child = Command::new(setup::NODE)
            .arg(root().join("crates/e2e/oidc-provider/provider.mjs"))
            .env("OIDC_PROVIDER_MODULE", setup::oidc_provider_module())
            .env("OIDC_ISSUER", Self::issuer())
            .env("OIDC_CLIENT_ID", Self::CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", Self::CLIENT_SECRET)
            .env("OIDC_APP_ORIGIN", app_origin)
            .env("OIDC_USERS", Self::USERS)
            .stdout(std::process::Stdio::null())
            // Its warnings that it is a development set-up, which it is.
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|error| println!("The test OpenID Provider did not start: {error}"))
            .ok()?;
        Some(DemoIdentityProvider { child })
    }

    fn issuer() -> String {
        format!("http://127.0.0.1:{}", Self::PORT)
    }
}

impl Drop for DemoIdentityProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for DemoTurnServer {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

impl Drop for DemoRegistrar {
    /// SIGTERM, so that Kamailio stops its worker processes too.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}
