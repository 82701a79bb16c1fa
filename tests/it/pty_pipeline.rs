//! The development pipeline through the real binary in a pseudo-terminal
//! (issue 18, SPEC §13.5): opened with P from the customer list, a prospect
//! at the survey advanced with a and y, then seen at the segmentation.

use crate::pty_e2e::{Session, demo};

#[test]
fn a_prospect_is_advanced_from_the_pipeline_screen() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = demo(dir.path());
    let mut s = Session::start(dir.path(), &["--db", db.to_str().unwrap(), "--user", "zhuguan", "--lang", "en"]);
    s.wait_for("Today's visits");
    s.send("2");
    s.wait_for("Customers");
    s.send("P");
    let opened = s.wait_for("Development pipeline");
    assert!(opened.contains("1 Survey") && opened.contains("Total"), "{opened}");
    // The survey's prospects only; the first one moves on.
    s.send("f");
    s.wait_for("Development pipeline › 1 Survey");
    s.send("a");
    let asked = s.wait_for("(y/n)");
    let question = asked.lines().find(|l| l.contains("Move ")).unwrap_or_default();
    let name = question
        .split("Move ")
        .nth(1)
        .and_then(|rest| rest.split(" from 1 Survey").next())
        .unwrap_or_default()
        .trim_start_matches(['│', '|', ' '])
        .to_string();
    assert!(!name.is_empty() && question.contains("to 2 Segmentation"), "{asked}");
    s.send("y");
    s.wait_for(&format!("{name} moved to 2 Segmentation"));
    // It stands at the segmentation now.
    s.send("f");
    let moved = s.wait_for("Development pipeline › 2 Segmentation");
    assert!(moved.lines().any(|l| l.contains(&name) && l.contains("2 Segmentation")), "{moved}");
    s.send("q");
    assert!(s.wait_exit());
}
