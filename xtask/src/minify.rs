//! The app's JavaScript glue, minified after Trunk: Trunk 0.21's own minifier fails on
//! wasm-bindgen's glue ("Failed to minify JS") and leaves it whole. esbuild, prebuilt from the
//! npm registry like wasm-opt, minifies it in place (issue 16: −2.1 KB brotli); the page's
//! integrity hash for the file is then written again so that the browser still accepts it.

use std::path::{Path, PathBuf};

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::{command, run, setup, Result};

pub fn glue(dist: &Path) -> Result {
    let glue = glue_file(dist)?;
    run(command(&setup::esbuild().to_string_lossy())
        .arg(&glue)
        .args([
            "--minify",
            "--format=esm",
            "--allow-overwrite",
            "--log-level=warning",
        ])
        .arg(format!("--outfile={}", glue.display())))?;
    let minified = std::fs::read(&glue).map_err(|e| format!("{}: {e}", glue.display()))?;
    let integrity = format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&minified))
    );
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let name = glue
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let html = with_integrity(&html, name, &integrity)
        .ok_or_else(|| format!("{} has no integrity for {name}", index.display()))?;
    std::fs::write(&index, html).map_err(|e| format!("{}: {e}", index.display()))
}

/// Trunk's `pc-app-<hash>.js` in `dist`.
fn glue_file(dist: &Path) -> Result<PathBuf> {
    std::fs::read_dir(dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .find(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            name.starts_with("pc-app-") && name.ends_with(".js")
        })
        .ok_or_else(|| format!("no pc-app-*.js in {}", dist.display()))
}

/// `html` with the `integrity` of the `<link>` to `/name` replaced by `integrity`.
fn with_integrity(html: &str, name: &str, integrity: &str) -> Option<String> {
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
    fn only_the_glue_link_gets_the_new_integrity() {
        let html = "<script type=module>import init from '/pc-app-1.js';</script>\
            <link href=/main-2.css integrity=sha384-css rel=stylesheet>\
            <link crossorigin href=/pc-app-1.js integrity=sha384-old rel=modulepreload>\
            <link as=fetch href=/pc-app-1_bg.wasm integrity=sha384-wasm rel=preload>";
        assert_eq!(
            with_integrity(html, "pc-app-1.js", "sha384-new").as_deref(),
            Some(
                "<script type=module>import init from '/pc-app-1.js';</script>\
                <link href=/main-2.css integrity=sha384-css rel=stylesheet>\
                <link crossorigin href=/pc-app-1.js integrity=sha384-new rel=modulepreload>\
                <link as=fetch href=/pc-app-1_bg.wasm integrity=sha384-wasm rel=preload>"
            )
        );
    }
}
