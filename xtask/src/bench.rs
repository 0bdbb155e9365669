//! `cargo xtask bench`: the size of what a browser downloads, against the budget, then the
//! server under load (`load`), its memory (`memory`) and the first screen in Chromium; and the
//! size gate of `cargo xtask test`, so that the app never grows past the budget unnoticed.

use std::path::Path;

use crate::compress::{brotli, gzip};
use crate::{build_app, command, root, run, setup, step, Result};

/// The budgets, brotli-compressed: what the first screen needs (the main wasm, its JS glue and
/// chunk loader, the CSS; OPS-7) and the whole app with every chunk. Each is the size reached
/// plus a small margin, so that growth is a visible, reviewed change of these numbers. (The
/// product's targets, issue 25: a first load of 200 KB, the whole app no more than 422 KB.)
const FIRST_LOAD_BUDGET_BROTLI_BYTES: usize = 304 * 1000;
const WHOLE_APP_BUDGET_BROTLI_BYTES: usize = 507 * 1000;

/// One built asset: its file, kind and size raw, gzip -9 and brotli 11.
struct Asset {
    name: String,
    kind: &'static str,
    raw: usize,
    gzip: usize,
    brotli: usize,
}

impl Asset {
    /// Whether the first screen needs it: all but the chunks and the single sign-on page's script.
    fn on_first_load(&self) -> bool {
        self.kind == "css"
            || self.name.starts_with("pc-app-")
            || self.name.starts_with("__wasm_split-")
    }
}

fn measure() -> Result<Vec<Asset>> {
    let mut assets = Vec::new();
    for entry in std::fs::read_dir(root().join("dist")).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let kind = match path.extension().and_then(|e| e.to_str()) {
            Some("wasm") => "wasm",
            Some("js") => "js",
            Some("css") => "css",
            _ => continue,
        };
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        assets.push(Asset {
            name: path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned(),
            kind,
            raw: bytes.len(),
            gzip: gzip(&bytes).len(),
            brotli: brotli(&bytes).len(),
        });
    }
    assets.sort_by(|a, b| (!a.on_first_load(), b.brotli).cmp(&(!b.on_first_load(), a.brotli)));
    Ok(assets)
}

/// The brotli bytes of the first load and of the whole app.
fn totals(assets: &[Asset]) -> (usize, usize) {
    let first = assets
        .iter()
        .filter(|a| a.on_first_load())
        .map(|a| a.brotli)
        .sum();
    (first, assets.iter().map(|a| a.brotli).sum())
}

pub fn report() -> Result {
    setup::build_tools()?;
    build_app()?;
    step("App size (release build in dist/)");
    let assets = measure()?;
    println!(
        "{:<52} {:>10} {:>10} {:>10}",
        "file (first load, then the chunks)", "raw", "gzip -9", "brotli 11"
    );
    for asset in &assets {
        println!(
            "{:<52} {:>10} {:>10} {:>10}",
            asset.name,
            kb(asset.raw),
            kb(asset.gzip),
            kb(asset.brotli)
        );
    }
    let total = |size: fn(&Asset) -> usize| assets.iter().map(size).sum::<usize>();
    println!(
        "{:<52} {:>10} {:>10} {:>10}",
        "whole app",
        kb(total(|a| a.raw)),
        kb(total(|a| a.gzip)),
        kb(total(|a| a.brotli))
    );
    print_gate(&assets);
    let server = crate::server::build_optimised()?;
    crate::load::report(&server)?;
    crate::memory::report(&server)?;
    first_screen(&server)
}

/// Agent Info from navigation vs the same page as static HTML (`crates/e2e/src/bin`).
fn first_screen(server: &Path) -> Result {
    setup::browser()?;
    step("First screen: Agent Info with the agent's data vs static HTML, headless Chromium");
    run(command("cargo")
        .args([
            "run",
            "--quiet",
            "--package",
            "pc-e2e",
            "--bin",
            "first_screen",
        ])
        .env("PC_SERVER_BIN", server)
        .env("PC_DIST", root().join("dist"))
        .env("CHROMEDRIVER", setup::CHROMEDRIVER)
        .env("CHROMIUM", setup::CHROMIUM))
}

/// The two figures against their budgets.
fn print_gate(assets: &[Asset]) {
    let (first, whole) = totals(assets);
    println!(
        "first load: {} brotli (main wasm + JS + chunk loader + CSS), budget {}",
        kb(first),
        kb(FIRST_LOAD_BUDGET_BROTLI_BYTES)
    );
    println!(
        "whole app: {} brotli (with every chunk), budget {}",
        kb(whole),
        kb(WHOLE_APP_BUDGET_BROTLI_BYTES)
    );
}

/// Fails when the app built in `dist/` is over either budget.
pub fn gate() -> Result {
    let assets = measure()?;
    print_gate(&assets);
    let (first, whole) = totals(&assets);
    for (what, size, budget, constant) in [
        (
            "first load",
            first,
            FIRST_LOAD_BUDGET_BROTLI_BYTES,
            "FIRST_LOAD_BUDGET_BROTLI_BYTES",
        ),
        (
            "whole app",
            whole,
            WHOLE_APP_BUDGET_BROTLI_BYTES,
            "WHOLE_APP_BUDGET_BROTLI_BYTES",
        ),
    ] {
        if size > budget {
            return Err(format!(
                "the app's {what} is {} over its budget; make it smaller, or raise {constant} in xtask/src/bench.rs as a reviewed change",
                kb(size - budget)
            ));
        }
    }
    Ok(())
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}
