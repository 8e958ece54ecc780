//! The `cliqueclique` command: `serve` runs an installation; every other subcommand is a client of
//! the running daemon's local HTTP API. The work happens in `cmd/`; flags are in `flags.rs`.
//!
//! Output goes through [`out!`], which returns an error instead of panicking when standard output
//! is closed (`cliqueclique status | head -1`); such a run ends quietly and successfully, as the
//! reader wanted no more. Under `--json`, errors are one JSON object on standard error.

/// Writes one line to standard output like `println!`, but returns from the enclosing function
/// with the error when the write fails (a closed pipe), instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*)?
    }};
}

mod cmd;
mod flags;

use cliqueclique_daemon::client::ClientError;
use std::process::ExitCode;

fn main() -> ExitCode {
    let flags = flags::parse();
    cmd::init_logging(&flags);
    let json = flags.json;
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            return report(
                &anyhow::Error::new(error).context("cannot start the async runtime"),
                json,
            );
        }
    };
    match runtime.block_on(cmd::run(flags)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if closed_output(&error) => ExitCode::SUCCESS,
        Err(error) => report(&error, json),
    }
}

/// Whether the error is standard output closed by its reader.
fn closed_output(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints the error on standard error, as text or under `--json` as one JSON object, and returns
/// the failure status.
fn report(error: &anyhow::Error, json: bool) -> ExitCode {
    if json {
        eprintln!("{}", error_json(error));
    } else {
        eprintln!("error: {error:#}");
    }
    ExitCode::FAILURE
}

/// `{"error": "the message", "status": 404, "ambiguous": {…}}`: the message with its causes;
/// `status`, the HTTP status when the daemon refused the call; `ambiguous`, the candidates of an
/// id prefix that matches several.
fn error_json(error: &anyhow::Error) -> serde_json::Value {
    let mut object = serde_json::json!({ "error": format!("{error:#}") });
    for cause in error.chain() {
        if let Some(ClientError::Api { status, .. }) = cause.downcast_ref::<ClientError>() {
            object["status"] = status.as_u16().into();
        }
        if let Some(ambiguous) = cause.downcast_ref::<cmd::ids::Ambiguous>() {
            object["ambiguous"] = serde_json::to_value(ambiguous).unwrap_or_default();
        }
    }
    object
}
