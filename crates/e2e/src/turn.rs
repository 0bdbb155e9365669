//! A real STUN/TURN server for the media test (BEY-3): Debian's coturn in the foreground on a
//! free port of 127.0.0.1 with the project's config (`coturn/turnserver.conf`, shared with the
//! demo): the TURN REST API, where the server under test makes each agent's credential from
//! the same shared secret.

use std::process::{Child, Command, Stdio};

use tempfile::TempDir;

use crate::{free_port, required_env, wait_until_listening};

/// The shared secret the TURN server checks credentials against.
pub const TURN_SECRET: &str = "media-test-secret";

pub struct TurnServer {
    child: Child,
    port: u16,
    _dir: TempDir,
}

impl TurnServer {
    pub fn start() -> TurnServer {
        use std::os::unix::process::CommandExt;
        let port = free_port();
        let dir = tempfile::tempdir().expect("a folder for coturn");
        let mut child = Command::new(required_env("TURNSERVER"))
            // No configuration file: everything is on the command line.
            .args(["-c", "/dev/null", "-n"])
            .args(["--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1"])
            .arg("--listening-port")
            .arg(port.to_string())
            .args(["--use-auth-secret", "--static-auth-secret", TURN_SECRET])
            .args(["--realm", "media-test.example"])
            .args([
                "--no-tls",
                "--no-dtls",
                "--no-cli",
                "--allow-loopback-peers",
            ])
            .args(["--log-file", "stdout", "--simple-log"])
            .arg("--userdb")
            .arg(dir.path().join("turndb"))
            .arg("--pidfile")
            .arg(dir.path().join("turnserver.pid"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("start turnserver");
        wait_until_listening(([127, 0, 0, 1], port).into(), &mut child, "turnserver");
        TurnServer {
            child,
            port,
            _dir: dir,
        }
    }

    /// What the tenant configures as its STUN/TURN server (`--demo-turn-server`).
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for TurnServer {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}
