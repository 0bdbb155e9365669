//! A throw-away PostgreSQL cluster: `initdb` in a temporary folder and `postgres` on a free
//! loopback port, with the binaries of Debian's `postgresql` package (`cargo xtask setup`
//! installs it). Nothing is installed or started by hand, and the package's own cluster is not
//! used.
//!
//! A small shell script owns the cluster. It stops the cluster and removes its folder as soon
//! as its standard input closes: when the `Cluster` is dropped, or when the process holding it
//! ends in any way (a test binary keeps its cluster in a `static`, which is never dropped).
//! The cluster trades durability for speed (no fsync): it is for tests and measurements.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};

/// The user the cluster is made for; it needs no password (trust on loopback).
pub const USER: &str = "pc";

const SCRIPT: &str = r#"
set -e
dir="$1"; port="$2"; bin="$3"
if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root; the package's `postgres` user runs the cluster.
    chown postgres "$dir"
    as_owner() { runuser -u postgres -- "$@"; }
else
    as_owner() { "$@"; }
fi
stop() {
    as_owner "$bin/pg_ctl" -D "$dir/data" stop -m immediate >/dev/null 2>&1 || true
    rm -rf "$dir"
}
as_owner "$bin/initdb" -D "$dir/data" -A trust -U pc --no-sync --no-locale -E UTF8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -s -w -o "-p $port -k $dir \
    -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
    -c full_page_writes=off -c max_connections=300" start \
    || { cat "$dir/log" >&2; stop; exit 1; }
echo ready
# Until the owner's end of the pipe closes: it dropped the cluster, or it ended.
cat >/dev/null || true
stop
"#;

/// A running cluster; dropping it stops the cluster and removes its folder.
pub struct Cluster {
    port: u16,
    dir: PathBuf,
    owner: Child,
    stdin: Option<ChildStdin>,
}

impl Cluster {
    /// Creates and starts a new cluster; answers once it accepts connections.
    pub fn start() -> Result<Cluster, String> {
        let bin = binaries()?;
        let dir = tempfile::Builder::new()
            .prefix("pc-postgres-")
            .tempdir()
            .map_err(|e| format!("no temporary folder for PostgreSQL: {e}"))?
            // The script removes it, after the cluster has stopped.
            .keep();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .map_err(|e| format!("no free port for PostgreSQL: {e}"))?;
        let mut owner = Command::new("sh")
            .args(["-c", SCRIPT, "pc-postgres-cluster"])
            .arg(&dir)
            .arg(port.to_string())
            .arg(&bin)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not start PostgreSQL: {e}"))?;
        let stdin = owner.stdin.take();
        let mut line = String::new();
        let stdout = owner.stdout.take().expect("piped");
        let _ = BufReader::new(stdout).read_line(&mut line);
        if line.trim() != "ready" {
            let mut errors = String::new();
            if let Some(mut stderr) = owner.stderr.take() {
                let _ = stderr.read_to_string(&mut errors);
            }
            let _ = owner.wait();
            return Err(format!("PostgreSQL did not start: {errors}"));
        }
        Ok(Cluster {
            port,
            dir,
            owner,
            stdin,
        })
    }

    /// The URL of database `name` on this cluster (`postgres` exists from the start).
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{name}", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.owner.wait();
        // The script removed it, unless it was killed before it could.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The newest installed PostgreSQL's binaries (`/usr/lib/postgresql/<version>/bin`).
fn binaries() -> Result<PathBuf, String> {
    let installed = std::fs::read_dir("/usr/lib/postgresql").map_err(|_| {
        "PostgreSQL is not installed: run `cargo xtask setup` (Debian's postgresql package)"
            .to_owned()
    })?;
    installed
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .max_by_key(|(version, _)| *version)
        .map(|(_, bin)| bin)
        .ok_or_else(|| "no PostgreSQL server binaries under /usr/lib/postgresql".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_listens_until_dropped_and_leaves_nothing_behind() {
        let cluster = Cluster::start().unwrap();
        let address = ("127.0.0.1", cluster.port);
        let dir = cluster.dir.clone();
        assert!(std::net::TcpStream::connect(address).is_ok());
        assert!(dir.join("data").exists());
        drop(cluster);
        assert!(std::net::TcpStream::connect(address).is_err());
        assert!(!dir.exists());
    }
}
