//! The storage tests on PostgreSQL too: one suite, two engines. `cargo test`
//! runs every test on SQLite; this test runs the storage tests again in a
//! child of this same test binary with `KAM_TEST_ENGINE=postgres`, where
//! `common::TestDb` gives each test a fresh database on the run's throwaway
//! cluster instead of a file. The child fails loudly if the cluster cannot
//! start (`pg_cluster`), and this test fails with the child's failures.

use std::process::Command;

use crate::common::on_postgres;

/// The storage tests, by module: every test in them runs on both engines
/// except those in [`SQLITE_ONLY`].
const STORAGE: &[&str] = &[
    "db_store::",
    "db_visits::",
    "db_marketing::",
    "db_complaints::",
    "db_revenue::",
    "db_analysis_report::",
    "db_analysis_sums::",
    "db_period::",
    "db_unit_revenue_import::",
    "db_setup::",
    "access::",
    "decisions::",
    "history_changes::",
    "complaint_unsatisfied::",
    "complaint_roles::",
    "role_holes::",
    "ledger_status::",
    "db_volume::",
    "db_visit_import::",
    "db_log_import::",
    "db_appraisal::",
    "db_goals::",
    "db_pipeline::",
    "db_plans::",
    "db_cold_start::",
    "appraisal_frozen::",
    "db_requests::",
    "db_contracts::",
    "db_search_short::",
];

/// Tests of what only a file has: its mode, its header, its schema steps
/// from older kams (PostgreSQL's own are in `pg_schema`, `pg_access`).
const SQLITE_ONLY: &[&str] = &[
    "db_store::database_file_is_private_to_its_owner",
    "db_store::fresh_file_is_migrated_to_the_current_schema",
    "db_store::reopening_a_current_file_changes_nothing",
    "db_setup::a_file_from_before_the_set_up_is_upgraded",
    // A file a newer kam wrote: its user_version and application id.
    "db_store::a_newer_schema_is_refused_and_left_untouched",
    // Each of its ~200 cases runs on a raw copy of the office's file, and
    // "nothing written" is the connection's total_changes(), counting even
    // what a refused write rolled back: both SQLite's.
    "complaint_roles::every_complaint_step_under_every_role_follows_spec_8",
    // The day a customer was archived is the history's: the writer's on a
    // file, the server's clock on PostgreSQL (a test cannot date it earlier).
    "db_goals::a_customer_archived_before_the_period_is_not_counted_at_its_start",
];

/// At least this many tests must run on PostgreSQL: a filter that matched
/// nothing would otherwise pass.
const AT_LEAST: usize = 100;

#[test]
fn the_storage_tests_pass_on_postgresql_too() {
    assert!(!on_postgres(), "run by the SQLite pass only: the child is filtered to the storage tests");
    let exe = std::env::current_exe().expect("this test binary");
    let mut child = Command::new(exe);
    child.env("KAM_TEST_ENGINE", "postgres").args(STORAGE);
    for skip in SQLITE_ONLY {
        child.args(["--skip", skip]);
    }
    let out = child.output().expect("run the storage tests on PostgreSQL");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let failed: Vec<&str> = stdout.lines().filter(|l| l.ends_with("FAILED") && l.starts_with("test ")).collect();
    assert!(
        out.status.success(),
        "storage tests failed on PostgreSQL:\n{}\n\n{}",
        failed.join("\n"),
        String::from_utf8_lossy(&out.stderr).lines().rev().take(40).collect::<Vec<_>>().join("\n")
    );
    let passed = stdout
        .lines()
        .find_map(|l| l.strip_prefix("test result: ok. ")?.split(' ').next()?.parse::<usize>().ok())
        .expect("the child's summary");
    println!("{passed} storage tests passed on PostgreSQL");
    assert!(passed >= AT_LEAST, "only {passed} storage tests ran on PostgreSQL");
}
