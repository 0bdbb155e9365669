//! A real OpenID Provider for the single sign-on tests (SSO-1): panva's oidc-provider run by the
//! machine's Node.js with the project's script (`oidc-provider/provider.mjs`), on a free port of
//! 127.0.0.2 — another site than the app on 127.0.0.1, as a contact center's provider is — with
//! one client (the server under test) and the given people as its users. Its own login and
//! consent pages are the ones the browser goes through.

use std::process::{Child, Command, Stdio};

use pc_server::domain::tenant_file::{self, SsoDeclaration, SsoMatch};

use crate::{free_port, required_env, wait_until_listening, Harness};

pub const CLIENT_ID: &str = "personal-center";
pub const CLIENT_SECRET: &str = "the-e2e-client-secret";
/// The people the provider knows: the demo's agents, and one who is no agent here.
pub const USERS: [&str; 3] = ["alice.wang", "bob.li", "mallory"];
/// What the sign-in page calls it.
pub const DISPLAY_NAME: &str = "Northwind ID";

pub struct IdentityProvider {
    child: Child,
    pub issuer: String,
}

impl IdentityProvider {
    /// The provider for the server at `app_origin` (`http://127.0.0.1:P`).
    pub fn start(app_origin: &str) -> IdentityProvider {
        use std::os::unix::process::CommandExt;
        let port = free_port();
        let issuer = format!("http://127.0.0.2:{port}");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/oidc-provider/provider.mjs");
        let mut child = Command::new(required_env("NODE"))
            .arg(script)
            .env("OIDC_PROVIDER_MODULE", required_env("OIDC_PROVIDER_MODULE"))
            .env("OIDC_ISSUER", &issuer)
            .env("OIDC_CLIENT_ID", CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env("OIDC_APP_ORIGIN", app_origin)
            .env("OIDC_USERS", USERS.join(" "))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("start the OpenID Provider (node)");
        wait_until_listening(([127, 0, 0, 2], port).into(), &mut child, "oidc-provider");
        IdentityProvider { child, issuer }
    }

    /// Declares the provider for the northwind tenant in its tenant file, as an operator does
    /// beside the running server: export, add `[tenants.sso]`, apply.
    pub fn declare_for_northwind(&self, h: &Harness) {
        let mut file = tenant_file::parse(&h.operator(&["tenant", "export"], &[]))
            .expect("the exported tenant file reads back");
        let northwind = file
            .tenants
            .iter_mut()
            .find(|tenant| tenant.code == "northwind")
            .expect("the demo's northwind tenant");
        northwind.sso = Some(SsoDeclaration {
            issuer: self.issuer.clone(),
            display_name: DISPLAY_NAME.into(),
            client_id: CLIENT_ID.into(),
            client_secret_env: Some("NORTHWIND_OIDC_SECRET".into()),
            client_secret_file: None,
            scopes: vec!["profile".into(), "email".into()],
            agent_claim: "preferred_username".into(),
            matched_to: SsoMatch::UserName,
            password_sign_in: true,
        });
        let path = h.dir().join("tenants-with-sso.toml");
        std::fs::write(&path, tenant_file::write(&file)).expect("write the tenant file");
        h.operator(
            &["tenant", "apply", path.to_str().unwrap()],
            &[("NORTHWIND_OIDC_SECRET", CLIENT_SECRET)],
        );
    }
}

impl Drop for IdentityProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
