//! Issue 14: a guarded installation on a shared server, for real. As root
//! (CI is), it makes an account manager's account and a group, runs `kam
//! setup-shared` into a temporary folder, and shows that the manager's
//! `sqlite3` cannot open the database while the installed kam works for them,
//! and that what kam writes for them (an export) is theirs, not the group's.
//! Users, group and the system configuration it made are removed afterwards.

use crate::accounts::{TestUser, as_user, primary_group, require_root, run};

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const KAM: &str = env!("CARGO_BIN_EXE_kam");
const SYSTEM_CONFIG: &str = kam::startup::SYSTEM_CONFIG;

/// One test at a time may own /etc/kam/config.toml (also across test
/// processes on one machine): a lock folder, and the configuration found
/// there put back as it was.
struct SystemConfigLock {
    lock: PathBuf,
    saved: Option<Vec<u8>>,
    made_folder: bool,
}

impl SystemConfigLock {
    fn take() -> SystemConfigLock {
        let lock = PathBuf::from("/tmp/kam-system-config.lock");
        let start = Instant::now();
        while std::fs::create_dir(&lock).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(300),
                "{} held for five minutes: remove it if no kam test is running",
                lock.display()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        let folder = Path::new(SYSTEM_CONFIG).parent().unwrap();
        SystemConfigLock { lock, saved: std::fs::read(SYSTEM_CONFIG).ok(), made_folder: !folder.exists() }
    }
}

impl Drop for SystemConfigLock {
    fn drop(&mut self) {
        match &self.saved {
            Some(bytes) => {
                let _ = std::fs::write(SYSTEM_CONFIG, bytes);
            }
            None => {
                let _ = std::fs::remove_file(SYSTEM_CONFIG);
                if self.made_folder {
                    let _ = std::fs::remove_dir(Path::new(SYSTEM_CONFIG).parent().unwrap());
                }
            }
        }
        let _ = std::fs::remove_dir(&self.lock);
    }
}

/// The group setup-shared makes, removed afterwards.
struct TestGroup(String);

impl Drop for TestGroup {
    fn drop(&mut self) {
        let _ = Command::new("groupdel").arg(&self.0).output();
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().mode() & 0o7777
}

fn group_of(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().gid()
}

fn gid_of_group(name: &str) -> u32 {
    nix::unistd::Group::from_name(name).unwrap().unwrap_or_else(|| panic!("no group {name}")).gid.as_raw()
}

/// Root's kam (the installed one, or the test build for setting up).
fn root(program: &Path, args: &[&str]) -> (bool, String, String) {
    let mut cmd = Command::new(program);
    cmd.args(args).env_remove("KAM_DB").env_remove("KAM_USER").env("KAM_CONFIG", "/nonexistent/kam.toml");
    run(&mut cmd)
}

#[test]
fn a_guarded_installation_opens_the_database_only_through_kam() {
    if !require_root("makes accounts and a group, installs kam set-group-id and writes /etc/kam/config.toml") {
        return;
    }
    let _config = SystemConfigLock::take();
    let manager = TestUser::new("kamm");
    let group = TestGroup(format!("kamg{}", std::process::id()));
    let _ = Command::new("groupdel").arg(&group.0).output();

    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let folder = dir.path().join("srv");
    let db = folder.join("kam.db");
    let installed = dir.path().join("bin").join("kam");
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    std::os::unix::fs::chown(
        &home,
        Some(nix::unistd::User::from_name(&manager.name).unwrap().unwrap().uid.as_raw()),
        Some(primary_group(&manager.name)),
    )
    .unwrap();
    let db_arg = db.to_str().unwrap();
    let setup =
        ["--lang", "en", "--db", db_arg, "setup-shared", "--group", &group.0, "--install", installed.to_str().unwrap()];

    // Not for anyone but root.
    let (ok, _, err) = run(&mut as_user(&manager.name, &home, Path::new(KAM), &setup));
    assert!(!ok && err.contains("kam setup-shared must run as root"), "{err}");

    // Each step, said; the database is made by init afterwards.
    let (ok, out, err) = root(Path::new(KAM), &setup);
    assert!(ok, "{err}");
    println!("{out}");
    for step in [
        format!("group {}: created", group.0),
        format!("folder {}: created (2770 root:{})", folder.display(), group.0),
        "No database yet".to_string(),
        format!("system configuration {SYSTEM_CONFIG}: "),
        format!("program {}: created (2755 root:{})", installed.display(), group.0),
    ] {
        assert!(out.contains(&step), "{step}: {out}");
    }
    let gid = gid_of_group(&group.0);
    let init = ["--user", "guanli", "init", "--unit-name", "广州市邮政局大客户中心", "--division", "440100"];
    let (ok, _, err) = root(&installed, &[&init[..], &["--name", "管理员", "--unit-code", "GZ"]].concat());
    assert!(ok, "{err}");
    let add = ["--user", "guanli", "staff", "add", "--login", &manager.name, "--name", "张伟", "--unit", "GZ"];
    let (ok, _, err) = root(&installed, &[&add[..], &["--role", "manager"]].concat());
    assert!(ok, "{err}");
    // Again: idempotent, and now the file is in place too.
    let (ok, out, err) = root(Path::new(KAM), &setup);
    assert!(ok, "{err}");
    assert!(out.contains(&format!("file {}: already in place (660 root:{})", db.display(), group.0)), "{out}");
    assert_eq!(out.matches(": already in place").count(), 5, "{out}");
    assert_eq!((mode(&folder), group_of(&folder)), (0o2770, gid));
    assert_eq!((mode(&db), group_of(&db), std::fs::metadata(&db).unwrap().uid()), (0o660, gid, 0));
    assert_eq!((mode(&installed), group_of(&installed)), (0o2755, gid));
    assert_eq!(std::fs::read_to_string(SYSTEM_CONFIG).unwrap(), format!("db = \"{}\"\n", db.display()));

    only_kam_opens_the_file(&manager.name, &home, &installed, &db);
    let kam_as_manager = |args: &[&str]| as_user(&manager.name, &home, &installed, &[&["--lang", "en"], args].concat());

    // SQLite makes the -wal and -shm files as whoever opens the database first,
    // with the database file's mode whatever their umask; another manager's kam
    // opens them through the group all the same.
    let colleague = TestUser::new("kamn");
    let add = ["--user", "guanli", "staff", "add", "--login", &colleague.name, "--name", "李娜", "--unit", "GZ"];
    let (ok, _, err) = root(&installed, &[&add[..], &["--role", "manager"]].concat());
    assert!(ok, "{err}");
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", db.display()));
    }
    let strict = ["-c", "umask 077; exec \"$0\" \"$@\"", installed.to_str().unwrap(), "--lang", "en", "whoami"];
    let (ok, _, err) = run(&mut as_user(&manager.name, &home, Path::new("sh"), &strict));
    assert!(ok, "{err}");
    for side in ["-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{side}", db.display()));
        assert_eq!((mode(&file), group_of(&file)), (0o660, gid), "{}", file.display());
    }
    let (ok, out, err) = run(&mut as_user(&colleague.name, &home, &installed, &["--lang", "en", "whoami"]));
    assert!(ok && out.contains("Name      李娜"), "{out}{err}");

    // The interface, as the manager: both connections (the main one and the
    // reader thread's) hold the database and its -wal and -shm open, and the
    // process has given the group up for good.
    interface_as(&manager.name, &home, &installed, &db);

    // What kam writes for the manager is theirs: their owner and group, not kam's.
    let export = home.join("customers.csv");
    let (ok, _, err) =
        run(&mut kam_as_manager(&["export", "customers", "--format", "csv", "-o", export.to_str().unwrap()]));
    assert!(ok, "{err}");
    let meta = std::fs::metadata(&export).unwrap();
    assert_eq!(meta.gid(), primary_group(&manager.name), "the export belongs to the manager's group");
    assert_ne!(meta.gid(), gid);
    // It cannot be aimed into the database's folder: kam has given the group up by then.
    let inside = folder.join("export.csv");
    let (ok, _, _) =
        run(&mut kam_as_manager(&["export", "customers", "--format", "csv", "-o", inside.to_str().unwrap()]));
    assert!(!ok && !inside.exists(), "an export into the shared folder");

    // Nothing that would hand the file away.
    let staff_before = count_staff(&installed);
    let (ok, _, err) = run(&mut kam_as_manager(&["--db", db_arg, "demo", "--force", "--customers", "5"]));
    assert!(!ok && err.contains("is the shared database: a demo never replaces it"), "{err}");
    let (ok, _, err) = run(&mut kam_as_manager(&["backup", home.join("copy.db").to_str().unwrap()]));
    assert!(!ok && err.contains("only root or an administrator makes backups"), "{err}");
    assert!(!home.join("copy.db").exists());
    let (ok, _, err) = root(&installed, &["--lang", "en", "backup", "/tmp/kam-guarded-copy.db"]);
    assert!(!ok && err.contains("Other users can read or write the folder"), "{err}");
    assert_eq!(count_staff(&installed), staff_before, "the database is as it was");
    let _ = std::fs::remove_file(&export);
}

/// Of the manager's programs, only the installed kam opens the shared
/// database, as them; whatever they name (another database, another name for
/// the file, a configuration, an import) keeps the manager's own rights.
fn only_kam_opens_the_file(manager: &str, home: &Path, installed: &Path, db: &Path) {
    let db_arg = db.to_str().unwrap();
    let folder = db.parent().unwrap();
    // The manager's own tools cannot open the file …
    let (ok, _, err) = run(&mut as_user(manager, home, Path::new("sqlite3"), &[db_arg, "SELECT count(*) FROM staff"]));
    assert!(!ok && err.contains("unable to open database"), "sqlite3 opened it: {err}");
    let (ok, _, err) = run(&mut as_user(manager, home, Path::new("cat"), &[db_arg]));
    assert!(!ok && err.contains("Permission denied"), "{err}");
    // … the installed kam can, as them, and nobody else.
    let kam_as_manager = |args: &[&str]| as_user(manager, home, installed, &[&["--lang", "en"], args].concat());
    let (ok, out, err) = run(&mut kam_as_manager(&["whoami"]));
    assert!(ok, "{err}");
    assert!(out.starts_with(&format!("Login     {}\nName      张伟\nRole      Account manager\n", manager)), "{out}");
    assert!(out.contains(&format!("Database  {}", db.display())), "{out}");
    assert!(out.contains("Guarded installation: the database opens only through kam"), "{out}");
    let (ok, _, err) = run(&mut kam_as_manager(&["--user", "guanli", "whoami"]));
    assert!(!ok && err.contains(&format!("--user is only for demo databases; you are signed in as {}", manager)));
    // KAM_DB is the user's to set: it does not move kam off the shared database.
    let (ok, out, err) = run(kam_as_manager(&["whoami"]).env("KAM_DB", home.join("elsewhere.db")));
    assert!(ok && out.contains(&format!("Database  {}", db.display())), "{out}{err}");
    // Nor does a configuration's `db =`, named with KAM_CONFIG or --config.
    let theirs = home.join("mine.toml");
    std::fs::write(&theirs, format!("db = \"{}\"\n", home.join("elsewhere.db").display())).unwrap();
    let (ok, out, err) = run(kam_as_manager(&["whoami"]).env("KAM_CONFIG", &theirs));
    assert!(ok && out.contains(&format!("Database  {}", db.display())), "{out}{err}");
    let (ok, out, err) = run(&mut kam_as_manager(&["--config", theirs.to_str().unwrap(), "whoami"]));
    assert!(ok && out.contains(&format!("Database  {}", db.display())), "{out}{err}");
    // Only the path the system configuration names gets the group's rights: the
    // same file by another name is opened with the manager's own, and refused.
    let other_name = folder.join("..").join("srv").join("kam.db");
    let (ok, _, err) = run(&mut kam_as_manager(&["--db", other_name.to_str().unwrap(), "whoami"]));
    assert!(!ok && err.contains("Permission denied"), "{err}");
    // What the manager names to be read, kam reads with the manager's rights:
    // neither a configuration nor an import file can be the database.
    let (ok, _, err) = run(&mut kam_as_manager(&["--config", db_arg, "whoami"]));
    assert!(!ok && err.contains("Permission denied"), "{err}");
    let (ok, _, err) = run(&mut kam_as_manager(&["import", "customers", db_arg]));
    assert!(!ok && err.contains("Permission denied"), "{err}");
}

/// Runs the interface in a pseudo-terminal as `user` and looks at the process.
fn interface_as(user: &str, home: &Path, installed: &Path, db: &Path) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::{Read, Write};
    use std::sync::{Arc, Mutex};
    let pty = native_pty_system().openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 }).unwrap();
    let mut cmd = CommandBuilder::new("setpriv");
    cmd.args([format!("--reuid={user}"), format!("--regid={}", primary_group(user)), "--init-groups".into()]);
    cmd.arg("--");
    cmd.arg(installed);
    cmd.env("HOME", home);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("KAM_DB");
    cmd.env_remove("XDG_CONFIG_HOME");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let screen = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
    let mut reader = pty.master.try_clone_reader().unwrap();
    let sink = Arc::clone(&screen);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().process(&buf[..n]);
        }
    });
    let mut writer = pty.master.take_writer().unwrap();
    let start = Instant::now();
    // The status bar names the manager; a search runs on the reader thread.
    while !screen.lock().unwrap().screen().contents().contains("张伟 · 客户经理") {
        assert!(start.elapsed() < Duration::from_secs(20), "{}", screen.lock().unwrap().screen().contents());
        std::thread::sleep(Duration::from_millis(50));
    }
    writer.write_all(b"2/zz").unwrap();
    writer.flush().unwrap();
    while !screen.lock().unwrap().screen().contents().contains("zz") {
        assert!(start.elapsed() < Duration::from_secs(20), "{}", screen.lock().unwrap().screen().contents());
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    let pid = child.process_id().expect("the interface's process");
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let gid = primary_group(user);
    let gids = status.lines().find(|l| l.starts_with("Gid:")).unwrap().to_string();
    assert_eq!(gids.split_whitespace().skip(1).collect::<Vec<_>>(), vec![gid.to_string(); 4], "{gids}");
    let open: Vec<(PathBuf, String)> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|e| {
            let fd = e.ok()?.path();
            let target = std::fs::read_link(&fd).ok()?.display().to_string();
            Some((fd, target))
        })
        .collect();
    let count = |name: String| open.iter().filter(|(_, p)| **p == name).count();
    assert_eq!(count(db.display().to_string()), 2, "the main and the reader's connection: {open:?}");
    assert!(count(format!("{}-wal", db.display())) >= 1, "{open:?}");
    assert!(count(format!("{}-shm", db.display())) >= 1, "{open:?}");
    // Its user cannot reach those descriptors: a set-group-id process is not
    // dumpable, so /proc/PID/fd is root's (and giving the group up later does
    // not make it dumpable again), and neither can a debugger attach.
    let (fd, _) = open.iter().find(|(_, p)| *p == db.display().to_string()).unwrap();
    let fd = fd.to_str().unwrap();
    let (ok, _, err) = run(&mut as_user(user, home, Path::new("ls"), &[&format!("/proc/{pid}/fd")]));
    assert!(!ok, "the manager lists the interface's descriptors: {err}");
    let (ok, _, err) = run(&mut as_user(user, home, Path::new("sqlite3"), &[fd, "SELECT count(*) FROM staff"]));
    assert!(!ok, "the manager's sqlite3 opened the database through {fd}: {err}");
    let (ok, _, err) = run(&mut as_user(user, home, Path::new("cat"), &[fd]));
    assert!(!ok && err.contains("Permission denied"), "{err}");
    writer.write_all(b"\x1b").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    writer.write_all(b"q").unwrap();
    writer.flush().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "the interface quit cleanly: {}", screen.lock().unwrap().screen().contents());
    drop(pty.master);
}

fn count_staff(installed: &Path) -> usize {
    let (ok, out, err) = root(installed, &["--user", "guanli", "staff"]);
    assert!(ok, "{err}");
    out.lines().count()
}
