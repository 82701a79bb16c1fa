//! Running kam as another system account: the identity and shared-server
//! tests need a caller who is neither root nor the database file's owner.
//! They need root to switch accounts (CI runs as root). Elsewhere they fail,
//! loudly, unless `KAM_SKIP_ROOT_TESTS=1` says on purpose that they are not to
//! run: a suite that passes without having run them would claim what it has
//! not shown, and CI (root, without the variable) can never skip them.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The variable that lets a run without root skip the tests that need it.
const SKIP: &str = "KAM_SKIP_ROOT_TESTS";

/// True when the test may go on (it runs as root); false when it is not to run
/// (not root, and `KAM_SKIP_ROOT_TESTS=1`: the test returns, and says so on
/// stderr). Otherwise the test fails, saying why.
#[must_use]
pub fn require_root(what: &str) -> bool {
    if nix::unistd::Uid::current().is_root() {
        return true;
    }
    let test = std::thread::current().name().unwrap_or("").to_string();
    if std::env::var(SKIP).is_ok_and(|v| v == "1") {
        eprintln!("SKIPPED ({SKIP}=1): {test} {what}, which needs root");
        return false;
    }
    panic!(
        "NOT RUN: this test {what}, which needs root (CI runs the tests as root). Run it as root \
         (sudo -E cargo test --test it {test}), or set {SKIP}=1 to skip it on purpose"
    );
}

/// `program args…` as `user` (no supplementary groups but the account's own),
/// with HOME set to `home`: the environment is otherwise the test's.
pub fn as_user(user: &str, home: &Path, program: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("setpriv");
    cmd.arg(format!("--reuid={user}"))
        .arg(format!("--regid={}", primary_group(user)))
        .arg("--init-groups")
        .arg("--")
        .arg(program)
        .args(args)
        .env("HOME", home)
        .env_remove("KAM_DB")
        .env_remove("KAM_USER")
        .env_remove("KAM_CONFIG");
    cmd
}

/// The account's primary group id.
pub fn primary_group(user: &str) -> u32 {
    nix::unistd::User::from_name(user)
        .expect("the user database")
        .unwrap_or_else(|| panic!("no account {user}"))
        .gid
        .as_raw()
}

pub fn run(cmd: &mut Command) -> (bool, String, String) {
    let out: Output = cmd.output().unwrap_or_else(|e| panic!("{cmd:?} does not start: {e}"));
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// A system account made for a test (with a group of its own name) and
/// removed when dropped.
pub struct TestUser {
    pub name: String,
}

impl TestUser {
    pub fn new(prefix: &str) -> TestUser {
        let name = format!("{prefix}{}", std::process::id());
        // A leftover of an interrupted run would make useradd fail.
        let _ = Command::new("userdel").arg(&name).output();
        let _ = Command::new("groupdel").arg(&name).output();
        let (ok, _, err) = run(Command::new("useradd")
            .args(["--no-create-home", "--user-group", "--shell", "/usr/sbin/nologin"])
            .arg(&name));
        assert!(ok, "useradd {name}: {err}");
        TestUser { name }
    }
}

impl Drop for TestUser {
    fn drop(&mut self) {
        let _ = Command::new("userdel").arg(&self.name).output();
        let _ = Command::new("groupdel").arg(&self.name).output();
    }
}

/// Opens `path` to everyone: the folders to its root are traversable and
/// the file (and folder itself) read- and writable, so that another account
/// can reach a file root made, without owning it.
pub fn open_to_all(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        }
    }
}

/// SHA-256 of a file, hex.
pub fn digest(path: &Path) -> String {
    use sha2::Digest;
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect()
}
