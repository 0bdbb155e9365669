//! AGT-4: how verification codes reach the agent. A code's message goes into the outbox in the
//! same transaction as the code (`storage::verification`); the delivery worker
//! (`domain::delivery`) hands it to the gateway of its channel: email over SMTP
//! (`domain::smtp`), SMS through an HTTP gateway (`domain::sms_gateway`), as the configuration
//! names them (`domain::gateways`). A channel without a
//! gateway, as in the demo, only records its messages in the outbox and the server log.

use std::time::Duration;

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

    pub fn from_code(code: &str) -> Option<Self> {
        [Channel::Sms, Channel::Email]
            .into_iter()
            .find(|channel| channel.code() == code)
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

/// How long one attempt may take; shorter than the delivery lease, so that an attempt ends
/// before another worker may claim the message.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// A gateway that sends a message on its way.
#[async_trait]
pub trait Notifier: Send + Sync {
    /// `id` names the outbox row: the same on every attempt, so that a gateway (or the mail
    /// client) can tell a resend of a message it already has.
    async fn send(&self, id: i64, message: &Message) -> anyhow::Result<()>;
}
