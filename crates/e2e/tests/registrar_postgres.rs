//! OPS-3 on PostgreSQL: Kamailio's `auth_db` through `db_postgres` reads the `subscriber` view
//! of the server's database as it does on SQLite: a seeded password registers, a wrong one and
//! a user without a password are refused, and a new HA1 counts at the next REGISTER while the
//! old password is refused. The client speaks SIP over plain TCP, which the registrar takes on
//! its WebSocket port too (the browser tests cover the WebSocket side on SQLite).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use pc_e2e::registrar::{Registrar, ALICE_SIP};
use pc_postgres_cluster::Cluster;
use pc_server::storage::{Db, Location};
use pc_server::Config;
use pc_sip::digest::{ha1, parse_challenge, response};
use pc_sip::parse_response;

const DOMAIN: &str = "northwind.example";

/// One REGISTER of `user` with `password`, answering the registrar's challenge: the final
/// status code.
fn register(registrar: &Registrar, user: &str, password: &str) -> u16 {
    let mut stream = TcpStream::connect(registrar.tcp_address()).expect("connect to Kamailio");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let local = stream.local_addr().unwrap();
    let uri = format!("sip:{DOMAIN}");
    static CALLS: AtomicU32 = AtomicU32::new(0);
    let call = CALLS.fetch_add(1, Ordering::SeqCst);
    let mut send = |cseq: u32, authorization: &str| {
        let request = format!(
            "REGISTER {uri} SIP/2.0\r\n\
             Via: SIP/2.0/TCP {local};branch=z9hG4bK{call}x{cseq};rport\r\n\
             Max-Forwards: 70\r\n\
             From: <sip:{user}@{DOMAIN}>;tag=ops3\r\n\
             To: <sip:{user}@{DOMAIN}>\r\n\
             Call-ID: ops3-{call}@test\r\n\
             CSeq: {cseq} REGISTER\r\n\
             Contact: <sip:{user}@{local};transport=tcp>\r\n\
             Expires: 60\r\n\
             {authorization}Content-Length: 0\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = Vec::new();
        let mut buffer = [0; 4096];
        while !answer.ends_with(b"\r\n\r\n") {
            let read = stream.read(&mut buffer).expect("an answer from Kamailio");
            assert!(read > 0, "Kamailio closed the connection");
            answer.extend_from_slice(&buffer[..read]);
        }
        parse_response(&String::from_utf8(answer).unwrap()).expect("a SIP response")
    };
    let challenged = send(1, "");
    assert_eq!(challenged.code, 401, "{challenged:?}");
    let challenge = challenged
        .header("WWW-Authenticate")
        .and_then(parse_challenge)
        .expect("a digest challenge");
    let (nc, cnonce) = ("00000001", "0a4f113b");
    let digest = response(
        &ha1(user, &challenge.realm, password),
        &challenge.nonce,
        "REGISTER",
        &uri,
        Some((nc, cnonce)),
    );
    let authorization = format!(
        "Authorization: Digest username=\"{user}\", realm=\"{}\", nonce=\"{}\", uri=\"{uri}\", \
         algorithm=MD5, response=\"{digest}\", qop=auth, cnonce=\"{cnonce}\", nc={nc}\r\n",
        challenge.realm, challenge.nonce
    );
    send(2, &authorization).code
}

#[tokio::test]
async fn the_registrar_checks_the_ha1s_of_a_server_database_on_postgresql() {
    let cluster = Cluster::start().expect("a PostgreSQL cluster");
    let url = cluster.url("postgres");
    let location = Location::Postgres(url.clone());
    // Migrates and seeds the demo data, as a server starting on a new database does.
    let server = pc_server::build(Config::for_database(location.clone()))
        .await
        .expect("the server's database");
    assert!(server.seeded);
    let mut registrar = Registrar::on_free_port();
    registrar.start(url);

    let (alice, password) = ALICE_SIP;
    assert_eq!(register(&registrar, alice, password), 200);
    assert_eq!(register(&registrar, alice, "Not@TheRight1"), 403);
    // Bob's agent has no softphone password.
    assert_eq!(register(&registrar, "70001002", password), 403);

    // A reset elsewhere (another instance, say) stores a new HA1: it counts at once.
    let new_password = "Softphone.2026";
    let db = Db::open(&location).await.unwrap();
    sqlx::query("UPDATE agents SET sip_ha1 = $1 WHERE softphone_number = $2")
        .bind(ha1(alice, DOMAIN, new_password))
        .bind(alice)
        .execute(db.pool())
        .await
        .unwrap();
    assert_eq!(register(&registrar, alice, new_password), 200);
    assert_eq!(register(&registrar, alice, password), 403);
}
