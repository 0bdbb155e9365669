//! Sans-I/O SIP registration for the agent's browser softphone: REGISTER over WebSocket
//! (RFC 3261 §10, RFC 7118) with digest authentication, against Kamailio.
//!
//! The crate does no I/O and reads no clock or entropy of its own: the app hands it received
//! WebSocket frames, the current time and a [`Random`] source, and sends the text it returns.
//! That keeps it identical on wasm32 and native, and lets every exchange be tested without a
//! browser or a registrar.

pub mod digest;
mod message;
mod registration;
mod timing;

pub use message::{parse_response, ParseError, Response};
pub use registration::{Account, Credentials, Event, Failure, Random, Registration, Transport};
pub use timing::{reconnect_delay_ms, refresh_delay_ms};
