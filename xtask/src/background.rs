//! The app's and the server's compilation, started while the tools install. On two cores each
//! fills the other's single-threaded stretches (a crate's last compile, LTO, linking), which
//! makes a first `cargo xtask serve` minutes shorter. Its output goes to a log file, so that the
//! tools' progress stays readable.

use std::fs::File;
use std::path::PathBuf;
use std::thread::JoinHandle;

use crate::{command, root, run, step, Result, WASM};

pub struct BackgroundBuild {
    build: JoinHandle<Result>,
    log: PathBuf,
}

impl BackgroundBuild {
    /// Compiles what `build_app` (the same cargo command as Trunk's) and
    /// `server::build_optimised` then find up to date.
    pub fn start() -> Result<BackgroundBuild> {
        let log = root().join("target/background-build.log");
        std::fs::create_dir_all(root().join("target")).map_err(|e| format!("target/: {e}"))?;
        let output = File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        step(&format!(
            "Compiling the app and the server in the background meanwhile (log: {})",
            log.display()
        ));
        let build = std::thread::spawn(move || {
            let cargo = |args: &[&str]| -> Result {
                let out = output.try_clone().map_err(|e| e.to_string())?;
                let err = output.try_clone().map_err(|e| e.to_string())?;
                run(command("cargo").args(args).stdout(out).stderr(err))
            };
            cargo(&["build", "--release", "--target", WASM, "--bin", "pc-app"])?;
            cargo(&["build", "--profile", "server", "--package", "pc-server"])
        });
        Ok(BackgroundBuild { build, log })
    }

    pub fn wait(self) -> Result {
        self.build
            .join()
            .map_err(|_| "the background build panicked".to_owned())?
            .map_err(|e| format!("{e} (see {})", self.log.display()))
    }
}
