//! A real SIP registrar for the softphone tests (RTC-1): Debian's Kamailio with the project's own
//! small config (`kamailio/registrar.cfg`), on a free port, in a process group of its own so
//! that stopping it stops all its processes. It checks softphone passwords against the HA1s in
//! the server's database, as a deployment's registrar does.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pc_server::storage::seed::DEMO_SOFTPHONE_PASSWORDS;
use tempfile::TempDir;

use crate::{free_port, required_env, wait_until_listening, Harness, PATIENCE};

/// Alice's and David's softphone numbers and the passwords the demo data gives them.
pub const ALICE_SIP: (&str, &str) = (DEMO_SOFTPHONE_PASSWORDS[0].1, DEMO_SOFTPHONE_PASSWORDS[0].3);
pub const DAVID_SIP: (&str, &str) = (DEMO_SOFTPHONE_PASSWORDS[1].1, DEMO_SOFTPHONE_PASSWORDS[1].3);

/// The server with the WebRTC tenants' registration server pointed at a registrar that reads the
/// softphone credentials from the server's database (started once the server has made it).
pub async fn server_with_registrar() -> (Harness, Registrar) {
    let mut registrar = Registrar::on_free_port();
    let url = registrar.websocket_url();
    let h = Harness::start_with(&["--demo-registration-server", &url]).await;
    registrar.start_on_sqlite(h.database());
    (h, registrar)
}

pub struct Registrar {
    child: Option<Child>,
    port: u16,
    run_dir: TempDir,
    /// Kamailio's URL of the server's database, once started.
    database_url: Option<String>,
}

impl Registrar {
    /// A registrar on a free port, not started yet: the server is to be told its address
    /// first, and to create the database it reads (Kamailio checks the tables as it starts).
    pub fn on_free_port() -> Registrar {
        Registrar {
            child: None,
            port: free_port(),
            run_dir: tempfile::tempdir().expect("a run folder for Kamailio"),
            database_url: None,
        }
    }

    /// Starts Kamailio reading the softphone credentials from the server's SQLite `database`.
    pub fn start_on_sqlite(&mut self, database: &Path) {
        self.start(format!("sqlite://{}", database.display()));
    }

    /// Starts Kamailio reading the softphone credentials from the server's database at
    /// `database_url`: `sqlite:///absolute/path` or `postgres://user:password@host:port/db`.
    pub fn start(&mut self, database_url: String) {
        self.database_url = Some(database_url);
        self.restart();
    }

    /// Starts Kamailio (again) on the same port, with no registrations: as after an outage.
    pub fn restart(&mut self) {
        use std::os::unix::process::CommandExt;
        self.stop();
        let database_url = self
            .database_url
            .as_deref()
            .expect("the registrar was started with a database");
        let config = concat!(env!("CARGO_MANIFEST_DIR"), "/kamailio/registrar.cfg");
        let mut child = Command::new(required_env("KAMAILIO"))
            .args(["-f", config, "-DD", "-E"])
            .arg("-l")
            .arg(format!("tcp:127.0.0.1:{}", self.port))
            .arg("-Y")
            .arg(self.run_dir.path())
            .arg("-A")
            .arg(format!("DBURL=\"{database_url}\""))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("start kamailio");
        wait_until_listening(([127, 0, 0, 1], self.port).into(), &mut child, "kamailio");
        self.child = Some(child);
    }

    /// Stops every Kamailio process: the registrar is down.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let group = format!("-{}", child.id());
            let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
            let _ = child.wait();
        }
    }

    /// Where it takes SIP over plain TCP too (the same port as its WebSocket).
    pub fn tcp_address(&self) -> (&'static str, u16) {
        ("127.0.0.1", self.port)
    }

    /// What the tenant configures as its registration server for browsers.
    pub fn websocket_url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.port)
    }

    /// The contact addresses registered for `user`, as Kamailio's `ul.lookup` tells them.
    pub fn contacts(&self, user: &str) -> Vec<String> {
        let request = serde_json::json!({
            "jsonrpc": "2.0", "method": "ul.lookup", "params": ["location", user], "id": 1,
        });
        let answer = match ureq::post(&format!("http://127.0.0.1:{}/RPC", self.port))
            .send_string(&request.to_string())
        {
            Ok(response) => response.into_string(),
            // "AOR not found" comes as an HTTP error with the JSON-RPC error in the body.
            Err(ureq::Error::Status(_, response)) => response.into_string(),
            Err(error) => panic!("JSON-RPC to kamailio: {error}"),
        }
        .expect("a JSON-RPC answer");
        let answer: serde_json::Value = serde_json::from_str(&answer).expect("JSON from kamailio");
        answer["result"]["Contacts"]
            .as_array()
            .map(|contacts| {
                contacts
                    .iter()
                    .filter_map(|c| c["Contact"]["Address"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits until `user` has `count` contacts registered.
    pub async fn expect_contacts(&self, user: &str, count: usize) -> Vec<String> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let contacts = self.contacts(user);
            if contacts.len() == count {
                return contacts;
            }
            if Instant::now() > deadline {
                panic!("{user} has contacts {contacts:?}, not {count}, after {PATIENCE:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Registrar {
    fn drop(&mut self) {
        self.stop();
    }
}
