//! Rules of the server that are not about HTTP or SQL.

pub mod activity;
pub mod business_cards;
pub mod clock;
pub mod delivery;
pub mod gateways;
pub mod metrics;
pub mod notifier;
pub mod oidc;
pub mod parameters;
pub mod password;
pub mod provisioning;
pub mod registrar;
pub mod session;
pub mod sms_gateway;
pub mod smtp;
pub mod softphone;
pub mod tenant_file;
pub mod throttle;
pub mod verification;
