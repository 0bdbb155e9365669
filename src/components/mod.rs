//! Reusable pieces of the interface.

pub mod employee_panel;
pub mod error_summary;
pub mod language_switch;
pub mod load_error;
pub mod remote;
pub mod tab_list;
pub mod text_field;
