//! `cargo xtask bench`'s memory figures: the release server's resident memory (RSS) and thread
//! count right after start on a new database, and after a burst of 50 sign-ins at once (a shift
//! starting), read from `/proc`.

use std::path::Path;
use std::thread;
use std::time::Duration;

use crate::server::{free_port, sign_in, RunningServer};
use crate::{step, Result};

const BURST: usize = 50;
/// What the server may hold at rest and after the burst (issue 16).
const TARGET_MB: f64 = 64.0;

pub fn report(binary: &Path) -> Result {
    step("Server memory: RSS and threads at rest and after a burst of sign-ins");
    let port = free_port()?;
    let dir = std::env::temp_dir().join(format!("pc-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    // The burst is one agent signing in 50 times at once; SEC-1 would rightly lock that out.
    let limits = [
        "--sign-in-failures-per-account",
        "1000",
        "--sign-in-failures-per-address",
        "1000",
    ];
    let server = RunningServer::start(binary, port, dir.join("pc.db"), &limits)?;
    thread::sleep(Duration::from_secs(1));
    let at_rest = server.usage()?;
    let burst: Vec<_> = (0..BURST)
        .map(|_| thread::spawn(move || sign_in(port)))
        .collect();
    for sign_in in burst {
        sign_in
            .join()
            .map_err(|_| "a sign-in thread panicked".to_string())??;
    }
    let after_burst = server.usage()?;
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    println!("{:<28} {:>10} {:>8}", "moment", "RSS", "threads");
    for (moment, usage) in [
        ("at rest, new database", at_rest),
        ("after 50 sign-ins at once", after_burst),
    ] {
        println!(
            "{moment:<28} {:>7.1} MB {:>8}",
            usage.resident_mb, usage.threads
        );
    }
    println!("target: at most {TARGET_MB:.0} MB at rest and after the burst");
    Ok(())
}
