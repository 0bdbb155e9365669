//! `cargo xtask bench`: the size of what a browser downloads, against the budget.

use crate::compress::{brotli, gzip};
use crate::{build_app, root, setup, step, Result};

/// Budget for the finished app: wasm + JS + CSS together, brotli-compressed.
const BUDGET_BROTLI_BYTES: usize = 200 * 1000;

pub fn report() -> Result {
    setup::build_tools()?;
    build_app()?;
    step("App size (release build in dist/)");
    let mut rows = Vec::new();
    for entry in std::fs::read_dir(root().join("dist")).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let kind = match path.extension().and_then(|e| e.to_str()) {
            Some("wasm") => "wasm",
            Some("js") => "js",
            Some("css") => "css",
            _ => continue,
        };
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        rows.push((kind, bytes.len(), gzip(&bytes).len(), brotli(&bytes).len()));
    }
    rows.sort_by_key(|row| row.0);
    println!(
        "{:<6} {:>10} {:>10} {:>10}",
        "asset", "raw", "gzip -9", "brotli 11"
    );
    for (kind, raw, gz, br) in &rows {
        println!("{kind:<6} {:>10} {:>10} {:>10}", kb(*raw), kb(*gz), kb(*br));
    }
    let total = |f: fn(&(&str, usize, usize, usize)) -> usize| rows.iter().map(f).sum::<usize>();
    let total_br = total(|r| r.3);
    println!(
        "{:<6} {:>10} {:>10} {:>10}",
        "total",
        kb(total(|r| r.1)),
        kb(total(|r| r.2)),
        kb(total_br)
    );
    println!(
        "budget: {} brotli for wasm + JS + CSS; used {:.0}%",
        kb(BUDGET_BROTLI_BYTES),
        total_br as f64 * 100.0 / BUDGET_BROTLI_BYTES as f64
    );
    Ok(())
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}
