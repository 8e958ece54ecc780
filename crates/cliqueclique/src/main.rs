//! The `cliqueclique` command: `serve` runs an installation; every other subcommand is a client of
//! the running daemon's local HTTP API. The work happens in `cmd/`; flags are in `flags.rs`.

mod cmd;
mod flags;

use std::process::ExitCode;

fn main() -> ExitCode {
    let flags = flags::parse();
    cmd::init_logging(&flags);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cmd::run(flags)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
