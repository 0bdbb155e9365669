//! AGT-4: verification codes by email, over SMTP (`--smtp-*` flags).

use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::notifier::{Message, Notifier, SEND_TIMEOUT};
use crate::config::{Config, SmtpTls};

pub struct SmtpNotifier {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The domain part of the Message-IDs.
    host: String,
}

impl SmtpNotifier {
    pub fn new(host: &str, config: &Config) -> anyhow::Result<Self> {
        let from: Mailbox = config
            .smtp_from
            .as_deref()
            .ok_or_else(|| anyhow::anyhow!("--smtp-from is needed with --smtp-host"))?
            .parse()
            .map_err(|e| anyhow::anyhow!("--smtp-from: {e}"))?;
        let builder = match config.smtp_tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
        };
        let mut builder = builder
            .port(config.smtp_port.unwrap_or(config.smtp_tls.default_port()))
            .timeout(Some(SEND_TIMEOUT));
        if let (Some(username), Some(password)) = (&config.smtp_username, &config.smtp_password) {
            builder = builder.credentials(Credentials::new(username.clone(), password.clone()));
        }
        Ok(SmtpNotifier {
            transport: builder.build(),
            from,
            host: host.to_owned(),
        })
    }
}

#[async_trait]
impl Notifier for SmtpNotifier {
    async fn send(&self, id: i64, message: &Message) -> anyhow::Result<()> {
        let email = lettre::Message::builder()
            .message_id(Some(format!("<outbox-{id}@{}>", self.host)))
            .from(self.from.clone())
            .to(message.destination.parse()?)
            .subject("Your verification code")
            .header(ContentType::TEXT_PLAIN)
            .body(message.body.clone())?;
        self.transport.send(email).await?;
        Ok(())
    }
}
