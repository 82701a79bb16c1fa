//! The integration tests, one binary: linking 28 test binaries took most of a
//! fresh `cargo test`.

mod common;
mod pg_cluster;
mod support;
mod support_load;

mod accounts;

mod access;
mod analysis_screens;
mod cli_commands;
mod cli_setup;
mod complaint_unsatisfied;
mod complaints_screens;
mod db_complaints;
mod db_demo;
mod db_marketing;
mod db_revenue;
mod db_setup;
mod db_store;
mod db_visits;
mod decisions;
mod faults;
mod flows;
mod forms_flows;
mod history_changes;
mod hostile;
mod hostile_render;
mod ics_export;
mod identity;
mod import;
mod load;
mod log_screens;
mod own_files;
mod perf;
mod pg_engine;
mod pg_schema;
mod pty_e2e;
mod pty_speed;
mod qa_walk;
mod report_export;
mod revenue_screens;
mod screens;
mod setup_screens;
mod shared_server;
mod tables;
mod tamper;
mod terminal_colours;
mod text_i18n;
mod today_screens;
mod upgrade;
mod user_files;
mod visits_screens;
mod wide_screens;
