//! `cargo xtask bench`'s server figures: requests per second and 99th-percentile latency under
//! load (wrk, 2 threads × 64 connections, on this machine's loopback), for the server (profile
//! `server`) on SQLite and on PostgreSQL side by side, each rate also as a share of
//! `GET /api/health` on SQLite in the same run. The targets take turns for several rounds, and
//! each figure is the median of its rounds, so that a machine that slows down or speeds up
//! during the run (as shared machines do) moves every target alike. Beside each rate, where the
//! CPU went per request (the server, PostgreSQL, the rest: wrk and the kernel) and how busy the
//! machine's cores were, so that a rate can be read against the cores the processes share.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

use pc_postgres_cluster::Cluster;

use crate::cpu::{Ticks, TICKS_PER_SECOND};
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

/// Rounds of every target in turn, and how long wrk loads a target in each.
const ROUNDS: usize = 3;
const SECONDS_PER_ROUND: u32 = 3;

struct Figure {
    requests_per_sec: f64,
    p99_ms: f64,
    /// CPU microseconds per request: the server, PostgreSQL, and the rest.
    server_us: f64,
    postgres_us: f64,
    rest_us: f64,
    /// The share of all the machine's core time that was busy.
    busy_percent: f64,
}

pub fn report(binary: &Path) -> Result {
    setup::load_generator()?;
    setup::database()?;
    step(&format!(
        "Server under load: wrk, 2 threads x 64 connections, loopback; \
         {ROUNDS} rounds of {SECONDS_PER_ROUND} s per target in turn, medians"
    ));
    let dir = std::env::temp_dir().join(format!("pc-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let on_sqlite = figures(binary, dir.join("pc.db").into());
    let _ = std::fs::remove_dir_all(&dir);
    let cluster = Cluster::start()?;
    let on_postgres = figures(binary, cluster.url("postgres").into())?;
    drop(cluster);
    let on_sqlite = on_sqlite?;
    let health = on_sqlite[0].requests_per_sec;
    print_database_columns();
    println!(
        "{:<22} {:>8} {:>7} {:>6} {:>8} {:>7} {:>6}",
        "target", "req/s", "p99 ms", "health", "req/s", "p99 ms", "health"
    );
    for ((name, _, _), (sqlite, postgres)) in TARGETS.iter().zip(on_sqlite.iter().zip(&on_postgres))
    {
        println!(
            "{name:<22} {:>8.0} {:>7.1} {:>5.0}% {:>8.0} {:>7.1} {:>5.0}%",
            sqlite.requests_per_sec,
            sqlite.p99_ms,
            sqlite.requests_per_sec * 100.0 / health,
            postgres.requests_per_sec,
            postgres.p99_ms,
            postgres.requests_per_sec * 100.0 / health
        );
    }
    println!(
        "\nCPU per request in µs (server / PostgreSQL / rest: wrk, kernel), and cores busy ({} cores)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    print_database_columns();
    for ((name, _, _), (sqlite, postgres)) in TARGETS.iter().zip(on_sqlite.iter().zip(&on_postgres))
    {
        println!("{name:<22} {:>23} {:>23}", cpu(sqlite), cpu(postgres));
    }
    Ok(())
}

/// Every target against the server `binary` on `database`, signed in as the demo agent.
fn figures(binary: &Path, database: OsString) -> Result<Vec<Figure>> {
    let port = free_port()?;
    let server = RunningServer::start(binary, port, database, &[])?;
    let (cookie, _) = sign_in(port)?;
    let mut rounds = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let round: Vec<Figure> = TARGETS
            .iter()
            .map(|(_, path, signed_in)| {
                load(&server, port, path, signed_in.then_some(cookie.as_str()))
            })
            .collect::<Result<_>>()?;
        rounds.push(round);
    }
    let median = |value: fn(&Figure) -> f64, target: usize| {
        let mut values: Vec<f64> = rounds.iter().map(|round| value(&round[target])).collect();
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    Ok((0..TARGETS.len())
        .map(|target| Figure {
            requests_per_sec: median(|f| f.requests_per_sec, target),
            p99_ms: median(|f| f.p99_ms, target),
            server_us: median(|f| f.server_us, target),
            postgres_us: median(|f| f.postgres_us, target),
            rest_us: median(|f| f.rest_us, target),
            busy_percent: median(|f| f.busy_percent, target),
        })
        .collect())
}

/// The heading over both tables' SQLite and PostgreSQL columns.
fn print_database_columns() {
    println!(
        "{:<22} {:>23} {:>23}",
        "", "---- SQLite ----", "-- PostgreSQL --"
    );
}

/// `server_us/postgres_us/rest_us busy%`, one column of the CPU table.
fn cpu(figure: &Figure) -> String {
    format!(
        "{:.0}/{:.0}/{:.0} {:.0}%",
        figure.server_us, figure.postgres_us, figure.rest_us, figure.busy_percent
    )
}

fn load(server: &RunningServer, port: u16, path: &str, cookie: Option<&str>) -> Result<Figure> {
    let mut wrk = Command::new("wrk");
    wrk.args(["-t2", "-c64", "--latency"])
        .arg(format!("-d{SECONDS_PER_ROUND}s"));
    if let Some(cookie) = cookie {
        wrk.arg("-H").arg(format!("Cookie: {cookie}"));
    }
    let before = Ticks::now(server.pid())?;
    let output = wrk
        .arg(format!("http://127.0.0.1:{port}{path}"))
        .output()
        .map_err(|e| format!("could not run wrk: {e}"))?;
    let spent = Ticks::now(server.pid())?.since(&before);
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
    // wrk's `  123456 requests in 3.00s, 45.67MB read`.
    let requests = text
        .lines()
        .find_map(|line| line.trim().split_once(" requests in "))
        .and_then(|(count, _)| count.trim().parse::<f64>().ok())
        .filter(|count| *count > 0.0)
        .ok_or_else(|| format!("wrk printed no request count for {path}: {text}"))?;
    if text.contains("Non-2xx") {
        return Err(format!("{path} answered errors under load: {text}"));
    }
    let microseconds_per_request = |ticks: u64| ticks as f64 * 1e6 / TICKS_PER_SECOND / requests;
    Ok(Figure {
        requests_per_sec,
        p99_ms,
        server_us: microseconds_per_request(spent.server),
        postgres_us: microseconds_per_request(spent.postgres),
        rest_us: microseconds_per_request(spent.rest()),
        busy_percent: spent.busy as f64 * 100.0 / spent.all.max(1) as f64,
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
