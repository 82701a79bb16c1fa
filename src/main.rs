use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = kam::cli::Cli::parse();
    match kam::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            kam::terminal::restore_if_raw();
            eprintln!("kam: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
