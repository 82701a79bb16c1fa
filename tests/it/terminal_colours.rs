//! The colours kam sends, as bytes, in a pseudo-terminal announcing itself in
//! different ways: 24-bit only where the terminal says it shows them, the 256
//! palette on a 256-colour terminal, the 16 ANSI colours with their own codes
//! everywhere else, and none under NO_COLOR.

use std::io::Read;
use std::path::Path;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const KAM: &str = env!("CARGO_BIN_EXE_kam");

/// Everything kam writes while drawing its first frame and leaving.
fn first_frame(dir: &Path, db: &Path, env: &[(&str, &str)], args: &[&str]) -> String {
    let pty = native_pty_system().openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 }).unwrap();
    let mut cmd = CommandBuilder::new(KAM);
    cmd.args(["--db", db.to_str().unwrap(), "--user", "jingli01", "--first-frame-exit"]);
    cmd.args(args);
    cmd.env("HOME", dir);
    cmd.env("XDG_CONFIG_HOME", dir.join("config"));
    cmd.env_remove("COLORTERM");
    cmd.env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let reading = std::thread::spawn(move || {
        let mut out = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out
    });
    assert!(child.wait().unwrap().success());
    drop(pty.master);
    String::from_utf8_lossy(&reading.join().unwrap()).into_owned()
}

/// The colour parameters of every SGR sequence written.
fn sgr_params(out: &str) -> Vec<String> {
    out.split("\x1b[")
        .skip(1)
        .filter_map(|s| s.split_once('m').map(|(p, _)| p))
        .filter(|p| p.chars().all(|c| c.is_ascii_digit() || c == ';'))
        .map(String::from)
        .collect()
}

#[test]
fn colours_follow_what_the_terminal_shows() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("kam.db");
    let made = std::process::Command::new(KAM).args(["demo", "--customers", "30", "--db"]).arg(&db).output().unwrap();
    assert!(made.status.success());

    for (env, args, truecolour, indexed) in [
        (vec![("TERM", "xterm")], vec![], false, false),
        (vec![("TERM", "vt100")], vec![], false, false),
        (vec![("TERM", "xterm-256color")], vec![], false, true),
        (vec![("TERM", "xterm-256color"), ("COLORTERM", "truecolor")], vec![], true, false),
        (vec![("TERM", "xterm-256color"), ("COLORTERM", "truecolor")], vec!["--theme", "basic16"], false, false),
        (vec![("TERM", "xterm-256color"), ("COLORTERM", "truecolor"), ("NO_COLOR", "1")], vec![], false, false),
    ] {
        let out = first_frame(dir.path(), &db, &env, &args);
        let params = sgr_params(&out);
        assert!(params.len() > 5, "{env:?}: {out:?}");
        let has = |code: &str| {
            params.iter().any(|p| p.split(';').collect::<Vec<_>>().windows(2).any(|w| w.join(";") == code))
        };
        let rgb = has("38;2") || has("48;2");
        let palette = has("38;5") || has("48;5");
        assert_eq!(rgb, truecolour, "{env:?} {args:?}: 24-bit colour");
        assert_eq!(palette, indexed, "{env:?} {args:?}: 256-colour codes");
        if !truecolour && !indexed {
            // Only the 16: 30–37, 90–97 and their backgrounds (or none at all).
            for p in &params {
                for code in p.split(';').filter_map(|c| c.parse::<u16>().ok()) {
                    assert!(matches!(code, 0..=9 | 30..=37 | 39..=47 | 49 | 90..=97 | 100..=107), "{env:?}: {p}");
                }
            }
        }
        if env.iter().any(|(k, _)| *k == "NO_COLOR") {
            for p in &params {
                assert!(p.split(';').all(|c| c.parse::<u16>().is_ok_and(|c| c < 30)), "NO_COLOR: {p}");
            }
        }
    }
}
