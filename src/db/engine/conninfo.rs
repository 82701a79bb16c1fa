//! Where the database is: a SQLite file, or a PostgreSQL server named the way
//! libpq names it, so that a province's IT department can paste the same
//! string into `psql` and into kam.
//!
//! Two spellings are PostgreSQL: a URL (`postgresql://user@/kam?host=/var/run/postgresql`)
//! and libpq's key-value string (`host=db1 dbname=kam sslmode=verify-full`).
//! Everything else is a file path.
//!
//! The client crate (`tokio-postgres`, under the synchronous `postgres`)
//! parses most of libpq's keys itself, but knows only `sslmode=disable,
//! prefer, require` and none of the certificate keys. This module takes
//! those out of the string, hands the rest to the crate, and builds the TLS
//! set-up (rustls) that the libpq mode asks for.

use std::path::PathBuf;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{AlertDescription, CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::EngineError;

/// libpq's default socket folder as Debian builds it: a URL without a host
/// (`postgresql:///kam`) means the local server, as it does for `psql`.
pub const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";

/// The keys libpq accepts that a PostgreSQL key-value string may start with.
/// A string is taken as key-value only if every key in it is one of these,
/// so a file called `a=b.db` stays a file.
const LIBPQ_KEYS: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "passfile",
    "options",
    "application_name",
    "connect_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "target_session_attrs",
    "load_balance_hosts",
    "channel_binding",
    "sslmode",
    "sslnegotiation",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "service",
];

/// Keys this module reads itself instead of the client crate.
const OUR_KEYS: &[&str] = &["sslmode", "sslrootcert", "sslcert", "sslkey"];

/// Whether `--db`, `KAM_DB` or the config's `db` names a PostgreSQL server
/// rather than a SQLite file.
pub fn is_postgres(target: &str) -> bool {
    let t = target.trim();
    let lower = t.get(..13).unwrap_or(t).to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        return true;
    }
    match parse_key_values(t) {
        Some(pairs) => !pairs.is_empty() && pairs.iter().all(|(k, _)| LIBPQ_KEYS.contains(&k.as_str())),
        None => false,
    }
}

/// libpq's `sslmode`, all six. `allow` is read as `prefer` (the client
/// tries TLS first, then without), which is at least as safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    /// TLS, the server's certificate chains to a trusted root; any name.
    VerifyCa,
    /// TLS, a trusted chain, and the certificate names the host dialled.
    VerifyFull,
}

impl SslMode {
    fn parse(value: &str) -> Result<Self, EngineError> {
        Ok(match value {
            "disable" => SslMode::Disable,
            "allow" | "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => return Err(EngineError::Config(format!("unknown sslmode {other:?}"))),
        })
    }
}

/// A PostgreSQL connection string, read: the client crate's configuration
/// and the TLS wishes it could not hold.
#[derive(Debug, Clone)]
pub struct ConnInfo {
    pub config: postgres::Config,
    pub ssl_mode: SslMode,
    /// `sslrootcert`: a PEM file of trusted roots, or `system` for the
    /// operating system's store.
    pub root_cert: Option<String>,
    /// `sslcert` and `sslkey`: a client certificate for branch terminals.
    pub client_cert: Option<(PathBuf, PathBuf)>,
}

impl ConnInfo {
    /// Reads a URL or a key-value string (see [`is_postgres`]).
    pub fn parse(target: &str) -> Result<Self, EngineError> {
        let t = target.trim();
        let mut ours: Vec<(String, String)> = Vec::new();
        let rest = if t.contains("://") {
            split_url(t, &mut ours)
        } else {
            let pairs =
                parse_key_values(t).ok_or_else(|| EngineError::Config("unreadable connection string".into()))?;
            let mut rest = Vec::new();
            for (k, v) in pairs {
                if OUR_KEYS.contains(&k.as_str()) {
                    ours.push((k, v));
                } else {
                    rest.push(format!("{k}='{}'", v.replace('\\', "\\\\").replace('\'', "\\'")));
                }
            }
            rest.join(" ")
        };
        let mut config: postgres::Config =
            rest.parse().map_err(|e: postgres::Error| EngineError::Config(e.to_string()))?;
        let find = |key: &str| ours.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let ssl_mode = match find("sslmode") {
            Some(v) => SslMode::parse(&v)?,
            None => SslMode::Prefer,
        };
        let client_cert = match (find("sslcert"), find("sslkey")) {
            (Some(c), Some(k)) => Some((PathBuf::from(c), PathBuf::from(k))),
            (None, None) => None,
            _ => return Err(EngineError::Config("sslcert and sslkey go together".into())),
        };
        if config.get_hosts().is_empty() && config.get_hostaddrs().is_empty() {
            config.host_path(DEFAULT_SOCKET_DIR);
        }
        // libpq never uses TLS on a Unix socket (the kernel carries the
        // bytes, and peer authentication names the user): neither do we.
        let all_sockets = config.get_hosts().iter().all(|h| matches!(h, postgres::config::Host::Unix(_)));
        config.ssl_mode(match ssl_mode {
            _ if all_sockets => postgres::config::SslMode::Disable,
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Prefer => postgres::config::SslMode::Prefer,
            _ => postgres::config::SslMode::Require,
        });
        Ok(ConnInfo { config, ssl_mode, root_cert: find("sslrootcert"), client_cert })
    }

    /// The TLS set-up for this mode (used only when the server is dialled
    /// over TCP and the mode is not `disable`).
    pub fn tls(&self) -> Result<tokio_postgres_rustls::MakeRustlsConnect, EngineError> {
        // ring, not aws-lc-rs: it builds with just a C compiler in seconds.
        // rustls 0.23.48 marks it deprecated for lacking post-quantum key
        // exchange, which a province's own network does not need yet; the
        // switch is this line and the crate features.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier: Arc<dyn ServerCertVerifier> = match self.ssl_mode {
            // libpq: with a root file named, `require` checks the chain as `verify-ca`.
            SslMode::Require if self.root_cert.is_some() => Arc::new(ChainOnly(self.webpki(provider.clone())?)),
            SslMode::Disable | SslMode::Prefer | SslMode::Require => Arc::new(EncryptOnly(provider.clone())),
            SslMode::VerifyCa => Arc::new(ChainOnly(self.webpki(provider.clone())?)),
            SslMode::VerifyFull => self.webpki(provider.clone())?,
        };
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| tls_error(&e))?
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        let config = match &self.client_cert {
            None => builder.with_no_client_auth(),
            Some((cert, key)) => {
                let chain = CertificateDer::pem_file_iter(cert)
                    .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                    .map_err(|e| EngineError::Config(format!("sslcert {}: {e}", cert.display())))?;
                let key = PrivateKeyDer::from_pem_file(key)
                    .map_err(|e| EngineError::Config(format!("sslkey {}: {e}", key.display())))?;
                builder.with_client_auth_cert(chain, key).map_err(|e| tls_error(&e))?
            }
        };
        Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
    }

    /// Connects, and says what went wrong with TLS in words a branch's IT
    /// person can act on (the client's own words are rustls' codes, such as
    /// `UnknownIssuer`, or the server's `pg_hba.conf` refusal).
    pub fn connect(&self) -> Result<postgres::Client, EngineError> {
        self.config.connect(self.tls()?).map_err(|e| match self.tls_failure(&e) {
            Some(failure) => EngineError::Tls(failure),
            None => EngineError::Postgres(e),
        })
    }

    /// The TLS failure behind a refused connection, if it was one.
    fn tls_failure(&self, e: &postgres::Error) -> Option<TlsFailure> {
        let over_tcp = !self.config.get_hosts().iter().all(|h| matches!(h, postgres::config::Host::Unix(_)));
        if let Some(db) = e.as_db_error() {
            // 28000: no pg_hba.conf line let this connection in.
            let refused = db.code() == &postgres::error::SqlState::INVALID_AUTHORIZATION_SPECIFICATION;
            return match () {
                _ if refused
                    && over_tcp
                    && self.ssl_mode == SslMode::Disable
                    && db.message().contains("pg_hba.conf") =>
                {
                    Some(TlsFailure::ServerRequiresTls)
                }
                _ if refused && self.client_cert.is_none() && db.message().contains("client certificate") => {
                    Some(TlsFailure::ClientCertificateMissing)
                }
                _ => None,
            };
        }
        let mut cause = std::error::Error::source(e);
        while let Some(c) = cause {
            if c.to_string() == "server does not support TLS" {
                return Some(TlsFailure::ServerHasNoTls);
            }
            let rustls = c
                .downcast_ref::<rustls::Error>()
                .or_else(|| c.downcast_ref::<std::io::Error>()?.get_ref()?.downcast_ref::<rustls::Error>());
            if let Some(r) = rustls {
                return Some(self.rustls_failure(r));
            }
            cause = c.source();
        }
        None
    }

    fn rustls_failure(&self, e: &rustls::Error) -> TlsFailure {
        use CertificateError as C;
        match e {
            rustls::Error::InvalidCertificate(C::UnknownIssuer | C::BadSignature) => {
                TlsFailure::Untrusted { roots: self.root_file().map(|p| p.display().to_string()) }
            }
            rustls::Error::InvalidCertificate(C::NotValidForNameContext { expected, presented }) => {
                TlsFailure::NameMismatch {
                    host: expected.to_str().into_owned(),
                    names: presented.iter().map(|n| shown_name(n)).collect(),
                }
            }
            rustls::Error::InvalidCertificate(C::NotValidForName) => {
                TlsFailure::NameMismatch { host: self.host_dialled(), names: Vec::new() }
            }
            rustls::Error::InvalidCertificate(
                C::Expired | C::ExpiredContext { .. } | C::NotValidYet | C::NotValidYetContext { .. },
            ) => TlsFailure::Expired,
            rustls::Error::AlertReceived(
                AlertDescription::CertificateRequired
                | AlertDescription::UnknownCA
                | AlertDescription::BadCertificate
                | AlertDescription::UnsupportedCertificate
                | AlertDescription::CertificateRevoked
                | AlertDescription::CertificateExpired
                | AlertDescription::CertificateUnknown
                | AlertDescription::AccessDenied,
            ) => match &self.client_cert {
                Some((cert, _)) => TlsFailure::ClientCertificateRefused { cert: cert.display().to_string() },
                None => TlsFailure::ClientCertificateMissing,
            },
            other => TlsFailure::Other(other.to_string()),
        }
    }

    /// The file of trusted roots, `None` for the system's store.
    fn root_file(&self) -> Option<PathBuf> {
        match self.root_cert.as_deref() {
            Some("system") => None,
            Some(path) => Some(PathBuf::from(path)),
            None => {
                std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".postgresql/root.crt")).filter(|p| p.is_file())
            }
        }
    }

    fn host_dialled(&self) -> String {
        match self.config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(h)) => h.clone(),
            _ => String::new(),
        }
    }

    /// The trusted roots: `sslrootcert`'s file, the system's store for
    /// `sslrootcert=system`, else libpq's default `~/.postgresql/root.crt`
    /// if there is one, else the system's store.
    fn webpki(&self, provider: Arc<CryptoProvider>) -> Result<Arc<dyn ServerCertVerifier>, EngineError> {
        let mut roots = RootCertStore::empty();
        match self.root_file() {
            Some(path) => {
                let certs = CertificateDer::pem_file_iter(&path)
                    .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                    .map_err(|e| EngineError::Config(format!("sslrootcert {}: {e}", path.display())))?;
                roots.add_parsable_certificates(certs);
            }
            None => {
                roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
            }
        }
        if roots.is_empty() {
            return Err(EngineError::Config("no trusted root certificate for sslmode".into()));
        }
        let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .map_err(|e| EngineError::Config(e.to_string()))?;
        Ok(verifier)
    }
}

/// A name a certificate carries, as rustls quotes it (`DnsName("localhost")`):
/// the name alone.
fn shown_name(quoted: &str) -> String {
    match (quoted.find('"'), quoted.rfind('"')) {
        (Some(a), Some(b)) if b > a => quoted[a + 1..b].to_string(),
        _ => quoted.to_string(),
    }
}

/// Why a connection over TLS failed, in terms a branch's IT person can act
/// on; `crate::i18n::tls_reason` words it in the user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsFailure {
    /// The server's certificate does not chain to a trusted root:
    /// `sslrootcert`'s file, or (`None`) the system's store.
    Untrusted { roots: Option<String> },
    /// The certificate is trusted but does not name the host dialled
    /// (`verify-full`).
    NameMismatch { host: String, names: Vec<String> },
    /// The server's certificate has expired or is not valid yet.
    Expired,
    /// The server refused the client certificate `sslcert` names.
    ClientCertificateRefused { cert: String },
    /// The server wants a client certificate for this login and got none.
    ClientCertificateMissing,
    /// `sslmode` asks for TLS and the server offers none.
    ServerHasNoTls,
    /// `sslmode=disable`, and the server takes this login only over TLS.
    ServerRequiresTls,
    /// Any other TLS failure, in rustls' words.
    Other(String),
}

impl std::fmt::Display for TlsFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::tls_reason(crate::i18n::Lang::En, self))
    }
}

fn tls_error(e: &rustls::Error) -> EngineError {
    EngineError::Config(format!("TLS: {e}"))
}

/// Takes [`OUR_KEYS`] out of a URL's query, giving back the rest of the URL.
fn split_url(url: &str, ours: &mut Vec<(String, String)>) -> String {
    let Some((head, query)) = url.split_once('?') else { return url.to_string() };
    let mut kept = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        if OUR_KEYS.contains(&k) {
            ours.push((k.to_string(), percent_decode(v)));
        } else {
            kept.push(part);
        }
    }
    if kept.is_empty() { head.to_string() } else { format!("{head}?{}", kept.join("&")) }
}

/// A value in a URL's query, `%`-escapes decoded (libpq accepts them there).
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// libpq's key-value syntax: `key = value` pairs separated by spaces, a
/// value in single quotes may hold spaces, `\'` and `\\`. `None` when the
/// text is not of that shape.
fn parse_key_values(s: &str) -> Option<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Some(pairs);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| c.is_ascii_alphanumeric() || *c == '_') {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if key.is_empty() || chars.next() != Some('=') {
            return None;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next()? {
                    '\'' => break,
                    '\\' => value.push(chars.next()?),
                    c => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.push(chars.next()?);
                } else {
                    value.push(c);
                }
            }
        }
        pairs.push((key, value));
    }
}

/// `sslmode=require`: encrypted, the server's certificate taken as shown
/// (libpq's meaning: it protects against listening, not against an
/// impostor). The handshake's signatures are still checked, so the session
/// is with whoever holds the key of the certificate shown.
#[derive(Debug)]
struct EncryptOnly(Arc<CryptoProvider>);

impl ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `sslmode=verify-ca`: the chain must lead to a trusted root, whatever
/// host name the certificate carries.
#[derive(Debug)]
struct ChainOnly(Arc<dyn ServerCertVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // webpki checks the chain before the name, so a name error means
        // the chain itself was good.
        match self.0.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use postgres::config::Host;

    #[test]
    fn urls_and_key_value_strings_are_postgres_and_paths_are_files() {
        for pg in [
            "postgresql://kam@/kam?host=/var/run/postgresql",
            "postgres://u:p@db.example:5433/kam?sslmode=verify-full",
            "POSTGRESQL://db/kam",
            "host=db1 dbname=kam",
            "dbname = kam  user='zhang san'",
        ] {
            assert!(is_postgres(pg), "{pg}");
        }
        for file in ["kam.db", "/srv/kam/bureau.db", "./a=b.db", "a=b.db", "", "dbname", "x=1 y=2"] {
            assert!(!is_postgres(file), "{file}");
        }
    }

    fn socket(info: &ConnInfo) -> Option<PathBuf> {
        match info.config.get_hosts().first() {
            Some(Host::Unix(p)) => Some(p.clone()),
            _ => None,
        }
    }

    #[test]
    fn a_socket_url_reads_as_libpq_reads_it() {
        let info = ConnInfo::parse("postgresql://zhang@/kam?host=/var/run/postgresql").unwrap();
        assert_eq!(info.config.get_user(), Some("zhang"));
        assert_eq!(info.config.get_dbname(), Some("kam"));
        assert_eq!(socket(&info), Some(PathBuf::from("/var/run/postgresql")));
        // No TLS on a Unix socket, whatever the mode.
        assert_eq!(info.config.get_ssl_mode(), postgres::config::SslMode::Disable);
        // No host at all: the local server's socket, as psql does.
        let info = ConnInfo::parse("postgresql:///kam").unwrap();
        assert_eq!(socket(&info), Some(PathBuf::from(DEFAULT_SOCKET_DIR)));
    }

    #[test]
    fn libpq_ssl_keys_are_taken_out_in_both_spellings() {
        for s in [
            "postgresql://kam@db1:5433/kam?sslmode=verify-full&sslrootcert=/etc/kam/root.pem&application_name=kam",
            "host=db1 port=5433 user=kam dbname=kam sslmode=verify-full sslrootcert='/etc/kam/root.pem' application_name=kam",
        ] {
            let info = ConnInfo::parse(s).unwrap();
            assert_eq!(info.ssl_mode, SslMode::VerifyFull, "{s}");
            assert_eq!(info.root_cert.as_deref(), Some("/etc/kam/root.pem"));
            assert_eq!(info.config.get_ports(), &[5433]);
            assert_eq!(info.config.get_application_name(), Some("kam"));
            assert_eq!(info.config.get_ssl_mode(), postgres::config::SslMode::Require);
        }
        let info = ConnInfo::parse("host=db1 dbname=kam").unwrap();
        assert_eq!(info.ssl_mode, SslMode::Prefer, "libpq's default");
        assert!(ConnInfo::parse("host=db1 sslmode=sometimes").is_err());
        assert!(ConnInfo::parse("host=db1 sslcert=/a.pem").is_err(), "a certificate needs its key");
    }

    #[test]
    fn quoted_values_keep_spaces_and_quotes() {
        let info = ConnInfo::parse(r"host=db1 user='zhang san' password='it\'s' dbname=kam").unwrap();
        assert_eq!(info.config.get_user(), Some("zhang san"));
        assert_eq!(info.config.get_password(), Some(&b"it's"[..]));
    }

    #[test]
    fn each_tls_mode_builds_its_set_up() {
        for mode in ["disable", "prefer", "require"] {
            let info = ConnInfo::parse(&format!("host=db1 sslmode={mode}")).unwrap();
            assert!(info.tls().is_ok(), "{mode}");
        }
        let missing = ConnInfo::parse("host=db1 sslmode=verify-full sslrootcert=/nonexistent.pem").unwrap();
        assert!(missing.tls().is_err(), "a root file that is not there is an error, not no check");
    }
}
