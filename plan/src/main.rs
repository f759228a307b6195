//! `cutover-plan`: plan, check or export a CSV of original subscriptions. See `cli.rs`.

use std::io::{Read, Write};
use std::process::ExitCode;

use cutover_plan::Date;
use cutover_plan::cli::run;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut read = |path: Option<&str>| -> Result<Vec<u8>, String> {
        match path {
            Some(p) => std::fs::read(p).map_err(|e| format!("cannot read {p}: {e}")),
            None => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut buf)
                    .map_err(|e| format!("cannot read standard input: {e}"))?;
                Ok(buf)
            }
        }
    };
    let out = run(&args, &mut read, utc_today());
    // A closed pipe is not worth a panic; the exit code still tells.
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    ExitCode::from(u8::try_from(out.code).unwrap_or(1))
}

/// Today's UTC date from the system clock: the only clock the crate reads, and only here.
fn utc_today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_days(i32::try_from(secs / 86_400).unwrap_or(0))
}
