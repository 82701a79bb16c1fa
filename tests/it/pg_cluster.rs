//! One throwaway PostgreSQL server for the whole test run, started on first
//! use: Debian's binaries (`/usr/lib/postgresql/N/bin`, or `KAM_PG_BIN`),
//! `initdb` into a temporary folder, the server listening only on a Unix
//! socket in that folder (no TCP port to clash with another run or a real
//! server). Each test takes its own database on it.
//!
//! PostgreSQL refuses to run as root, and CI runs as root: then the folder
//! is given to `nobody` and the server runs as `nobody` (std's
//! `Command::uid`/`gid`, which also drop root's supplementary groups).
//!
//! Stopping: a test binary ends without dropping statics, and may be killed.
//! So the server is started by a small shell watchdog that holds the read
//! end of a pipe whose write end only this process holds; when this process
//! is gone, for whatever reason, the pipe reaches end of file, and the
//! watchdog stops the server (immediate shutdown: the data is thrown away,
//! so no checkpoint is worth waiting for), waits for it and removes the
//! folder. It runs in its own process group, so a Ctrl-C on `cargo test`
//! reaches the test binary and not the watchdog halfway through.
//!
//! A second cluster set up otherwise (a TCP port, TLS, its own
//! `pg_hba.conf`: `tests/it/pg_tls.rs`) starts the same way from a [`Setup`].
//!
//! A test that needs PostgreSQL and cannot have it fails with the reason:
//! it never skips.
#![allow(dead_code)]

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use kam::db::engine::PgConn;

/// The server's port: only the name of its socket file, as TCP is off.
const PORT: u16 = 5432;
/// The superuser `initdb` creates.
pub const SUPERUSER: &str = "postgres";

pub struct Cluster {
    dir: PathBuf,
    port: u16,
    /// How long `initdb` and the server's start took, for the report.
    pub initdb: Duration,
    pub start: Duration,
    /// Held, never written: its closing tells the watchdog to stop.
    _lifeline: Mutex<ChildStdin>,
    next_database: AtomicUsize,
}

static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();

/// The run's cluster, started on first call; panics with the reason if it
/// cannot start.
pub fn cluster() -> &'static Cluster {
    match CLUSTER.get_or_init(|| start(&Setup::socket_only())) {
        Ok(cluster) => cluster,
        Err(why) => panic!("the PostgreSQL test cluster could not start: {why}"),
    }
}

impl Cluster {
    /// The folder holding the socket (and the data, under `data/`).
    pub fn socket_dir(&self) -> &Path {
        &self.dir
    }

    /// A libpq key-value string for `database` as `user`.
    pub fn conninfo(&self, database: &str, user: &str) -> String {
        format!("host={} port={} user={user} dbname={database}", self.dir.display(), self.port)
    }

    /// The same as a URL, the way a province would write it.
    pub fn url(&self, database: &str, user: &str) -> String {
        format!("postgresql://{user}@/{database}?host={}&port={}", self.dir.display(), self.port)
    }

    /// A superuser session on `database`.
    pub fn connect(&self, database: &str) -> PgConn {
        PgConn::connect(&self.conninfo(database, SUPERUSER))
            .unwrap_or_else(|e| panic!("connect to the test cluster's {database}: {e}"))
    }

    /// A new, empty database for one test; returns its name.
    pub fn fresh_database(&self, purpose: &str) -> String {
        let n = self.next_database.fetch_add(1, Ordering::Relaxed);
        let tag: String = purpose
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
            .take(40)
            .collect();
        let name = format!("kam_{tag}_{n}");
        self.connect("postgres")
            .batch(&format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("create database {name}: {e}"));
        name
    }

    /// A new database copied from `template` (which no session may hold).
    pub fn fresh_database_from(&self, template: &str, purpose: &str) -> String {
        let n = self.next_database.fetch_add(1, Ordering::Relaxed);
        let name = format!("kam_{purpose}_{n}");
        self.connect("postgres")
            .batch(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .unwrap_or_else(|e| panic!("create database {name} from {template}: {e}"));
        name
    }

    /// The port: the socket file's name, and the TCP port where the
    /// cluster listens on TCP (see [`Setup`]).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's main process id (first line of `postmaster.pid`).
    pub fn server_pid(&self) -> u32 {
        let pid_file = fs::read_to_string(self.dir.join("data/postmaster.pid")).expect("postmaster.pid");
        pid_file.lines().next().and_then(|l| l.trim().parse().ok()).expect("a pid")
    }
}

/// How a cluster differs from the plain one: its port, files written into
/// its data folder after `initdb` (`pg_hba.conf`, certificates and keys,
/// each given to the server's user with mode 0600), and server settings.
pub struct Setup {
    pub port: u16,
    pub files: Vec<(&'static str, Vec<u8>)>,
    /// `-c name=value` settings; the plain cluster's is `listen_addresses=`
    /// (no TCP at all).
    pub settings: Vec<String>,
}

impl Setup {
    fn socket_only() -> Setup {
        let mut settings = vec!["listen_addresses=".to_string()];
        // The test cluster trades durability for speed (its data is thrown
        // away). `KAM_PG_DURABLE=1` puts it back, for figures such as the
        // load test's that should be those of a real server; the later
        // setting wins.
        if std::env::var_os("KAM_PG_DURABLE").is_some_and(|v| v == "1") {
            settings.extend(["fsync=on", "synchronous_commit=on", "full_page_writes=on"].map(String::from));
        }
        Setup { port: PORT, files: Vec::new(), settings }
    }
}

/// Starts a throwaway cluster (the watchdog stops it and removes its folder
/// when this process ends), or says why it could not.
pub fn start(setup: &Setup) -> Result<Cluster, String> {
    let bin = server_binaries()?;
    let dir =
        tempfile::Builder::new().prefix("kam-pg-").tempdir().map_err(|e| format!("a temporary folder: {e}"))?.keep();
    let run_as = unprivileged_user()?;
    if let Some((uid, gid)) = run_as {
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid))
            .map_err(|e| format!("give {} to the unprivileged user: {e}", dir.display()))?;
    }
    let as_user = |cmd: &mut Command| {
        if let Some((uid, gid)) = run_as {
            cmd.uid(uid).gid(gid);
        }
        cmd.env("HOME", &dir).env("LC_ALL", "C.UTF-8").current_dir(&dir);
    };

    let began = Instant::now();
    let mut initdb = Command::new(bin.join("initdb"));
    initdb
        .arg("--pgdata")
        .arg(dir.join("data"))
        .args(["--username", SUPERUSER, "--auth=trust", "--encoding=UTF8"])
        // C.UTF-8 classifies CJK characters as letters, so pg_trgm makes
        // trigrams of Chinese names (under plain C it would skip them).
        .args(["--locale=C.UTF-8", "--no-sync"])
        .stdin(Stdio::null());
    as_user(&mut initdb);
    let out = initdb.output().map_err(|e| format!("run {}: {e}", bin.join("initdb").display()))?;
    if !out.status.success() {
        return Err(format!(
            "initdb failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let initdb_took = began.elapsed();
    write_files(&dir.join("data"), &setup.files, run_as)?;

    // The watchdog starts the server as its own child, so it can wait for
    // it; see the module comment for why it reads its stdin.
    let script = r#"
        postgres=$1 dir=$2 port=$3
        shift 3
        "$postgres" -D "$dir/data" -k "$dir" -p "$port" \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
             -c max_connections=200 "$@" >"$dir/server.log" 2>&1 </dev/null &
        server=$!
        cat >/dev/null
        # The shell starts the server with SIGQUIT ignored until the server
        # sets its own handler: a signal sent too early is lost, so it is
        # repeated until the server is gone.
        ( while kill -QUIT "$server" 2>/dev/null; do sleep 0.1; done ) &
        wait "$server"
        kill "$!" 2>/dev/null
        rm -rf "$dir"
    "#;
    let started = Instant::now();
    let mut watchdog = Command::new("sh");
    watchdog
        .args(["-c", script, "kam-pg-watchdog"])
        .arg(bin.join("postgres"))
        .arg(&dir)
        .arg(setup.port.to_string())
        .args(setup.settings.iter().flat_map(|s| ["-c", s.as_str()]))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0);
    as_user(&mut watchdog);
    let mut child = watchdog.spawn().map_err(|e| format!("start the server's watchdog: {e}"))?;
    let lifeline = child.stdin.take().ok_or("the watchdog's stdin")?;

    let conninfo = format!("host={} port={} user={SUPERUSER} dbname=postgres", dir.display(), setup.port);
    let deadline = started + Duration::from_secs(60);
    loop {
        match PgConn::connect(&conninfo) {
            Ok(_) => break,
            Err(e) => {
                let log = fs::read_to_string(dir.join("server.log")).unwrap_or_default();
                // Our own early knocks are refused with "starting up"; any
                // other fatal line means the server is not coming.
                let gave_up =
                    log.lines().any(|l| (l.contains("FATAL") || l.contains("PANIC")) && !l.contains("starting up"));
                if gave_up || Instant::now() > deadline {
                    return Err(format!("the server did not come up ({e}); its log:\n{log}"));
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
    let cluster = Cluster {
        dir,
        port: setup.port,
        initdb: initdb_took,
        start: started.elapsed(),
        _lifeline: Mutex::new(lifeline),
        next_database: AtomicUsize::new(0),
    };
    eprintln!(
        "PostgreSQL test cluster in {}: initdb {} ms, server ready {} ms",
        cluster.dir.display(),
        cluster.initdb.as_millis(),
        cluster.start.as_millis()
    );
    Ok(cluster)
}

/// Writes `files` into the data folder, each the server's own with mode
/// 0600 (the server refuses a key others may read, and reads it as itself).
fn write_files(data: &Path, files: &[(&str, Vec<u8>)], run_as: Option<(u32, u32)>) -> Result<(), String> {
    for (name, contents) in files {
        let path = data.join(name);
        fs::write(&path, contents).map_err(|e| format!("write {}: {e}", path.display()))?;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("mode 0600 on {}: {e}", path.display()))?;
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(&path, Some(uid), Some(gid))
                .map_err(|e| format!("give {} to the unprivileged user: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// The folder with `initdb` and `postgres`: `KAM_PG_BIN`, else the newest
/// of Debian's `/usr/lib/postgresql/N/bin`.
fn server_binaries() -> Result<PathBuf, String> {
    if let Some(bin) = std::env::var_os("KAM_PG_BIN") {
        let bin = PathBuf::from(bin);
        return if bin.join("initdb").is_file() {
            Ok(bin)
        } else {
            Err(format!("KAM_PG_BIN={} has no initdb", bin.display()))
        };
    }
    let newest = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .max();
    newest.map(|(_, bin)| bin).ok_or_else(|| {
        "no PostgreSQL server binaries (looked for /usr/lib/postgresql/*/bin/initdb). \
         Install them with `apt-get install postgresql postgresql-contrib` (.ci/run does), \
         or point KAM_PG_BIN at a folder holding initdb and postgres"
            .to_string()
    })
}

/// `None` when this process is not root; else the uid and gid of `nobody`.
fn unprivileged_user() -> Result<Option<(u32, u32)>, String> {
    // /proc/self belongs to the process's effective user.
    let me = fs::metadata("/proc/self").map_err(|e| format!("who am I (/proc/self): {e}"))?;
    if me.uid() != 0 {
        return Ok(None);
    }
    let passwd = fs::read_to_string("/etc/passwd").map_err(|e| format!("/etc/passwd: {e}"))?;
    passwd
        .lines()
        .find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            match fields.as_slice() {
                ["nobody", _, uid, gid, ..] => Some((uid.parse().ok()?, gid.parse().ok()?)),
                _ => None,
            }
        })
        .map(Some)
        .ok_or_else(|| "running as root, and there is no user nobody to run PostgreSQL as".into())
}
