//! `cargo xtask bench`'s server figures: requests per second and 99th-percentile latency under
//! load (wrk, 2 threads × 64 connections, 5 s each, on this machine's loopback), for the
//! server (profile `server`), each as a share of `GET /api/health` in the same run.

use std::path::Path;
use std::process::Command;

use crate::server::{free_port, sign_in, RunningServer};
use crate::{setup, step, Result};

/// What is measured: a name, the path, and whether it needs the signed-in session.
const TARGETS: [(&str, &str, bool); 5] = [
    ("GET /api/health", "/api/health", false),
    ("GET / (index.html)", "/", false),
    ("GET /api/me/employee", "/api/me/employee", true),
    ("GET /api/me/agent", "/api/me/agent", true),
    ("GET /api/me/settings", "/api/me/settings", true),
];

struct Figure {
    requests_per_sec: f64,
    p99_ms: f64,
}

pub fn report(binary: &Path) -> Result {
    setup::load_generator()?;
    step("Server under load: wrk, 2 threads x 64 connections, 5 s per target, loopback");
    let port = free_port()?;
    let dir = std::env::temp_dir().join(format!("pc-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let server = RunningServer::start(binary, port, &dir, &[])?;
    let (cookie, _) = sign_in(port)?;
    let mut figures = Vec::new();
    for (name, path, signed_in) in TARGETS {
        let cookie = signed_in.then_some(cookie.as_str());
        figures.push((name, load(port, path, cookie)?));
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    let health = figures[0].1.requests_per_sec;
    println!(
        "{:<22} {:>10} {:>10} {:>9}",
        "target", "req/s", "p99 ms", "of health"
    );
    for (name, figure) in &figures {
        println!(
            "{name:<22} {:>10.0} {:>10.1} {:>8.0}%",
            figure.requests_per_sec,
            figure.p99_ms,
            figure.requests_per_sec * 100.0 / health
        );
    }
    Ok(())
}

fn load(port: u16, path: &str, cookie: Option<&str>) -> Result<Figure> {
    let mut wrk = Command::new("wrk");
    wrk.args(["-t2", "-c64", "-d5s", "--latency"]);
    if let Some(cookie) = cookie {
        wrk.arg("-H").arg(format!("Cookie: {cookie}"));
    }
    let output = wrk
        .arg(format!("http://127.0.0.1:{port}{path}"))
        .output()
        .map_err(|e| format!("could not run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let requests_per_sec = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("Requests/sec:"))
        .and_then(|value| value.trim().parse().ok())
        .ok_or_else(|| format!("wrk printed no rate for {path}: {text}"))?;
    let p99_ms = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("99%"))
        .and_then(|value| milliseconds(value.trim()))
        .ok_or_else(|| format!("wrk printed no 99th percentile for {path}: {text}"))?;
    if text.contains("Non-2xx") {
        return Err(format!("{path} answered errors under load: {text}"));
    }
    Ok(Figure {
        requests_per_sec,
        p99_ms,
    })
}

/// wrk's `812.00us`, `3.21ms` or `1.02s` in milliseconds.
fn milliseconds(value: &str) -> Option<f64> {
    let (number, factor) = if let Some(n) = value.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = value.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = value.strip_suffix('s') {
        (n, 1000.0)
    } else {
        return None;
    };
    number.parse::<f64>().ok().map(|n| n * factor)
}
