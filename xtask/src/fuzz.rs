//! SEC-3: schema-driven fuzzing. Schemathesis (from PyPI, in a virtual environment of its own)
//! reads the OpenAPI document of a running server and throws generated input at every
//! operation with a signed-in session, with every check it has: no answer is a server error,
//! every answer conforms to the document, input the document allows is accepted and input it
//! does not is refused (`xtask/schemathesis.toml` names the rules the document can only say in
//! words). A fixed seed and a bounded number of examples keep the run
//! repeatable.

use std::process::Command;

use crate::server::{free_port, sign_in, RunningServer};
use crate::{root, run, setup, Result};

const SEED: &str = "20261129";
const EXAMPLES_PER_OPERATION: &str = "60";
const ROUTING_TOKEN: &str = "fuzzing-routing-token";

/// Runs schemathesis against the debug server binary and the built app.
pub fn run_against_server() -> Result {
    let port = free_port()?;
    let dir = std::env::temp_dir().join(format!("pc-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let server = RunningServer::start(
        &root().join("target/debug/pc-server"),
        port,
        dir.join("pc.db"),
        &["--routing-token", ROUTING_TOKEN],
    )?;
    let (cookie, csrf) = sign_in(port)?;
    let result = run(Command::new(setup::schemathesis())
        .current_dir(&dir)
        .arg("--config-file")
        .arg(root().join("xtask/schemathesis.toml"))
        .arg("run")
        .arg(format!("http://127.0.0.1:{port}/api/openapi.json"))
        .args(["--checks", "all"])
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
