//! The `stance` binary: parse the command line, run, map errors to exit codes.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = stance::cli::parse();
    match stance::cli::run(cli) {
        Ok(code) => code,
        Err(err) if stance::cli::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // The last line of defence: whatever a message quotes reaches the terminal escaped.
            // One write, so a reader of a terminal that closes as the process ends gets the
            // line whole, never its "stance: " alone.
            let line = format!("stance: {}\n", stance::escape::escape(&format!("{err:#}")));
            let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
            ExitCode::from(1)
        }
    }
}
