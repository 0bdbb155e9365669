//! PRV: the SCIM 2.0 service provider as the big identity providers use it, on the demo data:
//! tokens that see one tenant only, the mapping of Users and Groups, filters and pages, PATCH as
//! Microsoft Entra ID and Okta send it, entity tags against the agent's own saves, and leavers
//! losing access at once.

mod common;

use axum::http::{header, StatusCode};
use common::{json_body, write_request, Agent, TestServer};
use pc_model::{AgentInfo, ProblemType};
use pc_server::domain::provisioning::{
    AGENT_SCHEMA, ENTERPRISE_SCHEMA, ERROR_SCHEMA, GROUP_SCHEMA, PATCH_OP, USER_SCHEMA,
};
use pc_server::storage::seed::DEMO_PASSWORD;
use pc_server::storage::Db;
use serde_json::{json, Value};

async fn body(response: axum::response::Response) -> Value {
    json_body(response).await
}

struct Scim {
    server: TestServer,
    northwind: String,
    contoso: String,
}

async fn scim() -> Scim {
    let server = common::server_with(|config, _| {
        config.routing_token = Some("routing-token-of-the-scim-tests".into())
    })
    .await;
    let northwind = server.scim_token("northwind").await;
    let contoso = server.scim_token("contoso").await;
    Scim {
        server,
        northwind,
        contoso,
    }
}

fn patch_body(operations: Value) -> Value {
    json!({"schemas": [PATCH_OP], "Operations": operations})
}

impl Scim {
    async fn get(&self, uri: &str) -> axum::response::Response {
        self.server
            .scim("GET", uri, Some(&self.northwind), None, &[])
            .await
    }

    async fn send(&self, method: &str, uri: &str, body: &Value) -> axum::response::Response {
        self.server
            .scim(method, uri, Some(&self.northwind), Some(body), &[])
            .await
    }

    /// The Northwind user with this business account.
    async fn user(&self, user_name: &str) -> Value {
        let filter = format!("userName eq \"{user_name}\"");
        let list = body(
            self.get(&format!("/Users?filter={}", encode(&filter)))
                .await,
        )
        .await;
        assert_eq!(list["totalResults"], 1, "{list}");
        list["Resources"][0].clone()
    }

    async fn patch_user(&self, user_name: &str, operations: Value) -> axum::response::Response {
        let id = self.user(user_name).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        self.send("PATCH", &format!("/Users/{id}"), &patch_body(operations))
            .await
    }

    async fn group(&self, name: &str) -> Value {
        let filter = format!("displayName eq \"{name}\"");
        let list = body(
            self.get(&format!("/Groups?filter={}", encode(&filter)))
                .await,
        )
        .await;
        assert_eq!(list["totalResults"], 1, "{list}");
        list["Resources"][0].clone()
    }

    async fn agent_info(&self, agent: &Agent) -> AgentInfo {
        json_body(self.server.get("/api/me/agent", Some(agent)).await).await
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn assert_scim_error(
    response: axum::response::Response,
    status: StatusCode,
    scim_type: Option<&str>,
) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/scim+json"
    );
    let error = body(response).await;
    assert_eq!(error["schemas"], json!([ERROR_SCHEMA]), "{error}");
    assert_eq!(error["status"], status.as_u16().to_string());
    assert_eq!(error["scimType"].as_str(), scim_type, "{error}");
    error
}

#[tokio::test]
async fn without_a_valid_token_every_endpoint_is_refused_with_the_scim_error() {
    let scim = scim().await;
    let db = Db::open(&scim.server.database).await.unwrap();
    let revoked = scim.server.scim_token("northwind").await;
    let tenant = db.tenant_id("northwind").await.unwrap().unwrap();
    let newest = db.scim_tokens(tenant).await.unwrap().pop().unwrap();
    assert!(db.revoke_scim_token(tenant, newest.id, 0).await.unwrap());
    for token in [None, Some("pcscim_not-a-token"), Some(revoked.as_str())] {
        for (method, uri) in [
            ("GET", "/Users"),
            ("GET", "/Groups"),
            ("GET", "/Schemas"),
            ("GET", "/ServiceProviderConfig"),
            ("POST", "/Users"),
        ] {
            let response = scim
                .server
                .scim(method, uri, token, Some(&json!({"userName": "x"})), &[])
                .await;
            assert!(response.headers().contains_key(header::WWW_AUTHENTICATE));
            assert_scim_error(response, StatusCode::UNAUTHORIZED, None).await;
        }
    }
    // An agent's session is not a token either.
    let alice = scim.server.signed_in("alice.wang").await;
    let response = scim
        .server
        .scim("GET", "/Users", None, None, &[("cookie", &alice.cookie)])
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_token_sees_its_own_tenant_only_both_ways() {
    let scim = scim().await;
    let northwind = body(scim.get("/Users").await).await;
    let names = |list: &Value| -> Vec<String> {
        list["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|user| user["userName"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&northwind), ["alice.wang", "bob.li", "grace.liu"]);
    let contoso_list = body(
        scim.server
            .scim("GET", "/Users", Some(&scim.contoso), None, &[])
            .await,
    )
    .await;
    assert_eq!(names(&contoso_list), ["carol.chen", "henry.sun"]);

    let alice = scim.user("alice.wang").await;
    let carol_id = contoso_list["Resources"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let alice_id = alice["id"].as_str().unwrap();
    // Neither token reads, changes or deletes the other tenant's users or groups.
    for (token, id) in [
        (&scim.contoso, alice_id),
        (&scim.northwind, carol_id.as_str()),
    ] {
        for (method, body) in [
            ("GET", None),
            ("PUT", Some(json!({"userName": "taken.over"}))),
            (
                "PATCH",
                Some(patch_body(
                    json!([{"op": "replace", "path": "active", "value": false}]),
                )),
            ),
            ("DELETE", None),
        ] {
            let response = scim
                .server
                .scim(
                    method,
                    &format!("/Users/{id}"),
                    Some(token),
                    body.as_ref(),
                    &[],
                )
                .await;
            assert_scim_error(response, StatusCode::NOT_FOUND, None).await;
        }
    }
    let billing = scim.group("Billing").await;
    let response = scim
        .server
        .scim(
            "GET",
            &format!("/Groups/{}", billing["id"].as_str().unwrap()),
            Some(&scim.contoso),
            None,
            &[],
        )
        .await;
    assert_scim_error(response, StatusCode::NOT_FOUND, None).await;
    // Nor can a group of one tenant take in a user of another.
    let response = scim
        .server
        .scim(
            "POST",
            "/Groups",
            Some(&scim.contoso),
            Some(&json!({"displayName": "Poached", "members": [{"value": alice_id}]})),
            &[],
        )
        .await;
    assert_scim_error(response, StatusCode::BAD_REQUEST, Some("invalidValue")).await;
    assert_eq!(
        body(scim.get(&format!("/Users/{alice_id}")).await).await["active"],
        true
    );
}

#[tokio::test]
async fn a_user_shows_the_employee_and_the_agent_as_the_mapping_says() {
    let scim = scim().await;
    let alice = scim.user("alice.wang").await;
    assert_eq!(alice["schemas"][0], USER_SCHEMA);
    assert_eq!(alice["displayName"], "Alice Wang");
    assert_eq!(alice["title"], "Senior Customer Service Agent");
    assert_eq!(alice["active"], true);
    assert_eq!(
        alice["emails"],
        json!([{"value": "alice.wang@northwind.example", "type": "work"}])
    );
    assert_eq!(
        alice["phoneNumbers"],
        json!([
            {"value": "+86 138 0013 8011", "type": "work"},
            {"value": "+8613800138011", "type": "mobile"},
            {"value": "+861068001001", "type": "fixed"},
        ])
    );
    assert_eq!(alice["roles"], json!([{"value": "agent"}]));
    assert_eq!(
        alice["entitlements"],
        json!([{"value": "generate_business_card"}])
    );
    let groups: Vec<&str> = alice["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["display"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["Billing", "Technical Support", "VIP Customers"]);
    let grace = scim.user("grace.liu").await;
    assert_eq!(alice[ENTERPRISE_SCHEMA]["manager"]["value"], grace["id"]);
    assert_eq!(
        alice[AGENT_SCHEMA],
        json!({"agentType": "versatile", "softphoneNumber": "70001001",
               "organizationUnit": "care", "webrtc": true, "boundToBusinessAccount": true})
    );
    assert!(alice.get("password").is_none());
    // The agent ID is answered when asked for.
    let id = alice["id"].as_str().unwrap();
    let asked = body(
        scim.get(&format!(
            "/Users/{id}?attributes={}",
            encode(&format!("{AGENT_SCHEMA}:agentId"))
        ))
        .await,
    )
    .await;
    assert_eq!(asked[AGENT_SCHEMA], json!({"agentId": 1001}));
    assert!(asked.get("userName").is_none());
    let response = scim.get(&format!("/Users/{id}")).await;
    assert_eq!(
        response.headers()[header::ETAG],
        alice["meta"]["version"].as_str().unwrap()
    );
}

#[tokio::test]
async fn an_okta_style_create_gets_an_agent_with_the_defaults_and_can_sign_in() {
    let scim = scim().await;
    let created = scim
        .send(
            "POST",
            "/Users",
            &json!({
                "schemas": [USER_SCHEMA],
                "userName": "Dana.Kim@northwind.example",
                "name": {"givenName": "Dana", "familyName": "Kim"},
                "emails": [{"primary": true, "value": "dana.kim@northwind.example", "type": "work"}],
                "active": true,
                "password": "Welcome@2026",
                "externalId": "00u1dana",
            }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let location = created.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let dana = body(created).await;
    assert_eq!(location, dana["meta"]["location"].as_str().unwrap());
    assert!(location.ends_with(&format!("/scim/v2/Users/{}", dana["id"].as_str().unwrap())));
    assert_eq!(
        dana["name"],
        json!({"givenName": "Dana", "familyName": "Kim"})
    );
    assert_eq!(
        dana[AGENT_SCHEMA]["organizationUnit"], "care",
        "the tenant's default"
    );
    assert_eq!(dana[AGENT_SCHEMA]["agentType"], "voice");
    assert_eq!(dana["roles"], json!([{"value": "agent"}]));
    assert!(dana.get("password").is_none());

    // The business account is compared without case, on sign-in too.
    let agent = scim
        .server
        .signed_in_with("dana.kim@NORTHWIND.example", "Welcome@2026")
        .await;
    let info = scim.agent_info(&agent).await;
    assert_eq!(
        info.agent_id, 1004,
        "the lowest free agent ID of Northwind's range"
    );
    assert_eq!(info.softphone_number, "1004");
    assert_eq!(info.registration_server, "sip.northwind.example:5060");
    let employee: pc_model::Employee =
        json_body(scim.server.get("/api/me/employee", Some(&agent)).await).await;
    assert_eq!(employee.username, "Dana Kim");
    // Every tab works for the new agent at once.
    for uri in ["/api/me/settings", "/api/me/parameters", "/api/me/activity"] {
        assert_eq!(
            scim.server.get(uri, Some(&agent)).await.status(),
            StatusCode::OK,
            "{uri}"
        );
    }

    let again = scim
        .send(
            "POST",
            "/Users",
            &json!({"userName": "DANA.KIM@northwind.example"}),
        )
        .await;
    assert_scim_error(again, StatusCode::CONFLICT, Some("uniqueness")).await;
    // Another tenant cannot take the account either: business accounts sign in without a
    // tenant, so they are unique in the deployment.
    let elsewhere = scim
        .server
        .scim(
            "POST",
            "/Users",
            Some(&scim.contoso),
            Some(&json!({"userName": "dana.kim@northwind.example"})),
            &[],
        )
        .await;
    assert_scim_error(elsewhere, StatusCode::CONFLICT, Some("uniqueness")).await;
}

#[tokio::test]
async fn bad_values_are_refused_naming_each_attribute() {
    let scim = scim().await;
    let response = scim
        .send(
            "POST",
            "/Users",
            &json!({
                "userName": "erin",
                "phoneNumbers": [{"value": "call me", "type": "mobile"}],
                "roles": [{"value": "admin"}],
                AGENT_SCHEMA: {"organizationUnit": "nowhere"},
            }),
        )
        .await;
    let error = assert_scim_error(response, StatusCode::BAD_REQUEST, Some("invalidValue")).await;
    let detail = error["detail"].as_str().unwrap();
    assert!(
        detail.contains("phoneNumbers[type eq \"mobile\"].value"),
        "{detail}"
    );
    assert!(
        detail.contains("roles.value: \"admin\" is not a role"),
        "{detail}"
    );
    let response = scim
        .send(
            "POST",
            "/Users",
            &json!({"userName": "erin", AGENT_SCHEMA: {"organizationUnit": "nowhere"}}),
        )
        .await;
    let error = assert_scim_error(response, StatusCode::BAD_REQUEST, Some("invalidValue")).await;
    assert_eq!(
        error["detail"],
        "organizationUnit: \"nowhere\" is not an organization unit of the tenant"
    );
    let response = scim
        .server
        .scim("POST", "/Users", Some(&scim.northwind), None, &[])
        .await;
    assert_scim_error(response, StatusCode::BAD_REQUEST, Some("invalidSyntax")).await;
    // Nothing was made by any of these.
    assert_eq!(body(scim.get("/Users").await).await["totalResults"], 3);
}

#[tokio::test]
async fn lists_filter_page_and_pick_attributes() {
    let scim = scim().await;
    let list = |query: String| {
        let scim = &scim;
        async move { body(scim.get(&format!("/Users?{query}")).await).await }
    };
    let by = |filter: &str| format!("filter={}", encode(filter));
    assert_eq!(
        list(by("userName eq \"ALICE.WANG\"")).await["totalResults"],
        1
    );
    assert_eq!(
        list(by(
            "emails[type eq \"work\"].value eq \"bob.li@northwind.example\""
        ))
        .await["Resources"][0]["userName"],
        "bob.li"
    );
    assert_eq!(
        list(by("userName sw \"a\" and active eq true")).await["totalResults"],
        1
    );
    assert_eq!(
        list(by(&format!("{AGENT_SCHEMA}:agentId eq 1002"))).await["Resources"][0]["userName"],
        "bob.li"
    );
    let page = list("startIndex=2&count=1".into()).await;
    assert_eq!(
        (
            page["totalResults"].as_i64(),
            page["startIndex"].as_i64(),
            page["itemsPerPage"].as_i64()
        ),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(page["Resources"][0]["userName"], "bob.li");
    let picked = list("attributes=userName&excludedAttributes=emails".into()).await;
    let first = picked["Resources"][0].as_object().unwrap();
    let mut keys: Vec<&String> = first.keys().collect();
    keys.sort();
    assert_eq!(keys, ["id", "schemas", "userName"]);
    let response = scim.get("/Users?filter=userName%20eq").await;
    assert_scim_error(response, StatusCode::BAD_REQUEST, Some("invalidFilter")).await;
    let groups = body(
        scim.get(&format!("/Groups?{}", by("displayName eq \"billing\"")))
            .await,
    )
    .await;
    assert_eq!(groups["Resources"][0]["displayName"], "Billing");
    assert_eq!(
        groups["Resources"][0]["members"].as_array().unwrap().len(),
        2
    );
    let searched = body(
        scim.send(
            "POST",
            "/.search",
            &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                    "filter": "displayName eq \"Grace Liu\" or displayName eq \"VIP Customers\""}),
        )
        .await,
    )
    .await;
    assert_eq!(searched["totalResults"], 2);
}

#[tokio::test]
async fn entra_deactivates_with_a_capital_op_and_a_string_and_the_leaver_loses_access_at_once() {
    let scim = scim().await;
    let alice = scim.server.signed_in("alice.wang").await;
    let card: pc_model::BusinessCard = json_body(
        scim.server
            .send(write_request(
                "POST",
                "/api/me/business-cards",
                &alice,
                &json!({"org_unit_id": common::demo::CARE, "channel_id": common::demo::CARE_CHANNEL}),
            ))
            .await,
    )
    .await;
    let db = Db::open(&scim.server.database).await.unwrap();
    let subscribers = || {
        let pool = db.pool().clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT username FROM subscriber ORDER BY username")
                .fetch_all(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(subscribers().await, ["70001001", "90003001"]);
    let resolves = |code: String| {
        let server = &scim.server;
        async move {
            let request = axum::http::Request::get(format!("/api/routing-codes/{code}"))
                .header(
                    header::AUTHORIZATION,
                    "Bearer routing-token-of-the-scim-tests",
                )
                .body(axum::body::Body::empty())
                .unwrap();
            server.send(request).await.status()
        }
    };
    assert_eq!(resolves(card.code.clone()).await, StatusCode::OK);

    let response = scim
        .patch_user(
            "alice.wang",
            json!([{"op": "Replace", "path": "active", "value": "False"}]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["active"], false);
    // Her open page's next request is refused; signing in is refused as a wrong password is.
    let response = scim.server.get("/api/me/agent", Some(&alice)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = scim.server.sign_in("alice.wang", DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        common::problem(response).await.problem_type,
        ProblemType::InvalidCredentials
    );
    assert_eq!(
        subscribers().await,
        ["90003001"],
        "the registrar no longer knows her"
    );
    assert_eq!(resolves(card.code.clone()).await, StatusCode::NOT_FOUND);
    // Still readable by SCIM, and audited.
    assert_eq!(scim.user("alice.wang").await["active"], false);
    let (kind,): (String,) = sqlx::query_as(
        "SELECT kind FROM audit_events WHERE agent_id = 1001 ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(kind, "deactivated");

    // Okta's path-less replace brings her back.
    let response = scim
        .patch_user(
            "alice.wang",
            json!([{"op": "replace", "value": {"active": true}}]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    scim.server.signed_in("alice.wang").await;
    assert_eq!(subscribers().await, ["70001001", "90003001"]);
    assert_eq!(resolves(card.code).await, StatusCode::OK);
}

#[tokio::test]
async fn patch_takes_dotted_keys_urns_and_filtered_paths_as_idps_send_them() {
    let scim = scim().await;
    let response = scim
        .patch_user(
            "bob.li",
            json!([
                {"op": "replace", "value": {
                    "displayName": "Bob Li (Sales)",
                    "name.givenName": "Bob",
                    format!("{ENTERPRISE_SCHEMA}:department"): "Sales",
                    AGENT_SCHEMA: {"organizationUnit": "care", "webrtc": "True"},
                }},
                {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "bob.li@sales.northwind.example"},
                {"op": "add", "path": "phoneNumbers[type eq \"fixed\"].value", "value": "+86 10 6800 1002"},
                {"op": "remove", "path": "phoneNumbers[type eq \"mobile\"]"},
                {"op": "replace", "path": "nickName", "value": "not kept"},
            ]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let bob = body(response).await;
    assert_eq!(bob["displayName"], "Bob Li (Sales)");
    assert_eq!(bob["name"], json!({"givenName": "Bob"}));
    assert_eq!(bob[ENTERPRISE_SCHEMA]["department"], "Sales");
    assert_eq!(bob[AGENT_SCHEMA]["organizationUnit"], "care");
    assert_eq!(bob[AGENT_SCHEMA]["webrtc"], true);
    assert_eq!(bob["emails"][0]["value"], "bob.li@sales.northwind.example");
    assert_eq!(
        bob["phoneNumbers"],
        json!([{"value": "+86 138 0013 8012", "type": "work"},
               {"value": "+861068001002", "type": "fixed"}])
    );
    // What the agent sees follows, and their activity says what changed.
    let agent = scim.server.signed_in("bob.li").await;
    let info = scim.agent_info(&agent).await;
    assert_eq!(
        (info.mobile, info.fixed_line.as_deref()),
        (None, Some("+861068001002"))
    );
    assert!(info.webrtc_enabled);
    let activity: pc_model::ActivityPage =
        json_body(scim.server.get("/api/me/activity", Some(&agent)).await).await;
    let changed = activity
        .entries
        .iter()
        .find(|e| e.kind == pc_model::ActivityKind::ProvisioningChanged)
        .unwrap();
    let fields: Vec<&str> = changed.changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "username",
            "email",
            "mobile",
            "fixed_line",
            "org_unit",
            "webrtc"
        ]
    );
}

#[tokio::test]
async fn skill_queues_are_groups_whose_members_go_by_value_list_and_by_filter() {
    let scim = scim().await;
    let users = body(scim.get("/Users").await).await;
    let id_of = |name: &str| {
        users["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["userName"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (alice, bob, grace) = (id_of("alice.wang"), id_of("bob.li"), id_of("grace.liu"));
    let created = scim
        .send(
            "POST",
            "/Groups",
            &json!({"schemas": [GROUP_SCHEMA], "displayName": "Loans", "externalId": "grp-loans",
                    "members": [{"value": alice}, {"value": bob}]}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let loans = body(created).await;
    let loans_id = loans["id"].as_str().unwrap().to_owned();
    let taken = scim
        .send("POST", "/Groups", &json!({"displayName": "LOANS"}))
        .await;
    assert_scim_error(taken, StatusCode::CONFLICT, Some("uniqueness")).await;

    // Entra removes by a list of values, Okta by a filter.
    for operation in [
        json!({"op": "Add", "path": "members", "value": [{"value": grace}]}),
        json!({"op": "Remove", "path": "members", "value": [{"value": bob}]}),
        json!({"op": "remove", "path": format!("members[value eq \"{grace}\"]")}),
    ] {
        let response = scim
            .send(
                "PATCH",
                &format!("/Groups/{loans_id}"),
                &patch_body(json!([operation])),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let loans = scim.group("Loans").await;
    assert_eq!(
        loans["members"],
        json!([{"value": alice, "$ref": format!("http://localhost/scim/v2/Users/{alice}"), "type": "User"}])
    );
    let agent = scim.server.signed_in("alice.wang").await;
    let queues: Vec<String> = scim
        .agent_info(&agent)
        .await
        .skill_queues
        .into_iter()
        .map(|q| q.name)
        .collect();
    assert_eq!(
        queues,
        ["Billing", "Loans", "Technical Support", "VIP Customers"]
    );
    let bob_agent = scim.server.signed_in("bob.li").await;
    let bob_queues: Vec<String> = scim
        .agent_info(&bob_agent)
        .await
        .skill_queues
        .into_iter()
        .map(|q| q.name)
        .collect();
    assert_eq!(bob_queues, ["Billing"]);

    // A queue the tenant file declares keeps its name and stays; its members are SCIM's.
    let billing = scim.group("Billing").await;
    let billing_id = billing["id"].as_str().unwrap();
    let renamed = scim
        .send(
            "PATCH",
            &format!("/Groups/{billing_id}"),
            &patch_body(json!([{"op": "replace", "path": "displayName", "value": "Invoices"}])),
        )
        .await;
    assert_scim_error(renamed, StatusCode::BAD_REQUEST, Some("mutability")).await;
    let deleted = scim
        .server
        .scim(
            "DELETE",
            &format!("/Groups/{billing_id}"),
            Some(&scim.northwind),
            None,
            &[],
        )
        .await;
    assert_scim_error(deleted, StatusCode::BAD_REQUEST, Some("mutability")).await;
    let emptied = scim
        .send(
            "PATCH",
            &format!("/Groups/{billing_id}"),
            &patch_body(json!([{"op": "remove", "path": "members"}])),
        )
        .await;
    assert_eq!(emptied.status(), StatusCode::OK);
    assert!(scim.group("Billing").await.get("members").is_none());

    let gone = scim
        .server
        .scim(
            "DELETE",
            &format!("/Groups/{loans_id}"),
            Some(&scim.northwind),
            None,
            &[],
        )
        .await;
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        scim.agent_info(&agent).await.skill_queues.len(),
        2,
        "Technical Support and VIP Customers"
    );
}

#[tokio::test]
async fn a_scim_update_and_the_agents_own_save_never_overwrite_each_other_unseen() {
    let scim = scim().await;
    let alice = scim.server.signed_in("alice.wang").await;
    let read = scim.user("alice.wang").await;
    let id = read["id"].as_str().unwrap().to_owned();
    let version = read["meta"]["version"].as_str().unwrap().to_owned();

    // The agent changes her mobile (AGT-6) after the IdP read her: its write based on that
    // read is stale.
    let saved = scim
        .server
        .send(write_request(
            "PUT",
            "/api/me/agent/phone-numbers",
            &alice,
            &json!({"fixed_line": "+861068001001", "mobile": "+8613800138099",
                    "was_fixed_line": "+861068001001", "was_mobile": "+8613800138011"}),
        ))
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let mut replaced = read.clone();
    replaced["title"] = json!("Team Leader");
    let stale = scim
        .server
        .scim(
            "PUT",
            &format!("/Users/{id}"),
            Some(&scim.northwind),
            Some(&replaced),
            &[("if-match", &version)],
        )
        .await;
    assert_scim_error(stale, StatusCode::PRECONDITION_FAILED, None).await;
    let stale_patch = scim
        .server
        .scim(
            "PATCH",
            &format!("/Users/{id}"),
            Some(&scim.northwind),
            Some(&patch_body(
                json!([{"op": "replace", "path": "title", "value": "x"}]),
            )),
            &[("if-match", &version)],
        )
        .await;
    assert_scim_error(stale_patch, StatusCode::PRECONDITION_FAILED, None).await;
    let current = scim.user("alice.wang").await;
    assert_eq!(current["phoneNumbers"][1]["value"], "+8613800138099");
    assert_ne!(current["meta"]["version"], read["meta"]["version"]);

    // The IdP changes her mobile: the agent's save based on what she read is refused as stale.
    let response = scim
        .patch_user(
            "alice.wang",
            json!([{"op": "replace", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+8613800138077"}]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let refused = scim
        .server
        .send(write_request(
            "PUT",
            "/api/me/agent/phone-numbers",
            &alice,
            &json!({"fixed_line": "+861068001001", "mobile": "+8613800138000",
                    "was_fixed_line": "+861068001001", "was_mobile": "+8613800138099"}),
        ))
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert_eq!(
        scim.agent_info(&alice).await.mobile.as_deref(),
        Some("+8613800138077")
    );
}

#[tokio::test]
async fn delete_keeps_the_trail_frees_the_account_and_never_gives_the_agent_id_again() {
    let scim = scim().await;
    let bob = scim.server.signed_in("bob.li").await;
    let id = scim.user("bob.li").await["id"].as_str().unwrap().to_owned();
    let response = scim
        .server
        .scim(
            "DELETE",
            &format!("/Users/{id}"),
            Some(&scim.northwind),
            None,
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        scim.server.get("/api/me/agent", Some(&bob)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_scim_error(
        scim.get(&format!("/Users/{id}")).await,
        StatusCode::NOT_FOUND,
        None,
    )
    .await;
    let again = scim
        .server
        .scim(
            "DELETE",
            &format!("/Users/{id}"),
            Some(&scim.northwind),
            None,
            &[],
        )
        .await;
    assert_scim_error(again, StatusCode::NOT_FOUND, None).await;
    let billing = scim.group("Billing").await;
    assert_eq!(
        billing["members"].as_array().unwrap().len(),
        1,
        "Alice only"
    );

    let db = Db::open(&scim.server.database).await.unwrap();
    let (events,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE agent_id = 1002")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert!(
        events >= 3,
        "provisioned, signed in, deprovisioned: {events}"
    );

    // A new Bob takes the business account, but not the agent ID.
    let created = scim
        .send(
            "POST",
            "/Users",
            &json!({"userName": "bob.li", "password": "Welcome@2026"}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let agent = scim.server.signed_in_with("bob.li", "Welcome@2026").await;
    assert_eq!(scim.agent_info(&agent).await.agent_id, 1004);
    // The old password is gone with the old Bob.
    let response = scim.server.sign_in("bob.li", DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_password_is_write_only_and_never_recorded() {
    let scim = scim().await;
    let response = scim
        .patch_user(
            "grace.liu",
            json!([{"op": "add", "path": "password", "value": "Manager@2026"}]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let grace = body(response).await;
    assert!(grace.get("password").is_none());
    scim.server
        .signed_in_with("grace.liu", "Manager@2026")
        .await;
    let db = Db::open(&scim.server.database).await.unwrap();
    let trail: Vec<(String,)> = sqlx::query_as("SELECT changes FROM audit_events")
        .fetch_all(db.pool())
        .await
        .unwrap();
    assert!(trail
        .iter()
        .all(|(changes,)| !changes.contains("Manager@2026") && !changes.contains("password")));
    let short = scim
        .patch_user(
            "grace.liu",
            json!([{"op": "replace", "path": "password", "value": "short"}]),
        )
        .await;
    assert_scim_error(short, StatusCode::BAD_REQUEST, Some("invalidValue")).await;
}

#[tokio::test]
async fn discovery_says_exactly_what_is_supported() {
    let scim = scim().await;
    let config = body(scim.get("/ServiceProviderConfig").await).await;
    assert_eq!(config["patch"]["supported"], true);
    assert_eq!(config["bulk"]["supported"], false);
    assert_eq!(config["etag"]["supported"], true);
    let types = body(scim.get("/ResourceTypes").await).await;
    assert_eq!(types["totalResults"], 2);
    let agent = body(scim.get(&format!("/Schemas/{AGENT_SCHEMA}")).await).await;
    let unit = agent["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "organizationUnit")
        .unwrap();
    assert_eq!(
        unit["canonicalValues"],
        json!(["northwind", "care", "sales", "care-vip"]),
        "Northwind's OUs, for Northwind's token"
    );
    let response = scim
        .send("POST", "/ServiceProviderConfig", &json!({}))
        .await;
    assert_scim_error(response, StatusCode::METHOD_NOT_ALLOWED, None).await;
    assert_scim_error(scim.get("/Nothing").await, StatusCode::NOT_FOUND, None).await;
    assert_scim_error(
        scim.get("/Schemas/urn:nothing").await,
        StatusCode::NOT_FOUND,
        None,
    )
    .await;
}

#[tokio::test]
async fn when_the_range_is_used_up_a_create_says_so() {
    let scim = scim().await;
    let db = Db::open(&scim.server.database).await.unwrap();
    sqlx::query("UPDATE tenants SET last_agent_id = 1003 WHERE code = 'northwind'")
        .execute(db.pool())
        .await
        .unwrap();
    let response = scim
        .send("POST", "/Users", &json!({"userName": "full"}))
        .await;
    let error = assert_scim_error(response, StatusCode::BAD_REQUEST, Some("invalidValue")).await;
    assert!(
        error["detail"].as_str().unwrap().contains("1001–1003"),
        "{error}"
    );
}
