//! Rules of the server that are not about HTTP or SQL.

pub mod parameters;
pub mod password;
pub mod session;
