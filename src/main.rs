//! The `stance` binary: parse the command line, run, map errors to exit codes.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = stance::cli::parse();
    match stance::cli::run(cli) {
        Ok(code) => code,
        Err(err) if stance::cli::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // The last line of defence: whatever a message quotes reaches the terminal escaped.
            eprintln!("stance: {}", stance::escape::escape(&format!("{err:#}")));
            ExitCode::from(1)
        }
    }
}
