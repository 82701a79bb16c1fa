use clap::Parser;
use kam::db::StorageFault;

fn main() -> std::process::ExitCode {
    let cli = kam::cli::Cli::parse();
    match kam::run(&cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            kam::terminal::restore_if_raw();
            // The message may quote a file name, a cell or a name from the database.
            // Line breaks in a message (how to begin, a list of commands) are kept.
            eprintln!("kam: {}", kam::ui::widgets::text::clean_lines(&one_line(&e)));
            std::process::ExitCode::FAILURE
        }
    }
}

/// The error and its causes in one message, each said once (a storage error
/// repeats its SQLite cause), with what to do when the file itself is the problem.
fn one_line(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain().filter(|c| !StorageFault::is_repeat(*c)) {
        let text = cause.to_string();
        if !out.contains(&text) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
    }
    let hint = match e.chain().find_map(StorageFault::of_cause) {
        Some(StorageFault::Damaged) => Some(
            "the database file is damaged: `kam check` reports; restore from a backup (README: Backup and restore)",
        ),
        Some(StorageFault::DiskFull) => Some("the disk is full: free some space and try again"),
        Some(StorageFault::Io) => {
            Some("the database file could not be written (disk full, file size limit or a failing disk)")
        }
        _ => None,
    };
    match hint {
        Some(h) => format!("{out} — {h}"),
        None => out,
    }
}
