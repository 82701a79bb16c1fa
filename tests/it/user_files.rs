//! A user's key bindings and theme files, through the real binary: a name kam
//! does not know (a mode, a key, a slot) refuses the start with a message
//! that names the file, the unknown name and the names kam knows, in the
//! user's language, instead of the binding or colour being silently ignored.

use std::path::Path;
use std::process::Command;

const KAM: &str = env!("CARGO_BIN_EXE_kam");

/// Runs kam with `args`, its configuration directory under `home`, on a
/// database that does not exist: (succeeded, stderr).
fn start(home: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(KAM)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("KAM_DB")
        .env_remove("KAM_USER")
        .env_remove("KAM_CONFIG")
        .arg("--db")
        .arg(home.join("none.db"))
        .args(args)
        .output()
        .expect("run kam");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_keys_file_with_an_unknown_mode_or_key_is_refused_at_start() {
    let home = tempfile::TempDir::new().unwrap();
    let keys = home.path().join("config").join("kam").join("keys.toml");
    let shown = keys.display().to_string();

    // A well-formed file is taken: kam goes on, to the missing database.
    write(&keys, "[list]\nF = \"search\"\n");
    let (ok, err) = start(home.path(), &[]);
    assert!(!ok && err.contains("开始使用"), "{err}");

    write(&keys, "# my keys\n[lst]\nF = \"search\"\n");
    let (ok, err) = start(home.path(), &[]);
    assert!(!ok, "{err}");
    for said in [shown.as_str(), "第 2 行", "[lst]", "可用的模式", "list、calendar", "log_entry"] {
        assert!(err.contains(said), "missing {said:?}: {err}");
    }
    assert!(!err.contains("开始使用"), "refused before the database: {err}");

    let (ok, err) = start(home.path(), &["--lang", "en"]);
    assert!(!ok, "{err}");
    for said in [shown.as_str(), "line 2", "there is no mode [lst]", "The modes are: global, today, list"] {
        assert!(err.contains(said), "missing {said:?}: {err}");
    }

    write(&keys, "[list]\nctrl-q-x = \"quit\"\n");
    let (ok, err) = start(home.path(), &["--lang", "en"]);
    assert!(!ok, "{err}");
    for said in [shown.as_str(), "line 2", "in [list], \"ctrl-q-x\" is not a key", "pagedown"] {
        assert!(err.contains(said), "missing {said:?}: {err}");
    }

    write(&keys, "[list]\nF = \"serch\"\n");
    let (ok, err) = start(home.path(), &[]);
    assert!(!ok, "{err}");
    for said in [shown.as_str(), "未知命令“serch”", "search"] {
        assert!(err.contains(said), "missing {said:?}: {err}");
    }
}

#[test]
fn a_theme_with_an_unknown_slot_is_refused_at_start() {
    let home = tempfile::TempDir::new().unwrap();
    let theme = home.path().join("config").join("kam").join("themes").join("mine.toml");
    let shown = theme.display().to_string();

    write(&theme, "[slots]\nbase = { fg = \"white\" }\n\"tier.gold\" = { fg = \"yellow\" }\n");
    let (ok, err) = start(home.path(), &["--theme", "mine"]);
    assert!(!ok && err.contains("开始使用"), "a good theme is taken: {err}");

    write(&theme, "[slots]\nbase = { fg = \"white\" }\n\"tier.gld\" = { fg = \"yellow\" }\n");
    let (ok, err) = start(home.path(), &["--theme", "mine"]);
    assert!(!ok, "{err}");
    for said in [shown.as_str(), "第 3 行", "“tier.gld”", "可用的槽", "tier.gold"] {
        assert!(err.contains(said), "missing {said:?}: {err}");
    }
    let (ok, err) = start(home.path(), &["--theme", "mine", "--lang", "en"]);
    assert!(!ok, "{err}");
    for said in [shown.as_str(), "line 3", "there is no slot \"tier.gld\"", "The slots are: base, muted"] {
        assert!(err.contains(said), "missing {said:?}: {err}");
    }

    let (ok, err) = start(home.path(), &["--theme", "neon", "--lang", "en"]);
    assert!(!ok && err.contains("There is no theme \"neon\""), "{err}");
}
