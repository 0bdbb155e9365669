//! One module per tab of the Personal Center.

pub mod agent_info;
pub mod agent_parameters;
pub mod personalized_settings;
