//! Branch terminals on a province's server (issue 15): over TCP, only with
//! TLS, logging in with a password or with a client certificate. Proven end
//! to end against a real PostgreSQL server set up as a province's DBA would:
//! `ssl = on`, a TCP listener on 127.0.0.1, and a `pg_hba.conf` with
//! `hostssl` lines only (`cert` for the group `kam_cert`, then
//! `scram-sha-256` for every kam login, as the README gives them), so a
//! connection without TLS is refused by the server.
//!
//! The certificates are made at test time: the bureau's CA, the server's
//! certificate for `localhost` (and nothing else) signed by it, a client
//! certificate whose CN is a staff login, and an unrelated CA with a client
//! certificate of its own.
//!
//! Every connection goes through kam's own opening path (`Store` at a
//! `Location` parsed from the URL, or the `kam` binary with `--db URL`), and
//! every accepted session is checked in `pg_stat_ssl` to be encrypted, so no
//! test can pass on a plain connection.

use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
};

use kam::db::reference::{self, NewStaff};
use kam::db::setup::{self, Founding};
use kam::db::sql::{Sql, args};
use kam::db::{Actor, Location, Store};
use kam::domain::org::UnitLevel;
use kam::domain::staff::{Role, Staff};

use crate::pg_cluster::{Cluster, SUPERUSER, Setup, start};

/// The staff member who logs in with a password.
const PASSWORD_LOGIN: &str = "zhangwei";
const PASSWORD: &str = "Gd-2026-柜台";
/// The staff member whose branch terminal holds a client certificate.
const CERT_LOGIN: &str = "chenjing";

/// The TLS server, its kam database and the certificates' folder.
struct Tls {
    cluster: Cluster,
    database: String,
    certs: PathBuf,
}

static TLS: OnceLock<Result<Tls, String>> = OnceLock::new();

/// The run's TLS server, started on first use; a test that cannot have it
/// fails with the reason.
fn tls() -> &'static Tls {
    match TLS.get_or_init(start_tls) {
        Ok(tls) => tls,
        Err(why) => panic!("the PostgreSQL TLS test server could not start: {why}"),
    }
}

/// A CA's key and certificate parameters, to sign with.
fn ca(name: &str) -> Result<(Issuer<'static, KeyPair>, String), rcgen::Error> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let key = KeyPair::generate()?;
    let pem = params.self_signed(&key)?.pem();
    Ok((Issuer::new(params, key), pem))
}

/// A certificate signed by `issuer`: its PEM and its key's.
fn leaf(
    issuer: &Issuer<'_, KeyPair>,
    common_name: &str,
    dns_names: &[&str],
    usage: ExtendedKeyUsagePurpose,
) -> Result<(String, String), rcgen::Error> {
    let mut params = CertificateParams::new(dns_names.iter().map(|n| (*n).to_string()).collect::<Vec<_>>())?;
    params.distinguished_name.push(DnType::CommonName, common_name);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![usage];
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, issuer)?;
    Ok((cert.pem(), key.serialize_pem()))
}

/// A free TCP port on 127.0.0.1 (the system's pick, let go for the server).
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("a free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| format!("a free port: {e}"))
}

fn start_tls() -> Result<Tls, String> {
    let began = Instant::now();
    let cert_err = |e: rcgen::Error| format!("make the test certificates: {e}");
    let (bureau, bureau_pem) = ca("kam test bureau CA").map_err(cert_err)?;
    let (stranger, stranger_pem) = ca("kam test unrelated CA").map_err(cert_err)?;
    let (server_pem, server_key) =
        leaf(&bureau, "localhost", &["localhost"], ExtendedKeyUsagePurpose::ServerAuth).map_err(cert_err)?;
    let (client_pem, client_key) =
        leaf(&bureau, CERT_LOGIN, &[], ExtendedKeyUsagePurpose::ClientAuth).map_err(cert_err)?;
    let (forged_pem, forged_key) =
        leaf(&stranger, CERT_LOGIN, &[], ExtendedKeyUsagePurpose::ClientAuth).map_err(cert_err)?;

    // The server's side: the DBA's pg_hba.conf (the superuser's socket for
    // setting up; over TCP only hostssl, a certificate for one login).
    // The lines the README gives the DBA: a group of certificate logins
    // first (first match wins), then every kam login by password.
    let hba = "local all all trust\n\
               hostssl all +kam_cert 127.0.0.1/32 cert\n\
               hostssl all +kam_user 127.0.0.1/32 scram-sha-256\n";
    let port = free_port()?;
    let setup = Setup {
        port,
        files: vec![
            ("pg_hba.conf", hba.as_bytes().to_vec()),
            ("server.crt", server_pem.into_bytes()),
            ("server.key", server_key.into_bytes()),
            ("root.crt", bureau_pem.clone().into_bytes()),
        ],
        settings: vec![
            "listen_addresses=127.0.0.1".into(),
            "ssl=on".into(),
            "ssl_cert_file=server.crt".into(),
            "ssl_key_file=server.key".into(),
            "ssl_ca_file=root.crt".into(),
        ],
    };
    let cluster = start(&setup)?;
    // The branch terminal's side, the files a URL names: in the cluster's
    // folder, which the watchdog removes when the run ends.
    let certs = cluster.socket_dir().join("terminal");
    std::fs::create_dir(&certs).map_err(|e| format!("a folder for the certificates: {e}"))?;
    // The watchdog runs as the server's user: the folder is that user's,
    // so it can remove the files in it.
    let owner = std::fs::metadata(cluster.socket_dir()).map_err(|e| format!("the cluster's folder: {e}"))?;
    std::os::unix::fs::chown(&certs, Some(owner.uid()), Some(owner.gid()))
        .map_err(|e| format!("give {} to the server's user: {e}", certs.display()))?;
    for (name, text) in [
        ("bureau-ca.pem", &bureau_pem),
        ("other-ca.pem", &stranger_pem),
        ("client.pem", &client_pem),
        ("client.key", &client_key),
        ("other-client.pem", &forged_pem),
        ("other-client.key", &forged_key),
    ] {
        write_private(&certs.join(name), text)?;
    }
    let database = found_bureau(&cluster)?;
    eprintln!("PostgreSQL TLS test server on 127.0.0.1:{port}, set up in {} ms", began.elapsed().as_millis());
    Ok(Tls { cluster, database, certs })
}

/// Writes a file only its owner may read (libpq asks that of a key).
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("write {}: {e}", path.display()))
}

/// The province's kam database, founded by the superuser over the socket,
/// with two staff members whose login roles `kam staff add` made; the
/// password login's role then gets its password from the DBA.
fn found_bureau(cluster: &Cluster) -> Result<String, String> {
    let name = cluster.fresh_database("pg_tls");
    let url = cluster.url(&name, SUPERUSER);
    let mut store =
        Store::open_existing_at(&Location::Server(url)).map_err(|e| format!("the schema, as a superuser: {e}"))?;
    let founding = Founding {
        unit_code: "GD",
        unit_name: "广东省邮政分公司大客户中心",
        level: UnitLevel::Province,
        division: "440000",
        login: "wangfang",
        admin_name: "王芳",
        stamp: "2026-12-06 09:00:00+08:00",
    };
    let (unit, admin) = setup::found_office(&mut store, &founding).map_err(|e| format!("found the province: {e}"))?;
    let admin =
        Staff { id: admin, login: Some("wangfang".into()), name: "王芳".into(), unit_id: unit, role: Role::Admin };
    let actor = Actor { staff: admin, at: kam::time::now() };
    for (login, name) in [(PASSWORD_LOGIN, "张伟"), (CERT_LOGIN, "陈静")] {
        let new = NewStaff { login: Some(login), name, unit_id: unit, role: Role::Manager, phone: None };
        reference::add_staff(&mut store, &actor, &new).map_err(|e| format!("kam staff add {login}: {e}"))?;
    }
    let mut su = cluster.connect(&name);
    su.batch(&format!(
        "ALTER ROLE {PASSWORD_LOGIN} PASSWORD '{PASSWORD}';
         CREATE ROLE kam_cert NOLOGIN;
         GRANT kam_cert TO {CERT_LOGIN};"
    ))
    .map_err(|e| format!("the DBA's password and certificate group: {e}"))?;
    Ok(name)
}

impl Tls {
    fn file(&self, name: &str) -> String {
        self.certs.join(name).display().to_string()
    }

    /// A URL for a branch terminal: `user[:password]@host:port/database?…`.
    fn url(&self, who: &str, host: &str, query: &str) -> String {
        format!("postgresql://{who}@{host}:{}/{}?{query}", self.cluster.port(), self.database)
    }

    /// The password login, with `password`, trusting the bureau's CA.
    fn password_url(&self, mode: &str, host: &str, password: &str) -> String {
        let password = percent_encoding::utf8_percent_encode(password, percent_encoding::NON_ALPHANUMERIC);
        let root = self.file("bureau-ca.pem");
        self.url(&format!("{PASSWORD_LOGIN}:{password}"), host, &format!("sslmode={mode}&sslrootcert={root}"))
    }

    /// The certificate login, with the client certificate `cert` (and its
    /// key), verify-full against the bureau's CA; no password.
    fn cert_url(&self, cert: &str) -> String {
        let query = format!(
            "sslmode=verify-full&sslrootcert={}&sslcert={}&sslkey={}",
            self.file("bureau-ca.pem"),
            self.file(&format!("{cert}.pem")),
            self.file(&format!("{cert}.key"))
        );
        self.url(CERT_LOGIN, "localhost", &query)
    }
}

/// Opens the store the way kam does for `--db URL`.
fn open(url: &str) -> Result<Store, String> {
    let location = Location::parse(std::ffi::OsStr::new(url));
    assert!(matches!(location, Location::Server(_)), "{url} reads as a server");
    Store::open_existing_at(&location).map_err(|e| e.to_string())
}

/// Who the session is, by kam's own account and staff list, after checking
/// in `pg_stat_ssl` that it is encrypted; and the client certificate's
/// subject the server saw, if any.
fn encrypted_session(store: &Store) -> (String, String, Option<String>) {
    let (ssl, version, client_dn): (bool, Option<String>, Option<String>) = store
        .conn()
        .row("SELECT ssl, version, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()", args![], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .expect("pg_stat_ssl");
    assert!(ssl, "the session is not encrypted");
    assert!(version.as_deref().is_some_and(|v| v.starts_with("TLSv1.")), "{version:?}");
    let account = store.server_account().expect("the session's login").expect("a server");
    assert_ne!(account.uid, 0, "a branch login is no superuser");
    let me = reference::staff_by_login(store.conn(), &account.login).expect("read").expect("a member of staff");
    (account.login, me.name, client_dn)
}

fn refused(url: &str) -> String {
    match open(url) {
        Ok(_) => panic!("{url} was let in"),
        Err(e) => e,
    }
}

#[test]
fn verify_full_with_the_bureau_ca_and_a_password_is_that_staff_member_over_tls() {
    let tls = tls();
    let store = open(&tls.password_url("verify-full", "localhost", PASSWORD)).expect("verify-full with a password");
    let (login, name, client_dn) = encrypted_session(&store);
    assert_eq!((login.as_str(), name.as_str()), (PASSWORD_LOGIN, "张伟"));
    assert_eq!(client_dn, None, "no client certificate was sent");
}

#[test]
fn a_wrong_password_over_tls_is_refused() {
    let tls = tls();
    let err = refused(&tls.password_url("verify-full", "localhost", "guess"));
    assert!(err.contains("password authentication failed"), "{err}");
    assert!(!err.contains("guess"), "the password is not printed: {err}");
}

#[test]
fn a_server_certificate_from_an_untrusted_ca_is_refused() {
    let tls = tls();
    let root = tls.file("other-ca.pem");
    let url = tls.url(
        &format!("{PASSWORD_LOGIN}:{PASSWORD}"),
        "localhost",
        &format!("sslmode=verify-full&sslrootcert={root}"),
    );
    let err = refused(&url);
    assert!(err.contains("not signed by a certificate authority in") && err.contains("other-ca.pem"), "{err}");
    // verify-ca trusts by the chain too.
    let err = refused(&url.replace("verify-full", "verify-ca"));
    assert!(err.contains("not signed by a certificate authority in"), "{err}");
}

#[test]
fn verify_full_checks_the_host_name_and_verify_ca_does_not() {
    let tls = tls();
    // The certificate names localhost only: dialled as 127.0.0.1 it is the
    // bureau's certificate, but not for that name.
    let err = refused(&tls.password_url("verify-full", "127.0.0.1", PASSWORD));
    assert!(err.contains("does not name 127.0.0.1"), "{err}");
    let store = open(&tls.password_url("verify-ca", "127.0.0.1", PASSWORD)).expect("verify-ca checks the chain only");
    assert_eq!(encrypted_session(&store).0, PASSWORD_LOGIN);
}

#[test]
fn without_tls_the_hostssl_only_server_refuses() {
    let tls = tls();
    let err = refused(&tls.password_url("disable", "localhost", PASSWORD));
    assert!(err.contains("accepts this login only over TLS") && err.contains("sslmode=verify-full"), "{err}");
    // libpq's default (prefer) tries TLS first, so it gets in, encrypted.
    let store = open(&tls.password_url("prefer", "localhost", PASSWORD)).expect("prefer");
    assert_eq!(encrypted_session(&store).0, PASSWORD_LOGIN);
}

#[test]
fn a_client_certificate_is_the_staff_member_it_names_without_a_password() {
    let tls = tls();
    let store = open(&tls.cert_url("client")).expect("the client certificate");
    let (login, name, client_dn) = encrypted_session(&store);
    assert_eq!((login.as_str(), name.as_str()), (CERT_LOGIN, "陈静"));
    assert_eq!(client_dn.as_deref(), Some(format!("/CN={CERT_LOGIN}").as_str()), "the server saw the certificate");
}

#[test]
fn a_client_certificate_of_another_ca_or_none_is_refused() {
    let tls = tls();
    let err = refused(&tls.cert_url("other-client"));
    assert!(err.contains("refused the client certificate"), "{err}");
    // The certificate login without a certificate: the server asks for one.
    let root = tls.file("bureau-ca.pem");
    let err = refused(&tls.url(CERT_LOGIN, "localhost", &format!("sslmode=verify-full&sslrootcert={root}")));
    assert!(err.contains("wants a client certificate for this login: add sslcert and sslkey"), "{err}");
}

#[test]
fn a_server_that_offers_no_tls_is_refused_when_the_mode_asks_for_it() {
    // A stand-in server that answers the client's TLS request with "N"
    // (no TLS), as PostgreSQL with ssl=off does.
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().expect("its address").port();
    let server = std::thread::spawn(move || {
        use std::io::{Read, Write};
        let (mut client, _) = listener.accept().expect("the client");
        let mut request = [0u8; 8];
        client.read_exact(&mut request).expect("the TLS request");
        // Length 8, code 80877103: SSLRequest.
        assert_eq!(request, [0, 0, 0, 8, 4, 210, 22, 47], "kam asked for TLS first");
        client.write_all(b"N").expect("no TLS here");
    });
    let err = refused(&format!("postgresql://zhangwei@127.0.0.1:{port}/kam?sslmode=require"));
    server.join().expect("the stand-in server");
    assert!(err.contains("the server offers no TLS") && err.contains("turn ssl on"), "{err}");
}

fn kam(url: &str, args: &[&str]) -> (bool, String, String) {
    kam_in("en", url, args)
}

fn kam_in(lang: &str, url: &str, args: &[&str]) -> (bool, String, String) {
    let home = tempfile::tempdir().expect("a home");
    let out = Command::new(env!("CARGO_BIN_EXE_kam"))
        .arg("--db")
        .arg(url)
        .args(["--lang", lang, "--config"])
        .arg(home.path().join("config.toml"))
        .args(args)
        .env("HOME", home.path())
        .env_remove("KAM_USER")
        .env_remove("KAM_DB")
        .output()
        .expect("run kam");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn the_kam_binary_works_over_tls_as_the_login_and_says_plainly_when_it_cannot() {
    let tls = tls();
    let (ok, out, err) = kam(&tls.cert_url("client"), &["whoami"]);
    assert!(ok, "kam whoami with a client certificate: {err}");
    assert!(out.contains(CERT_LOGIN) && out.contains("陈静"), "{out}");

    let (ok, out, err) = kam(&tls.password_url("verify-full", "localhost", PASSWORD), &["whoami"]);
    assert!(ok, "kam whoami with a password: {err}");
    assert!(out.contains(PASSWORD_LOGIN) && out.contains("张伟"), "{out}");
    assert!(!out.contains(PASSWORD) && !out.contains("%E6%9F%9C"), "the password is not printed: {out}");

    let (ok, _, err) = kam(&tls.password_url("verify-full", "127.0.0.1", PASSWORD), &["whoami"]);
    assert!(!ok);
    assert!(err.contains("does not name 127.0.0.1"), "{err}");
    assert!(!err.contains(PASSWORD), "{err}");

    // In Chinese (the default), the same in Chinese.
    let (ok, _, err) = kam_in("zh", &tls.password_url("disable", "localhost", PASSWORD), &["whoami"]);
    assert!(!ok);
    assert!(err.contains("服务器只接受经 TLS 加密的连接") && err.contains("sslmode=verify-full"), "{err}");
}

#[test]
fn a_long_statement_on_a_tls_session_is_stopped_by_the_interrupter() {
    let tls = tls();
    let store = open(&tls.cert_url("client")).expect("the client certificate");
    let stop = store.interrupter();
    let began = Instant::now();
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        stop.interrupt();
    });
    let slept = store.conn().row("SELECT pg_sleep(30)::text", args![], |r| r.get::<Option<String>>(0));
    stopper.join().expect("the stopping thread");
    let err = slept.expect_err("cancelled").to_string();
    assert!(err.contains("canceling statement"), "{err}");
    assert!(began.elapsed().as_secs() < 10, "the cancel request reached the server over TLS");
}
