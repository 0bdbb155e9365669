//! The app's JavaScript glue and stylesheet, minified after Trunk: Trunk 0.21's own minifier
//! fails on wasm-bindgen's glue ("Failed to minify JS") and leaves it whole, so Trunk minifies
//! nothing (`Trunk.toml`) and esbuild, prebuilt from the npm registry like wasm-opt, minifies
//! both in place (issue 16: −2.1 KB brotli for the glue). The page's integrity hash for each
//! file is then written again so that the browser still accepts it.

use std::path::{Path, PathBuf};

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::{command, run, setup, Result};

/// Minifies the JS glue, the split app's chunk loader (`split.rs`) and the stylesheet in `dist`.
pub fn assets(dist: &Path) -> Result {
    // The split app's glue names the chunk loader once per split point, under the same key of
    // one import object (wasm-bindgen's output): the same module each time, so nothing is lost.
    minified(
        dist,
        "pc-app-",
        ".js",
        &["--format=esm", "--log-override:duplicate-object-key=silent"],
    )?;
    minified(dist, "__wasm_split-", ".js", &["--format=esm"])?;
    minified(dist, "main-", ".css", &[])
}

fn minified(dist: &Path, prefix: &str, extension: &str, options: &[&str]) -> Result {
    let asset = asset_file(dist, prefix, extension)?;
    run(command(&setup::esbuild().to_string_lossy())
        .arg(&asset)
        .args(["--minify", "--allow-overwrite", "--log-level=warning"])
        .args(options)
        .arg(format!("--outfile={}", asset.display())))?;
    let integrity = integrity_of(&asset)?;
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let name = asset
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let html = with_integrity(&html, name, &integrity)
        .ok_or_else(|| format!("{} has no integrity for {name}", index.display()))?;
    std::fs::write(&index, html).map_err(|e| format!("{}: {e}", index.display()))
}

/// The `integrity` value of a file, as Trunk writes it.
pub fn integrity_of(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&bytes))
    ))
}

/// Trunk's `<prefix><hash><extension>` in `dist`.
pub fn asset_file(dist: &Path, prefix: &str, extension: &str) -> Result<PathBuf> {
    std::fs::read_dir(dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .find(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            name.starts_with(prefix) && name.ends_with(extension)
        })
        .ok_or_else(|| format!("no {prefix}*{extension} in {}", dist.display()))
}

/// `html` with the `integrity` of the `<link>` to `/name` replaced by `integrity`.
pub fn with_integrity(html: &str, name: &str, integrity: &str) -> Option<String> {
    let href = format!("/{name}");
    let mut from = 0;
    while let Some(start) = html[from..].find("<link").map(|at| from + at) {
        let end = start + html[start..].find('>')?;
        let tag = &html[start..end];
        if tag.contains(&href) {
            let value_start = start + tag.find("integrity=")? + "integrity=".len();
            let value_end = value_start
                + html[value_start..end]
                    .find(char::is_whitespace)
                    .unwrap_or(end - value_start);
            return Some(format!(
                "{}{integrity}{}",
                &html[..value_start],
                &html[value_end..]
            ));
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_named_link_gets_the_new_integrity() {
        // As Trunk writes the page when it minifies nothing: attributes quoted.
        let html = "<link rel=\"stylesheet\" href=\"/main-2.css\" integrity=\"sha384-css\">\
            <link rel=\"modulepreload\" href=\"/pc-app-1.js\" crossorigin=\"anonymous\" \
            integrity=\"sha384-old\"><link rel=\"preload\" href=\"/pc-app-1_bg.wasm\" \
            crossorigin=\"anonymous\" integrity=\"sha384-wasm\" as=\"fetch\">";
        assert_eq!(
            with_integrity(html, "pc-app-1.js", "sha384-new").as_deref(),
            Some(
                "<link rel=\"stylesheet\" href=\"/main-2.css\" integrity=\"sha384-css\">\
                <link rel=\"modulepreload\" href=\"/pc-app-1.js\" crossorigin=\"anonymous\" \
                integrity=sha384-new><link rel=\"preload\" href=\"/pc-app-1_bg.wasm\" \
                crossorigin=\"anonymous\" integrity=\"sha384-wasm\" as=\"fetch\">"
            )
        );
        assert_eq!(
            with_integrity(html, "main-2.css", "sha384-new").as_deref(),
            Some(
                "<link rel=\"stylesheet\" href=\"/main-2.css\" integrity=sha384-new>\
                <link rel=\"modulepreload\" href=\"/pc-app-1.js\" crossorigin=\"anonymous\" \
                integrity=\"sha384-old\"><link rel=\"preload\" href=\"/pc-app-1_bg.wasm\" \
                crossorigin=\"anonymous\" integrity=\"sha384-wasm\" as=\"fetch\">"
            )
        );
    }
}
