//! AGT-4: the gateway of each channel, as the configuration names them: email over SMTP
//! (`domain::smtp`), SMS through an HTTP gateway (`domain::sms_gateway`).

use std::sync::Arc;

use super::notifier::{Channel, Notifier};
use super::{sms_gateway::SmsGateway, smtp::SmtpNotifier};
use crate::config::Config;

/// The gateway of each channel; a channel without one only records its messages.
#[derive(Clone, Default)]
pub struct Gateways {
    pub email: Option<Arc<dyn Notifier>>,
    pub sms: Option<Arc<dyn Notifier>>,
}

impl Gateways {
    /// The gateways the configuration names.
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let email = match &config.smtp_host {
            Some(host) => Some(Arc::new(SmtpNotifier::new(host, config)?) as Arc<dyn Notifier>),
            None => None,
        };
        let sms = match &config.sms_gateway_url {
            Some(url) => Some(Arc::new(SmsGateway::new(
                url.clone(),
                config.sms_gateway_token.clone(),
            )?) as Arc<dyn Notifier>),
            None => None,
        };
        Ok(Gateways { email, sms })
    }

    pub fn for_channel(&self, channel: Channel) -> Option<&Arc<dyn Notifier>> {
        match channel {
            Channel::Email => self.email.as_ref(),
            Channel::Sms => self.sms.as_ref(),
        }
    }

    /// Whether any channel has a gateway, i.e. there is anything to deliver.
    pub fn any(&self) -> bool {
        self.email.is_some() || self.sms.is_some()
    }

    /// The channels whose messages are only recorded.
    pub fn recording_only(&self) -> Vec<Channel> {
        [Channel::Sms, Channel::Email]
            .into_iter()
            .filter(|&channel| self.for_channel(channel).is_none())
            .collect()
    }
}
