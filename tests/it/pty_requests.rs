//! A service request from receipt to done through the real binary in a
//! pseudo-terminal (issue 18, SPEC §9): received as a special case, refused
//! to start before the phone call, phoned, started and finished with its
//! result, every step on the timeline.

use crate::pty_e2e::{CTRL_S, ENTER, Session, TAB, demo};

const RIGHT: &str = "\x1b[C";

#[test]
fn a_special_service_request_from_receipt_to_done() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = demo(dir.path());
    let mut s = Session::start(dir.path(), &["--db", db.to_str().unwrap(), "--user", "jingli01", "--lang", "en"]);
    s.wait_for("Today's visits");
    s.send("8");
    s.wait_for("Service requests");
    s.send("n");
    s.wait_for("Receive a service request");
    s.send("电信帐务中心");
    s.send(ENTER);
    s.wait_for("from the address: city");
    s.send(TAB);
    s.send(TAB);
    s.send("Ms Lin");
    for _ in 0..3 {
        s.send(TAB);
    }
    s.send("Check 300 parcels at the warehouse");
    for _ in 0..3 {
        s.send(TAB);
    }
    // A special case, with its reason.
    s.send(RIGHT);
    s.send(TAB);
    s.send("Warehouse out of town: call first");
    s.send(CTRL_S);
    let received = s.wait_for("received");
    assert!(received.contains("Service request FW2026-"), "{received}");
    // Narrow the list to the new one and open it.
    s.send("/");
    s.send("300 parcels");
    s.send(ENTER);
    s.wait_for("Search:");
    s.send(ENTER);
    s.wait_for("Special case: Warehouse out of town: call first");
    // Starting before the phone call is refused, with the reason.
    s.send("s");
    s.wait_for_words("record the phone contact first");
    s.send("c");
    s.wait_for("record the phone contact · FW2026-");
    s.send("Agreed Wednesday 10:00 with Ms Lin");
    s.send(CTRL_S);
    s.wait_for("customer phoned · Agreed Wednesday 10:00 with Ms Lin");
    s.send("s");
    s.wait_for("start · FW2026-");
    s.send(CTRL_S);
    s.wait_for(": in progress");
    s.send("d");
    s.wait_for("finish · FW2026-");
    s.send("Checked and collected 300 parcels");
    s.send(CTRL_S);
    let done = s.wait_for(": done");
    assert!(done.contains("Result: Checked and collected 300 parcels"), "{done}");
    assert!(done.contains("met"), "done the day it came in: {done}");
    for step in ["received", "customer phoned", "started", "done"] {
        assert!(done.contains(step), "{step} on the timeline: {done}");
    }
    s.send("q");
    assert!(s.wait_exit());
}
