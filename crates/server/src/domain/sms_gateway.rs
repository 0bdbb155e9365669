//! AGT-4: verification codes by SMS, through the operator's HTTP gateway
//! (`--sms-gateway-url`, `--sms-gateway-token`). Each message is one `POST` of
//! `{"id": "outbox-42", "to": "+8613800138011", "text": "Your … code is 123456. …"}` with
//! `Authorization: Bearer <token>`; any 2xx answer means the gateway took it. `id` is the same
//! on every attempt: a gateway that keeps it can drop a resend it already has.

use async_trait::async_trait;
use serde::Serialize;

use super::notifier::{Message, Notifier, SEND_TIMEOUT};

pub struct SmsGateway {
    client: reqwest::Client,
    url: String,
    token: Option<String>,
}

/// The JSON body the gateway receives.
#[derive(Serialize)]
struct SmsRequest<'a> {
    id: String,
    to: &'a str,
    text: &'a str,
}

impl SmsGateway {
    pub fn new(url: String, token: Option<String>) -> anyhow::Result<Self> {
        Ok(SmsGateway {
            client: reqwest::Client::builder().timeout(SEND_TIMEOUT).build()?,
            url,
            token,
        })
    }
}

#[async_trait]
impl Notifier for SmsGateway {
    async fn send(&self, id: i64, message: &Message) -> anyhow::Result<()> {
        let mut request = self.client.post(&self.url).json(&SmsRequest {
            id: format!("outbox-{id}"),
            to: &message.destination,
            text: &message.body,
        });
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        request.send().await?.error_for_status()?;
        Ok(())
    }
}
