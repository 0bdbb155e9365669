//! Reusable pieces of the interface.

pub mod avatar_chooser;
pub mod change_notice;
pub mod chunk_unavailable;
pub mod confirm_dialog;
pub mod employee_panel;
pub mod error_summary;
pub mod field_change;
pub mod field_error;
pub mod form_dialog;
pub mod language_switch;
pub mod load_error;
pub mod remote;
pub mod scroll_region;
pub mod sso_sign_in;
pub mod tab_list;
pub mod text_field;
pub mod version_history;
pub mod video_preview;
