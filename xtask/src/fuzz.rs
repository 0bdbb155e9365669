//! SEC-3: schema-driven fuzzing. Schemathesis (from PyPI, in a virtual environment of its own)
//! reads the OpenAPI document of a running server and throws generated input at every
//! operation with a signed-in session, checking that no answer is a server error and that every
//! answer conforms to the document. A fixed seed and a bounded number of examples keep the run
//! repeatable.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{root, run, setup, Result};

const SEED: &str = "20261129";
const EXAMPLES_PER_OPERATION: &str = "60";
/// The demo agent the fuzzer acts as, with the seed's `DEMO_PASSWORD`
/// (`crates/server/src/storage/seed.rs`).
const SIGN_IN: &str = r#"{"business_account":"alice.wang","password":"Demo@2026"}"#;
const ROUTING_TOKEN: &str = "fuzzing-routing-token";

/// Runs schemathesis against the debug server binary and the built app.
pub fn run_against_server() -> Result {
    let port = free_port()?;
    let dir = std::env::temp_dir().join(format!("pc-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let server = RunningServer::start(port, &dir)?;
    let (cookie, csrf) = sign_in(port)?;
    let result = run(Command::new(setup::schemathesis())
        .current_dir(&dir)
        .arg("run")
        .arg(format!("http://127.0.0.1:{port}/api/openapi.json"))
        .args(["--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"])
        .args(["--seed", SEED, "--max-examples", EXAMPLES_PER_OPERATION])
        .args([
            "--workers",
            "1",
            "--no-color",
            "--generation-database",
            "none",
        ])
        // Signing out would end the session the other operations are fuzzed with.
        .args(["--exclude-operation-id", "sign_out"])
        .arg("--header")
        .arg(format!("Cookie: {cookie}"))
        .arg("--header")
        .arg(format!("x-csrf-token: {csrf}"))
        .arg("--header")
        .arg(format!("Authorization: Bearer {ROUTING_TOKEN}")));
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn free_port() -> Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// `pc-server` on a fresh database, stopped when dropped.
struct RunningServer(Child);

impl RunningServer {
    fn start(port: u16, dir: &std::path::Path) -> Result<RunningServer> {
        let binary: PathBuf = root().join("target/debug/pc-server");
        let child = Command::new(&binary)
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--database")
            .arg(dir.join("fuzz.db"))
            .arg("--dist")
            .arg(root().join("dist"))
            .args(["--routing-token", ROUTING_TOKEN])
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", binary.display()))?;
        let server = RunningServer(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("pc-server did not listen within 30 s".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(server)
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Signs the demo agent in over plain HTTP; answers the session cookie and the CSRF token.
fn sign_in(port: u16) -> Result<(String, String)> {
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("sign-in: {e}"))?;
    let request = format!(
        "POST /api/session HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{SIGN_IN}",
        SIGN_IN.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("sign-in: {e}"))?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| format!("sign-in: {e}"))?;
    let cookie = answer
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie").then(|| {
                value
                    .trim()
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
        })
        .ok_or_else(|| format!("sign-in set no cookie: {answer}"))?;
    let csrf = answer
        .split("\"csrf_token\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or_else(|| format!("sign-in gave no CSRF token: {answer}"))?
        .to_owned();
    Ok((cookie, csrf))
}
