//! The differential test: random CSV files planned by this crate's CLI and by an independent
//! Python implementation of the rules (`tests/differential/`). Skipped, with a message, where
//! `python3` is missing. More cases: `python3 plan/tests/differential/run.py --cases 5000`.

use std::process::Command;

#[test]
fn cli_agrees_with_the_independent_python_model() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/differential/run.py");
    let run = Command::new("python3")
        .args([
            script,
            "--cases",
            "500",
            "--seed",
            "20261124",
            "--bin",
            env!("CARGO_BIN_EXE_cutover-plan"),
        ])
        .output();
    let out = match run {
        Ok(out) => out,
        Err(e) => {
            eprintln!("differential test skipped: cannot run python3 ({e})");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("500 files,") && stdout.contains(": 0 file(s) with differences"),
        "{stdout}"
    );
}
