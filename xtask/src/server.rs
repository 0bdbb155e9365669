//! A `pc-server` process for the commands that need a real one (fuzzing, load figures), and a
//! demo agent signed in to it.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{command, root, run, step, Result};

/// The demo agent, with the seed's `DEMO_PASSWORD` (`crates/server/src/storage/seed.rs`).
const SIGN_IN: &str = r#"{"business_account":"alice.wang","password":"Demo@2026"}"#;

/// Builds the server with the `server` profile (Cargo.toml) and answers where the binary is.
pub fn build_optimised() -> Result<PathBuf> {
    step("Building the server (profile `server`: optimised, thin LTO)");
    run(command("cargo").args(["build", "--profile", "server", "--package", "pc-server"]))?;
    Ok(root().join("target/server/pc-server"))
}

pub fn free_port() -> Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// `pc-server` on `database` (a SQLite file or a `postgres://` URL), stopped when dropped.
pub struct RunningServer(Child);

impl RunningServer {
    pub fn start(
        binary: &Path,
        port: u16,
        database: impl AsRef<OsStr>,
        extra: &[&str],
    ) -> Result<RunningServer> {
        let child = Command::new(binary)
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--database")
            .arg(database)
            .arg("--dist")
            .arg(root().join("dist"))
            .args(extra)
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

/// What a running server holds, from `/proc/PID/status`.
pub struct Usage {
    pub resident_mb: f64,
    pub threads: u32,
}

impl RunningServer {
    pub fn pid(&self) -> u32 {
        self.0.id()
    }

    pub fn usage(&self) -> Result<Usage> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .map_err(|e| format!("reading the server's /proc status: {e}"))?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|value| value.parse::<u64>().ok())
                .ok_or_else(|| format!("no {name} in the server's /proc status"))
        };
        Ok(Usage {
            resident_mb: field("VmRSS:")? as f64 / 1024.0,
            threads: field("Threads:")? as u32,
        })
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Signs the demo agent in over plain HTTP; answers the session cookie and the CSRF token.
pub fn sign_in(port: u16) -> Result<(String, String)> {
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
