//! Where the machine's CPU time goes while the load figures are taken (issue 25): the server
//! process, the PostgreSQL processes, and the rest (wrk, the kernel's loopback, anything else),
//! from `/proc`, so that a rate can be read against the two cores it shares.

use crate::Result;

/// CPU time, in the kernel's clock ticks (`USER_HZ`).
#[derive(Clone, Copy, Default)]
pub struct Ticks {
    pub server: u64,
    pub postgres: u64,
    /// Every non-idle tick of every core (`/proc/stat`).
    pub busy: u64,
    /// Every tick of every core, idle or not.
    pub all: u64,
}

/// `USER_HZ`: Linux reports `/proc` CPU times in hundredths of a second on every architecture
/// this project runs on.
pub const TICKS_PER_SECOND: f64 = 100.0;

impl Ticks {
    /// The counters now, for the server process `server_pid`.
    pub fn now(server_pid: u32) -> Result<Ticks> {
        let (busy, all) = machine()?;
        Ok(Ticks {
            server: process(server_pid)?.1,
            postgres: postgres()?,
            busy,
            all,
        })
    }

    /// What was spent between `earlier` and `self`.
    pub fn since(&self, earlier: &Ticks) -> Ticks {
        Ticks {
            server: self.server.saturating_sub(earlier.server),
            postgres: self.postgres.saturating_sub(earlier.postgres),
            busy: self.busy.saturating_sub(earlier.busy),
            all: self.all.saturating_sub(earlier.all),
        }
    }

    /// Everything busy that was neither the server nor PostgreSQL.
    pub fn rest(&self) -> u64 {
        self.busy.saturating_sub(self.server + self.postgres)
    }
}

/// The command name and user + system ticks of process `pid` (`/proc/PID/stat`: the name is in
/// parentheses and may hold spaces, so the fields are counted after its closing one).
fn process(pid: u32) -> Result<(String, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_err(|e| format!("reading /proc/{pid}/stat: {e}"))?;
    let (head, tail) = stat
        .rsplit_once(')')
        .ok_or_else(|| format!("/proc/{pid}/stat has no command name"))?;
    let name = head.split_once('(').map(|(_, n)| n).unwrap_or_default();
    // After the name come the line's fields from the third (state); utime is the 14th, stime the 15th.
    let fields: Vec<&str> = tail.split_whitespace().collect();
    let tick = |index: usize| {
        fields
            .get(index)
            .and_then(|value| value.parse::<u64>().ok())
            .ok_or_else(|| format!("/proc/{pid}/stat has no CPU times"))
    };
    Ok((name.to_owned(), tick(11)? + tick(12)?))
}

/// The ticks of every process named `postgres` (the throw-away cluster's server and backends;
/// the benchmark runs no other).
fn postgres() -> Result<u64> {
    let mut ticks = 0;
    for entry in std::fs::read_dir("/proc").map_err(|e| format!("reading /proc: {e}"))? {
        let Some(pid) = entry
            .ok()
            .and_then(|e| e.file_name().to_str()?.parse::<u32>().ok())
        else {
            continue;
        };
        // A process may end between the listing and the read.
        if let Ok((name, spent)) = process(pid) {
            if name == "postgres" {
                ticks += spent;
            }
        }
    }
    Ok(ticks)
}

/// The busy and all ticks of every core, from the `cpu` line of `/proc/stat` (user nice system
/// idle iowait irq softirq steal …; idle and iowait are not busy, guest is inside user).
fn machine() -> Result<(u64, u64)> {
    let stat =
        std::fs::read_to_string("/proc/stat").map_err(|e| format!("reading /proc/stat: {e}"))?;
    let values: Vec<u64> = stat
        .lines()
        .find_map(|line| line.strip_prefix("cpu "))
        .ok_or("/proc/stat has no cpu line")?
        .split_whitespace()
        .take(8)
        .map(|value| value.parse().map_err(|_| "/proc/stat: not a number"))
        .collect::<std::result::Result<_, _>>()?;
    if values.len() < 8 {
        return Err("/proc/stat: a short cpu line".into());
    }
    let all: u64 = values.iter().sum();
    Ok((all - values[3] - values[4], all))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_counts_the_work_it_does() {
        let pid = std::process::id();
        let (name, before) = process(pid).unwrap();
        assert!(!name.is_empty());
        // Work until the counter moves; a counter that never moves fails at the deadline.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let mut spin = 0u64;
        while process(pid).unwrap().1 < before + 5 {
            assert!(
                std::time::Instant::now() < deadline,
                "20 s of work counted no tick"
            );
            for _ in 0..1_000_000 {
                spin = std::hint::black_box(spin.wrapping_add(1));
            }
        }
    }

    #[test]
    fn the_machine_is_never_busier_than_all_its_ticks() {
        let (busy, all) = machine().unwrap();
        assert!(busy > 0 && busy <= all);
    }
}
