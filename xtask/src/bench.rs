//! `cargo xtask bench`: the size of what a browser downloads, against the budget, then the
//! server under load (`load`), its memory (`memory`) and the first screen in Chromium; and the
//! size gate of `cargo xtask test`, so that the app never grows past the budget unnoticed.

use std::path::Path;

use crate::compress::{brotli, gzip};
use crate::{build_app, command, root, run, setup, step, Result};

/// The budget for the finished app: wasm + JS + CSS together, brotli-compressed. It is the size
/// reached plus a small margin, so that growth is a visible, reviewed change of this number.
/// (The product's target is 250 KB, issue "Lighter and faster"; this is where it stands.)
const BUDGET_BROTLI_BYTES: usize = 434 * 1000;

/// One built asset: its kind and its size raw, gzip -9 and brotli 11.
struct Asset {
    kind: &'static str,
    raw: usize,
    gzip: usize,
    brotli: usize,
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
            kind,
            raw: bytes.len(),
            gzip: gzip(&bytes).len(),
            brotli: brotli(&bytes).len(),
        });
    }
    assets.sort_by_key(|asset| asset.kind);
    Ok(assets)
}

fn total_brotli(assets: &[Asset]) -> usize {
    assets.iter().map(|asset| asset.brotli).sum()
}

pub fn report() -> Result {
    setup::build_tools()?;
    build_app()?;
    step("App size (release build in dist/)");
    let assets = measure()?;
    println!(
        "{:<6} {:>10} {:>10} {:>10}",
        "asset", "raw", "gzip -9", "brotli 11"
    );
    for asset in &assets {
        println!(
            "{:<6} {:>10} {:>10} {:>10}",
            asset.kind,
            kb(asset.raw),
            kb(asset.gzip),
            kb(asset.brotli)
        );
    }
    let total = |size: fn(&Asset) -> usize| assets.iter().map(size).sum::<usize>();
    println!(
        "{:<6} {:>10} {:>10} {:>10}",
        "total",
        kb(total(|a| a.raw)),
        kb(total(|a| a.gzip)),
        kb(total_brotli(&assets))
    );
    println!(
        "budget: {} brotli for wasm + JS + CSS; used {:.0}%",
        kb(BUDGET_BROTLI_BYTES),
        total_brotli(&assets) as f64 * 100.0 / BUDGET_BROTLI_BYTES as f64
    );
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

/// Fails when the app built in `dist/` is over its budget.
pub fn gate() -> Result {
    let total = total_brotli(&measure()?);
    println!(
        "app: {} brotli (wasm + JS + CSS), budget {}",
        kb(total),
        kb(BUDGET_BROTLI_BYTES)
    );
    if total > BUDGET_BROTLI_BYTES {
        return Err(format!(
            "the app is {} over its budget; make it smaller, or raise BUDGET_BROTLI_BYTES in xtask/src/bench.rs as a reviewed change",
            kb(total - BUDGET_BROTLI_BYTES)
        ));
    }
    Ok(())
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}
