//! OPS-7: a split build links the wasm with its relocations (`--emit-relocs`), which
//! `wasm-split-cli` needs to cut it into chunks (`xtask/src/split.rs`).
fn main() {
    let split = std::env::var_os("CARGO_FEATURE_SPLIT").is_some();
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32");
    if split && wasm {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
