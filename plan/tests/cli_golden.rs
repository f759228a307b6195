//! The CLI binary end to end: the worked example of the planning rules, byte for byte, and the
//! exit-code contract.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cutover-plan");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn cli(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cutover-plan");
    {
        let mut input = child.stdin.take().expect("stdin");
        input
            .write_all(stdin.unwrap_or_default())
            .expect("write stdin");
    }
    child.wait_with_output().expect("wait")
}

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

#[test]
fn worked_example_matches_golden_output_exactly() {
    let out = cli(
        &[
            "plan",
            "--today",
            "2026-11-24",
            "--holidays",
            "jp",
            &fixture("worked_example.csv"),
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
    let expected = std::fs::read_to_string(fixture("worked_example.expected.json")).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

#[cfg(feature = "shift-jis")]
#[test]
fn worked_example_from_stdin_in_shift_jis_gives_the_same_plan() {
    let text = std::fs::read_to_string(fixture("worked_example.csv")).unwrap();
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    let out = cli(
        &["plan", "--today", "2026-11-24", "--holidays", "jp", "-"],
        Some(&sjis),
    );
    let expected = std::fs::read_to_string(fixture("worked_example.expected.json")).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

#[test]
fn bad_file_exits_2_with_every_error_and_no_plan() {
    let out = cli(
        &["plan", "--today", "2026-11-24", &fixture("bad_rows.csv")],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let expected = std::fs::read_to_string(fixture("bad_rows.expected.txt")).unwrap();
    assert_eq!(String::from_utf8(out.stderr).unwrap(), expected);
}

#[test]
fn missing_file_and_bad_flags_exit_2() {
    for args in [
        &["plan", "/nonexistent/file.csv"][..],
        &[
            "plan",
            "--today",
            "2026-02-30",
            &fixture("worked_example.csv"),
        ],
        &["plan", "--provision-lead-days", "seven"],
        &["schedule"],
    ] {
        let out = cli(args, Some(b""));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn check_validates_only() {
    let out = cli(&["check", &fixture("worked_example.csv")], None);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"valid": true, "rows": 4, "customers": 3})
    );
    let out = cli(&["check", &fixture("bad_rows.csv")], None);
    assert_eq!((out.status.code(), out.stdout.len()), (Some(2), 0));
}

#[test]
fn ics_lists_the_upcoming_actions() {
    let out = cli(
        &[
            "ics",
            "--today",
            "2026-11-24",
            "--holidays",
            "jp",
            &fixture("worked_example.csv"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    // Contoso: provision ×2, auto-renew off, reassign; Fabrikam: invite, provision; Northwind: provision.
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 7);
    assert!(text.contains("UID:20270423-invite-fabrikam.example@cutover-plan\r\n"));
}

#[test]
fn csv_export_round_trips_through_the_cli() {
    let args = ["--today", "2026-11-24", "--holidays", "jp"];
    let first = cli(
        &[&["csv"][..], &args, &[&fixture("worked_example.csv")]].concat(),
        None,
    );
    assert_eq!(first.status.code(), Some(0));
    assert!(first.stdout.starts_with(b"\xEF\xBB\xBF"));
    let plan = cli(
        &[&["plan"][..], &args, &["-"]].concat(),
        Some(&first.stdout),
    );
    let expected = std::fs::read_to_string(fixture("worked_example.expected.json")).unwrap();
    assert_eq!(String::from_utf8(plan.stdout).unwrap(), expected);
}
