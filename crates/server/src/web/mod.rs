//! Serving the built app, and the HTTP headers that protect both the app and the API; the demo
//! workbench page; the operators' metrics.

pub mod assets;
pub mod first_screen;
pub mod metrics;
pub mod security;
pub mod workbench_demo;
