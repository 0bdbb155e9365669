//! Who is signed in, as the app knows it, and why the sign-in page is shown.

use leptos::prelude::*;
use pc_model::SessionInfo;

/// Why the agent is asked to sign in (again).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInNotice {
    SessionExpired,
    SignedOut,
}

/// The signed-in agent's session, shared through the context. Methods hold the transitions so
/// that every part of the app changes the session the same way.
#[derive(Clone, Copy)]
pub struct Auth {
    session: RwSignal<Option<SessionInfo>>,
    notice: RwSignal<Option<SignInNotice>>,
}

impl Default for Auth {
    fn default() -> Self {
        Auth {
            session: RwSignal::new(None),
            notice: RwSignal::new(None),
        }
    }
}

impl Auth {
    pub fn session(&self) -> Option<SessionInfo> {
        self.session.get()
    }

    pub fn session_untracked(&self) -> Option<SessionInfo> {
        self.session.get_untracked()
    }

    pub fn notice(&self) -> Option<SignInNotice> {
        self.notice.get()
    }

    pub fn notice_untracked(&self) -> Option<SignInNotice> {
        self.notice.get_untracked()
    }

    pub fn signed_in(&self, session: SessionInfo) {
        self.notice.set(None);
        self.session.set(Some(session));
    }

    /// The server no longer knows the session. Only a session this page held can expire;
    /// a page opened without one simply asks to sign in.
    pub fn expired(&self) {
        if self.session.get_untracked().is_some() {
            self.notice.set(Some(SignInNotice::SessionExpired));
        }
        self.session.set(None);
    }

    pub fn signed_out(&self) {
        self.notice.set(Some(SignInNotice::SignedOut));
        self.session.set(None);
    }
}

pub fn use_auth() -> Auth {
    expect_context()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> SessionInfo {
        SessionInfo {
            business_account: "alice.wang".into(),
            csrf_token: "token".into(),
            expires_at: 0,
            bearer_token: None,
            sign_in_method: pc_model::SignInMethod::Password,
        }
    }

    #[test]
    fn a_held_session_that_the_server_forgot_has_expired() {
        let auth = Auth::default();
        auth.signed_in(session());
        auth.expired();
        assert_eq!(auth.session_untracked(), None);
        assert_eq!(
            auth.notice.get_untracked(),
            Some(SignInNotice::SessionExpired)
        );
    }

    #[test]
    fn without_a_session_nothing_expires() {
        let auth = Auth::default();
        auth.expired();
        assert_eq!(auth.notice.get_untracked(), None);
    }

    #[test]
    fn signing_in_clears_the_notice() {
        let auth = Auth::default();
        auth.signed_in(session());
        auth.signed_out();
        assert_eq!(auth.notice.get_untracked(), Some(SignInNotice::SignedOut));
        auth.signed_in(session());
        assert_eq!(auth.notice.get_untracked(), None);
        assert!(auth.session_untracked().is_some());
    }
}
