//! The app split into chunks loaded when needed (issue 25, OPS-7), as cargo-leptos does it
//! (`src/compile/front.rs`): the raw wasm, linked with `--emit-relocs` (`build.rs`), is cut by
//! `wasm-split-cli` into the main module, one chunk per split point (`src/chunks.rs`), the
//! chunks they share and the `__wasm_split.js` loader; wasm-bindgen then binds the main module
//! and wasm-opt shrinks every module. Trunk's `post_build` hook (`Trunk.toml`) runs this on the
//! staging folder, so `cargo xtask` and a plain `trunk build` or `trunk serve` give the same
//! split app. Every file gets Trunk's content hash in its name, and the page the integrity of
//! what it loads.

use std::path::{Path, PathBuf};

use crate::minify::{asset_file, integrity_of, with_integrity};
use crate::{command, root, run, Result, WASM};

/// The loader `wasm-split-cli` writes beside the modules, and the main JS imports.
const LOADER: &str = "__wasm_split";

/// Splits the app Trunk has just built into its staging folder (`TRUNK_STAGING_DIR`).
pub fn staged() -> Result {
    let stage = PathBuf::from(variable("TRUNK_STAGING_DIR")?);
    let release = variable("TRUNK_PROFILE")? == "release";
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root().join("target"));
    let raw = target
        .join(WASM)
        .join(if release { "release" } else { "debug" })
        .join("pc-app.wasm");
    let glue = file_name(&asset_file(&stage, "pc-app-", ".js")?);
    // `pc-app-<hash>`: Trunk's hash of the unsplit build names every file of the split one.
    let base = glue.trim_end_matches(".js").to_owned();
    let hash = base.trim_start_matches("pc-app-").to_owned();

    let work = target.join("split");
    let _ = std::fs::remove_dir_all(&work);
    let (modules, bound) = (work.join("modules"), work.join("bound"));
    run(command("wasm-split-cli")
        .args(["--target", "web", "--out-name", &base])
        .arg(&raw)
        .arg(&modules))?;
    run(command("wasm-bindgen")
        .args(["--target", "web", "--keep-lld-exports", "--no-demangle"])
        .args(["--no-typescript", "--out-name", &base, "--out-dir"])
        .arg(&bound)
        .arg(modules.join(format!("{base}.wasm"))))?;
    let main_wasm = format!("{base}_bg.wasm");
    optimised(&bound.join(&main_wasm), &stage.join(&main_wasm), release)?;

    let loader = format!("{LOADER}-{hash}.js");
    let mut loader_js = read(&modules.join(format!("{LOADER}.js")))?;
    for chunk in std::fs::read_dir(&modules).map_err(|e| e.to_string())? {
        let chunk = chunk.map_err(|e| e.to_string())?.path();
        let name = file_name(&chunk);
        let Some(stem) = name.strip_suffix(".wasm") else {
            continue;
        };
        if stem == base {
            continue;
        }
        let hashed = format!("{stem}-{hash}.wasm");
        optimised(&chunk, &stage.join(&hashed), release)?;
        loader_js = loader_js.replace(&format!("\"./{name}\""), &format!("\"./{hashed}\""));
    }
    write(&stage.join(&loader), &loader_js)?;
    // Only the ES imports get the hashed name: the wasm imports its functions under the module
    // name "./__wasm_split.js", the key of the import object.
    let glue_js = read(&bound.join(&glue))?.replace(
        &format!("from \"./{LOADER}.js\""),
        &format!("from \"./{loader}\""),
    );
    write(&stage.join(&glue), &glue_js)?;

    let index = stage.join("index.html");
    let mut html = read(&index)?;
    for name in [&glue, &main_wasm] {
        html = with_integrity(&html, name, &integrity_of(&stage.join(name))?)
            .ok_or_else(|| format!("{} has no integrity for {name}", index.display()))?;
    }
    // Fetched with the main JS rather than after it: the JS imports it before it starts.
    let preload = format!(
        "<link rel=\"modulepreload\" href=\"/{loader}\" crossorigin=\"anonymous\" integrity=\"{}\">",
        integrity_of(&stage.join(&loader))?
    );
    write(
        &index,
        &html.replacen("</head>", &format!("{preload}</head>"), 1),
    )
}

/// wasm-opt -Oz on a release module; a dev build keeps its modules as they are, for speed.
fn optimised(from: &Path, to: &Path, release: bool) -> Result {
    if release {
        run(command("wasm-opt")
            .args(["-Oz", "--converge"])
            .arg(from)
            .arg("-o")
            .arg(to))
    } else {
        std::fs::copy(from, to)
            .map(drop)
            .map_err(|e| format!("{}: {e}", from.display()))
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned()
}

fn variable(name: &str) -> Result<String> {
    std::env::var(name)
        .map_err(|_| format!("{name} is not set: `cargo xtask split` is Trunk's post_build hook"))
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}
