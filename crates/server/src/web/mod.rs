//! Serving the built app, and the HTTP headers that protect both the app and the API.

pub mod assets;
pub mod security;
