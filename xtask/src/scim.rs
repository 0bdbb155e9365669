//! PRV: SCIM compliance. scim2-tester (from PyPI, in a virtual environment of its own) runs its
//! whole suite against a running server's `/scim/v2`, on a new database with the example tenant
//! file applied and a token made with the CLI, as an operator would set one up.

use std::process::Command;

use crate::server::{free_port, RunningServer};
use crate::{root, run, setup, Result};

/// The example file's TURN server names its secret by this variable.
const TURN_SECRET_VARIABLE: &str = "WOODGROVE_TURN_SECRET";

pub fn run_against_server() -> Result {
    let binary = root().join("target/debug/pc-server");
    let dir = std::env::temp_dir().join(format!("pc-scim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let database = dir.join("pc.db");
    run(Command::new(&binary)
        .arg("--database")
        .arg(&database)
        .args(["tenant", "apply"])
        .arg(root().join("docs/tenants.example.toml"))
        .env(TURN_SECRET_VARIABLE, "compliance-run-turn-secret"))?;
    let created = Command::new(&binary)
        .arg("--database")
        .arg(&database)
        .args(["scim-token", "create", "--tenant", "woodgrove"])
        .output()
        .map_err(|e| format!("could not start {}: {e}", binary.display()))?;
    if !created.status.success() {
        return Err(format!(
            "scim-token create failed: {}",
            String::from_utf8_lossy(&created.stderr)
        ));
    }
    let token = String::from_utf8_lossy(&created.stdout).trim().to_owned();
    let port = free_port()?;
    let server = RunningServer::start(&binary, port, &database, &["--no-demo-data"])?;
    let result = run(Command::new(setup::scim_tester_python())
        .arg(root().join("xtask/python/scim_compliance.py"))
        .arg(format!("http://127.0.0.1:{port}/scim/v2"))
        .arg(token));
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    result
}
