//! TEN-1 and PRV-1 as an operator runs them: `pc-server tenant apply|export` and
//! `pc-server scim-token …`, the real binary on a new database (SQLite, or PostgreSQL with
//! `PC_TEST_DATABASE=postgres`), starting from an empty one.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pc_server::domain::provisioning::users::UserInput;
use pc_server::domain::session::token_hash;
use pc_server::domain::tenant_file;
use pc_server::storage::provisioning::Caller;
use pc_server::storage::{Db, Location};

const EXAMPLE: &str = include_str!("../../../docs/tenants.example.toml");
const TURN_SECRET: &str = "example-turn-secret";

struct Operator {
    database: Location,
    dir: tempfile::TempDir,
}

impl Operator {
    async fn new() -> Operator {
        let dir = tempfile::tempdir().unwrap();
        let database = common::new_database(dir.path()).await;
        Operator { database, dir }
    }

    fn run(&self, args: &[&str]) -> Output {
        let database = match &self.database {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(url) => url.clone(),
        };
        Command::new(env!("CARGO_BIN_EXE_pc-server"))
            .args(["--database", &database])
            .args(args)
            .env("WOODGROVE_TURN_SECRET", TURN_SECRET)
            .env_remove("PC_DATABASE")
            .output()
            .unwrap()
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn apply(&self, path: &Path, extra: &[&str]) -> Output {
        let mut args = vec!["tenant", "apply", path.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    fn export(&self) -> String {
        let output = self.run(&["tenant", "export"]);
        assert!(output.status.success(), "{}", stderr(&output));
        String::from_utf8(output.stdout).unwrap()
    }

    /// The tenants as exported.
    fn tenants(&self) -> Vec<tenant_file::TenantDeclaration> {
        tenant_file::parse(&self.export()).unwrap().tenants
    }

    async fn db(&self) -> Db {
        Db::open(&self.database).await.unwrap()
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn the_example_applies_to_an_empty_database_once_and_exports_as_it_was_declared() {
    let operator = Operator::new().await;
    let example = operator.file("tenants.toml", EXAMPLE);

    let dry = operator.apply(&example, &["--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    let planned = stdout(&dry);
    assert!(planned.contains("tenant woodgrove: create"), "{planned}");
    assert!(planned.contains("tenant woodgrove: org unit premier: create"));
    assert!(planned
        .contains("tenant woodgrove: whatsapp channel +442079460001: create in org unit premier"));
    assert!(stderr(&dry).contains("Dry run"));
    assert!(operator.tenants().is_empty(), "a dry run changes nothing");

    let applied = operator.apply(&example, &[]);
    assert!(applied.status.success(), "{}", stderr(&applied));
    assert_eq!(
        stdout(&applied),
        planned,
        "the dry run said exactly what happened"
    );
    let again = operator.apply(&example, &[]);
    assert!(again.status.success());
    assert_eq!(
        stdout(&again),
        "",
        "applying the same file again changes nothing"
    );
    assert!(stderr(&again).contains("No differences"));

    let exported = operator.export();
    assert_eq!(
        tenant_file::parse(&exported).unwrap(),
        tenant_file::parse(EXAMPLE).unwrap()
    );
    assert!(
        !exported.contains(TURN_SECRET),
        "the secret is never written"
    );
    assert!(exported.contains("secret_env = \"WOODGROVE_TURN_SECRET\""));
    let round_trip = operator.file("exported.toml", &exported);
    assert_eq!(stdout(&operator.apply(&round_trip, &[])), "");
    assert_eq!(operator.export(), exported);

    let stored: String = sqlx::query_scalar(
        "SELECT turn_secret FROM tenant_ice_servers WHERE turn_secret IS NOT NULL",
    )
    .fetch_one(operator.db().await.pool())
    .await
    .unwrap();
    assert_eq!(stored, TURN_SECRET, "read from the environment variable");
}

#[tokio::test]
async fn a_dry_run_shows_each_difference_and_an_apply_makes_it() {
    let operator = Operator::new().await;
    assert!(operator
        .apply(&operator.file("a.toml", EXAMPLE), &[])
        .status
        .success());
    let changed = EXAMPLE
        .replace("concurrency = 10", "concurrency = 12")
        .replace("name = \"Mortgage Advice\"", "name = \"Mortgages and Loans\"")
        .replace(
            "[[tenants.org_units]]\ncode = \"mortgages\"\nname = \"Mortgages\"\nparent = \"woodgrove\"\n",
            "",
        );
    let changed = operator.file("b.toml", &changed);
    let dry = stdout(&operator.apply(&changed, &["--dry-run"]));
    assert_eq!(
        dry,
        "tenant woodgrove: concurrency 10 → 12\n\
         tenant woodgrove: skill queue mortgage-advice: name \"Mortgage Advice\" → \"Mortgages and Loans\"\n\
         tenant woodgrove: org unit mortgages: remove\n"
    );
    assert!(operator.export().contains("concurrency = 10\n"));
    assert_eq!(stdout(&operator.apply(&changed, &[])), dry);
    let exported = operator.export();
    assert!(exported.contains("concurrency = 12\n") && !exported.contains("Mortgages\"\n"));
}

#[tokio::test]
async fn an_invalid_file_is_refused_as_a_whole_naming_each_place() {
    let operator = Operator::new().await;
    let invalid = EXAMPLE
        .replace("concurrency = 6", "concurrency = 61")
        .replace("code = \"premier\"", "code = \"Premier Banking\"");
    let output = operator.apply(&operator.file("bad.toml", &invalid), &[]);
    assert!(!output.status.success());
    let said = stderr(&output);
    assert!(said.contains("is refused, nothing changed"), "{said}");
    assert!(
        said.contains("tenants[0].org_units[1].concurrency: 61 is above 60"),
        "{said}"
    );
    assert!(
        said.contains("tenants[0].org_units[2].code: \"Premier Banking\" is not a code"),
        "{said}"
    );
    assert!(operator.tenants().is_empty());

    let typo = operator.file(
        "typo.toml",
        &EXAMPLE.replace("two_factor_method", "two_factor"),
    );
    let output = operator.apply(&typo, &[]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("line "), "{}", stderr(&output));

    let output = Command::new(env!("CARGO_BIN_EXE_pc-server"))
        .args([
            "--database",
            operator.dir.path().join("x.db").to_str().unwrap(),
        ])
        .args([
            "tenant",
            "apply",
            operator.file("e.toml", EXAMPLE).to_str().unwrap(),
        ])
        .env_remove("WOODGROVE_TURN_SECRET")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains(
            "tenants[0].ice_servers[1].secret_env: the environment variable WOODGROVE_TURN_SECRET is not set"
        ),
        "{}",
        stderr(&output)
    );
}

/// SSO-1: the example with an OpenID Provider whose client secret is in a file.
fn example_with_sso(secret_file: &Path) -> String {
    EXAMPLE.replacen(
        "[[tenants.ice_servers]]",
        &format!(
            "[tenants.sso]\nissuer = \"https://login.woodgrove.example/\"\ndisplay_name = \"Woodgrove ID\"\nclient_id = \"personal-center\"\nclient_secret_file = {:?}\nmatched_to = \"external_id\"\npassword_sign_in = false\n\n[[tenants.ice_servers]]",
            secret_file.display().to_string()
        ),
        1,
    )
}

#[tokio::test]
async fn a_tenants_provider_is_applied_with_its_secret_from_a_file_and_exported_without_it() {
    let operator = Operator::new().await;
    let secret_file = operator.file("oidc-secret", "first-client-secret\n");
    let text = example_with_sso(&secret_file);
    assert_eq!(text.matches("[tenants.sso]").count(), 1);
    let applied = operator.apply(&operator.file("sso.toml", &text), &[]);
    assert!(applied.status.success(), "{}", stderr(&applied));

    let exported = operator.export();
    assert_eq!(
        tenant_file::parse(&exported).unwrap(),
        tenant_file::parse(&text).unwrap()
    );
    assert!(!exported.contains("first-client-secret"));
    let stored = || async {
        sqlx::query_scalar::<_, String>("SELECT client_secret FROM tenant_sso")
            .fetch_one(operator.db().await.pool())
            .await
            .unwrap()
    };
    assert_eq!(
        stored().await,
        "first-client-secret",
        "without the line break"
    );

    std::fs::write(&secret_file, "second-client-secret").unwrap();
    let rotated = operator.apply(&operator.file("sso.toml", &text), &[]);
    assert_eq!(
        stdout(&rotated),
        "tenant woodgrove: sso client secret changed\n",
        "a new secret is applied and never shown"
    );
    assert_eq!(stored().await, "second-client-secret");

    let removed = operator.apply(&operator.file("plain.toml", EXAMPLE), &[]);
    assert_eq!(
        stdout(&removed),
        "tenant woodgrove: sso \"https://login.woodgrove.example/\" → \"none\"\n"
    );
    assert!(operator.tenants()[0].sso.is_none());
}

#[tokio::test]
async fn removing_an_organization_unit_that_agents_belong_to_is_refused_with_their_count() {
    let operator = Operator::new().await;
    assert!(operator
        .apply(&operator.file("a.toml", EXAMPLE), &[])
        .status
        .success());
    let db = operator.db().await;
    let tenant_id = db.tenant_id("woodgrove").await.unwrap().unwrap();
    for user_name in ["ana", "ben"] {
        let input = UserInput {
            user_name: user_name.into(),
            org_unit: Some("mortgages".into()),
            ..UserInput::default()
        };
        let caller = Caller {
            tenant_id,
            address: "test",
        };
        let user = db.create_user(caller, &input, None).await.unwrap();
        assert_eq!(user.agent_id, if user_name == "ana" { 5001 } else { 5002 });
    }
    let without = EXAMPLE.replace(
        "[[tenants.org_units]]\ncode = \"mortgages\"\nname = \"Mortgages\"\nparent = \"woodgrove\"\n",
        "",
    );
    let output = operator.apply(&operator.file("b.toml", &without), &[]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains(
            "tenants[0].org_units: org unit \"mortgages\" is not declared, but 2 agents belong to it"
        ),
        "{}",
        stderr(&output)
    );
    assert!(operator.export().contains("code = \"mortgages\""));
}

#[tokio::test]
async fn agent_id_ranges_of_tenants_never_overlap_across_files() {
    let operator = Operator::new().await;
    assert!(operator
        .apply(&operator.file("a.toml", EXAMPLE), &[])
        .status
        .success());
    let other = EXAMPLE
        .replace(
            "code = \"woodgrove\"\nname = \"Woodgrove Bank Contact Center\"",
            "code = \"tailspin\"\nname = \"Tailspin\"",
        )
        .replace("first = 5001, last = 5999", "first = 5900, last = 6999");
    let output = operator.apply(&operator.file("b.toml", &other), &[]);
    assert!(!output.status.success());
    assert!(
        stderr(&output)
            .contains("tenants[0].agent_ids: 5900–6999 overlaps tenant \"woodgrove\"'s 5001–5999"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test]
async fn a_scim_token_is_printed_once_kept_as_a_hash_listed_and_revoked() {
    let operator = Operator::new().await;
    assert!(operator
        .apply(&operator.file("a.toml", EXAMPLE), &[])
        .status
        .success());
    let created = operator.run(&["scim-token", "create", "--tenant", "woodgrove"]);
    assert!(created.status.success(), "{}", stderr(&created));
    let token = stdout(&created).trim().to_owned();
    assert!(token.starts_with("pcscim_"));
    let db = operator.db().await;
    let tenant_id = db.tenant_id("woodgrove").await.unwrap();
    assert_eq!(
        db.scim_token_tenant(&token_hash(&token)).await.unwrap(),
        tenant_id
    );
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT token_hash FROM scim_tokens")
        .fetch_all(db.pool())
        .await
        .unwrap();
    assert!(stored.iter().all(|hash| hash != token.as_bytes()));

    let listed = stdout(&operator.run(&["scim-token", "list", "--tenant", "woodgrove"]));
    assert!(
        listed.starts_with("1\tcreated at ") && listed.contains("in use"),
        "{listed}"
    );
    let revoked = operator.run(&["scim-token", "revoke", "--tenant", "woodgrove", "--id", "1"]);
    assert!(revoked.status.success());
    assert_eq!(
        db.scim_token_tenant(&token_hash(&token)).await.unwrap(),
        None
    );
    let twice = operator.run(&["scim-token", "revoke", "--tenant", "woodgrove", "--id", "1"]);
    assert!(!twice.status.success());
    let nobody = operator.run(&["scim-token", "create", "--tenant", "nobody"]);
    assert!(!nobody.status.success());
    assert!(stderr(&nobody).contains("There is no tenant \"nobody\""));
}
