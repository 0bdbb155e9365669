// SSO-1: a real, certified OpenID Provider for the end-to-end tests and the demo: panva's
// oidc-provider (installed by `cargo xtask setup` into target/tools/oidc-provider), with one
// client, the demo's people as its users and its own login and consent pages. Everything comes
// from the environment; it prints "listening" once it answers.
//
//   OIDC_PROVIDER_MODULE  oidc-provider's lib/index.js
//   OIDC_ISSUER           e.g. http://127.0.0.2:4011 (it listens on that host and port)
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET
//   OIDC_APP_ORIGIN       the Personal Center's origin, e.g. http://127.0.0.1:8080: its
//                         callback, post-logout pages and back-channel logout endpoint are
//                         the client's (README, Bring your contact center, step 6)
//   OIDC_USERS            space-separated login names it knows
import { pathToFileURL } from "node:url";

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
};
const list = (value) => value.split(" ").filter(Boolean);

const { default: Provider } = await import(pathToFileURL(env("OIDC_PROVIDER_MODULE")).href);
const issuer = new URL(env("OIDC_ISSUER"));
const users = new Set(list(env("OIDC_USERS")));
const app = env("OIDC_APP_ORIGIN");

const client = {
  client_id: env("OIDC_CLIENT_ID"),
  client_secret: env("OIDC_CLIENT_SECRET"),
  redirect_uris: [`${app}/api/sso/callback`],
  post_logout_redirect_uris: [`${app}/sign-in`, `${app}/sso-complete.html`],
  backchannel_logout_uri: `${app}/api/sso/backchannel-logout`,
  backchannel_logout_session_required: true,
  grant_types: ["authorization_code"],
  response_types: ["code"],
  token_endpoint_auth_method: "client_secret_basic",
};

const provider = new Provider(issuer.origin, {
  clients: [client],
  async findAccount(ctx, id) {
    if (!users.has(id)) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, preferred_username: id, email: `${id}@idp.example`, name: id };
      },
    };
  },
  claims: { openid: ["sub"], profile: ["preferred_username", "name"], email: ["email"] },
  // The relying party reads the agent's name from the ID token, not from userinfo.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    backchannelLogout: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  cookies: { keys: ["personal-center-tests-only"] },
});
// Unknown login names: the login page says so instead of failing the whole flow.
provider.on("server_error", (ctx, error) => console.error("server_error", error));

provider.listen(Number(issuer.port), issuer.hostname, () => {
  console.log(`listening on ${issuer.origin}`);
});
