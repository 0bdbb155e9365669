//! Whole pages: signing in, the signed-in shell around the tabs, and the unknown page.

pub mod not_found;
pub mod shell;
pub mod sign_in;
