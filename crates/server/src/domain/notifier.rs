//! AGT-4: how verification codes reach the agent. One interface for SMS and email; the built-in
//! notifier (`storage::outbox`) records each message in an outbox table and the server log, and
//! a deployment can put a real SMS or email gateway here.

use async_trait::async_trait;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }
}

/// One message to one agent.
#[derive(Clone, Debug)]
pub struct Message {
    pub agent_id: i64,
    pub channel: Channel,
    /// The mobile number (SMS) or email address.
    pub destination: String,
    pub body: String,
}

#[async_trait]
pub trait Notifier: Send + Sync {
    async fn send(&self, message: &Message, now: i64) -> anyhow::Result<()>;
}
