//! SPEC §8: leaving a tab or the page with unsaved changes asks first.

use leptos::prelude::*;

/// Whether the open tab holds changes that are not saved; provided by the signed-in shell.
#[derive(Clone, Copy)]
pub struct UnsavedChanges(RwSignal<bool>);

impl Default for UnsavedChanges {
    fn default() -> Self {
        UnsavedChanges(RwSignal::new(false))
    }
}

impl UnsavedChanges {
    pub fn set(&self, dirty: bool) {
        if self.0.get_untracked() != dirty {
            self.0.set(dirty);
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.0.get_untracked()
    }

    /// Whether leaving may go ahead: nothing is unsaved, or the agent confirms `question`.
    pub fn confirm_leave(&self, question: &str) -> bool {
        if !self.is_dirty() {
            return true;
        }
        let leave = window().confirm_with_message(question).unwrap_or(false);
        if leave {
            self.set(false);
        }
        leave
    }
}

pub fn use_unsaved_changes() -> UnsavedChanges {
    expect_context()
}
