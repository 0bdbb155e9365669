//! SPEC §8: leaving a tab or the page with unsaved changes asks first.

use leptos::prelude::*;

/// Whether the open tab holds changes that are not saved; provided by the signed-in shell. The
/// tab says where that comes from (a signal derived from its form), so nothing has to copy the
/// form's state into it.
#[derive(Clone, Copy)]
pub struct UnsavedChanges {
    /// The watched signal, with the number of the watch that set it.
    source: RwSignal<Option<(u64, Signal<bool>)>>,
    watches: StoredValue<u64>,
    /// How the watched changes are kept over a reload, if they can be.
    keeper: StoredValue<Option<(u64, Callback<()>)>, LocalStorage>,
}

impl Default for UnsavedChanges {
    fn default() -> Self {
        UnsavedChanges {
            source: RwSignal::new(None),
            watches: StoredValue::new(0),
            keeper: StoredValue::new_local(None),
        }
    }
}

impl UnsavedChanges {
    /// The calling component's changes are unsaved while `dirty` is true, until it is gone. A
    /// component that replaces it (e.g. after a reload) may start watching before it is gone.
    pub fn watch(&self, dirty: Signal<bool>) {
        let number = self.watches.get_value() + 1;
        self.watches.set_value(number);
        self.source.set(Some((number, dirty)));
        let source = self.source;
        on_cleanup(move || {
            let ours = source
                .try_get_untracked()
                .flatten()
                .is_some_and(|(watching, _)| watching == number);
            if ours {
                source.set(None);
            }
        });
    }

    /// The watching component's changes are kept by `keep` when the app reloads itself
    /// (OPS-7), to be restored when it is back.
    pub fn keep_over_reload(&self, keep: Callback<()>) {
        let number = self.watches.get_value();
        self.keeper.set_value(Some((number, keep)));
    }

    /// Reloads the page, first keeping the unsaved changes if their component can. Changes
    /// that cannot be kept still ask before they are lost (SPEC §8).
    pub fn reload_keeping_drafts(&self) {
        self.keep_for_reload();
        let _ = window().location().reload();
    }

    /// Keeps the unsaved changes if the component watching them said how, and then no longer
    /// counts them as unsaved.
    fn keep_for_reload(&self) {
        let keeper = self.keeper.get_value().filter(|(number, _)| {
            self.source
                .get_untracked()
                .is_some_and(|(watching, _)| watching == *number)
        });
        if let (true, Some((_, keep))) = (untrack(|| self.is_dirty()), keeper) {
            keep.run(());
            self.discard();
        }
    }

    /// Stops watching: what is unsaved is being discarded on purpose.
    pub fn discard(&self) {
        self.source.set(None);
    }

    /// Whether anything is unsaved (tracked).
    pub fn is_dirty(&self) -> bool {
        self.source
            .with(|source| source.as_ref().is_some_and(|(_, dirty)| dirty.get()))
    }

    /// Whether leaving may go ahead: nothing is unsaved, or the agent confirms `question`.
    pub fn confirm_leave(&self, question: &str) -> bool {
        !untrack(|| self.is_dirty()) || window().confirm_with_message(question).unwrap_or(false)
    }
}

pub fn use_unsaved_changes() -> UnsavedChanges {
    expect_context()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_watched_form_is_unsaved_while_it_says_so_and_until_it_is_gone() {
        let unsaved = UnsavedChanges::default();
        let dirty = RwSignal::new(false);
        let owner = Owner::new();
        owner.with(|| unsaved.watch(dirty.into()));
        assert!(!unsaved.is_dirty());
        dirty.set(true);
        assert!(unsaved.is_dirty());
        owner.cleanup();
        assert!(!unsaved.is_dirty());
    }

    #[test]
    fn before_a_reload_unsaved_changes_are_kept_by_their_own_form_only() {
        let unsaved = UnsavedChanges::default();
        let kept = StoredValue::new(0);
        let keep = Callback::new(move |()| kept.update_value(|n| *n += 1));
        let dirty = RwSignal::new(false);
        let owner = Owner::new();
        owner.with(|| {
            unsaved.watch(dirty.into());
            unsaved.keep_over_reload(keep);
        });
        // Nothing unsaved: nothing to keep.
        unsaved.keep_for_reload();
        assert_eq!(kept.get_value(), 0);
        dirty.set(true);
        unsaved.keep_for_reload();
        assert_eq!(kept.get_value(), 1);
        assert!(!unsaved.is_dirty(), "kept, so leaving need not ask");

        // A form that said nothing of keeping replaces it: its changes are not kept by the
        // first form's keeper, so the reload asks.
        let other = Owner::new();
        other.with(|| unsaved.watch(Signal::derive(|| true)));
        unsaved.keep_for_reload();
        assert_eq!(kept.get_value(), 1);
        assert!(unsaved.is_dirty());
    }

    #[test]
    fn the_old_form_going_away_does_not_end_the_watch_of_its_replacement() {
        let unsaved = UnsavedChanges::default();
        let (old, new) = (Owner::new(), Owner::new());
        old.with(|| unsaved.watch(Signal::derive(|| true)));
        new.with(|| unsaved.watch(Signal::derive(|| true)));
        old.cleanup();
        assert!(unsaved.is_dirty());
        unsaved.discard();
        assert!(!unsaved.is_dirty());
    }
}
