//! Rules of the server that are not about HTTP or SQL.

pub mod business_card;
pub mod parameters;
pub mod password;
pub mod session;
