//! AGT-5: the registrar that knows whether an agent's softphone number is registered and can
//! sign it out. The built-in one keeps the state in the server's database
//! (`storage::registrations`); a real SIP registrar can take its place behind this interface.

use async_trait::async_trait;
use pc_model::RegistrationStatus;

#[async_trait]
pub trait Registrar: Send + Sync {
    /// Whether the agent's softphone number is registered, and since when.
    async fn status(&self, agent_id: i64) -> anyhow::Result<RegistrationStatus>;

    /// Signs the softphone number out; the status afterwards. Unregistering a number that is
    /// not registered changes nothing.
    async fn unregister(&self, agent_id: i64, now: i64) -> anyhow::Result<RegistrationStatus>;
}
