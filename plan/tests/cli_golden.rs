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
    assert!(has_event(&text, "20270423", "invite", "fabrikam.example"));
    assert!(
        !text.contains("UID:2027"),
        "UIDs name the event, never its date"
    );
}

/// Whether the calendar has an event for this action and customer on this day.
fn has_event(text: &str, day: &str, action: &str, domain: &str) -> bool {
    let unfolded = text.replace("\r\n ", "");
    unfolded.split("BEGIN:VEVENT").skip(1).any(|e| {
        let uid = e.lines().find_map(|l| l.strip_prefix("UID:")).unwrap_or("");
        uid.starts_with(&format!("plan-{action}-"))
            && uid.ends_with(&format!("-{domain}@cutover"))
            && e.contains(&format!("DTSTART;VALUE=DATE:{day}\r\n"))
    })
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

#[test]
fn bad_path_values_exit_2_naming_row_and_column() {
    let out = cli(
        &["plan", "--today", "2026-11-24", &fixture("bad_path.csv")],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let expected = std::fs::read_to_string(fixture("bad_path.expected.txt")).unwrap();
    assert_eq!(String::from_utf8(out.stderr).unwrap(), expected);
}

const PATHS_ARGS: [&str; 4] = ["--today", "2026-11-24", "--holidays", "jp"];

#[test]
fn move_paths_in_the_json_plan() {
    let out = cli(
        &[&["plan"][..], &PATHS_ARGS, &[&fixture("move_paths.csv")]].concat(),
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let subs = v["subscriptions"].as_array().unwrap();
    let pick = |i: usize, keys: &[&str]| -> Vec<serde_json::Value> {
        keys.iter().map(|k| subs[i][*k].clone()).collect()
    };
    let keys = [
        "path",
        "provision_on",
        "invite_by",
        "schedule_by",
        "request_transfer_by",
        "overlap_days",
        "overlap_cost",
    ];
    use serde_json::json;
    // Hand-computed with Japanese holidays (see tests/move_paths.rs for the reasoning).
    assert_eq!(
        pick(0, &keys),
        [
            json!("ea_transfer"),
            json!("2027-05-13"),
            json!("2027-04-23"),
            json!("2027-04-30"),
            json!(null),
            json!(0),
            json!(null)
        ]
    );
    assert_eq!(
        pick(1, &keys),
        [
            json!("csp_transfer"),
            json!("2027-06-04"),
            json!("2027-04-23"),
            json!(null),
            json!("2027-04-30"),
            json!(0),
            json!("0.00")
        ]
    );
    assert_eq!(
        pick(2, &keys),
        [
            json!("grace"),
            json!("2027-05-06"),
            json!("2027-04-28"),
            json!(null),
            json!(null),
            json!(0),
            json!("0.00")
        ]
    );
    // Open licensing has no grace access: planned as overlap, 02-26 − 7 = Fri 02-19.
    assert_eq!(
        pick(3, &["path", "provision_on", "overlap_days", "warnings"]),
        [
            json!("overlap"),
            json!("2027-02-19"),
            json!(8),
            json!(["path_not_available"])
        ]
    );
    let next: Vec<(String, String, String)> = v["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |v: &serde_json::Value| v.as_str().unwrap().to_owned();
            (
                s(&c["domain"]),
                s(&c["next_action"]["kind"]),
                s(&c["next_action"]["date"]),
            )
        })
        .collect();
    let expected = [
        ("northwind.example", "provision", "2027-02-19"),
        ("contoso.example", "auto_renew_off", "2027-04-27"),
        ("fabrikam.example", "invite", "2027-04-23"),
        ("tailspin.example", "request_transfer", "2027-04-30"),
    ];
    assert_eq!(
        next,
        expected.map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()))
    );
}

#[test]
fn move_paths_get_calendar_events_for_their_actions() {
    let out = cli(
        &[&["ics"][..], &PATHS_ARGS, &[&fixture("move_paths.csv")]].concat(),
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    // Fabrikam: invite, schedule, provision; Tailspin: request transfer, provision;
    // Contoso: auto-renew off, provision; Northwind: provision.
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 8);
    for (day, action, domain) in [
        ("20270423", "invite", "fabrikam.example"),
        ("20270430", "schedule", "fabrikam.example"),
        ("20270513", "provision", "fabrikam.example"),
        ("20270430", "request_transfer", "tailspin.example"),
        ("20270604", "provision", "tailspin.example"),
        ("20270427", "auto_renew_off", "contoso.example"),
        ("20270506", "provision", "contoso.example"),
        ("20270219", "provision", "northwind.example"),
    ] {
        assert!(
            has_event(&text, day, action, domain),
            "{day} {action} {domain}"
        );
    }
    assert!(text.contains("SUMMARY;LANGUAGE=en:Schedule the EA channel transfer: Fabrikam KK\r\n"));
    assert!(text.contains(
        "SUMMARY;LANGUAGE=en:Request the partner-to-partner transfer: Tailspin Toys\r\n"
    ));
}

#[test]
fn move_paths_survive_the_csv_export_round_trip() {
    let first = cli(
        &[&["csv"][..], &PATHS_ARGS, &[&fixture("move_paths.csv")]].concat(),
        None,
    );
    assert_eq!(first.status.code(), Some(0));
    let text = String::from_utf8(first.stdout.clone()).unwrap();
    let header = text.lines().next().unwrap();
    assert!(
        header.contains(
            ",relationship,path,stage,planned_path,provision_on,invite_by,schedule_by,\
             request_transfer_by,auto_renew_off_by,"
        ),
        "{header}"
    );
    // Northwind asked for grace and is planned as overlap: both are kept.
    assert!(
        text.contains(",accepted,grace,active,overlap,2027-02-19,"),
        "{text}"
    );
    let again = cli(
        &[&["plan"][..], &PATHS_ARGS, &["-"]].concat(),
        Some(&first.stdout),
    );
    let direct = cli(
        &[&["plan"][..], &PATHS_ARGS, &[&fixture("move_paths.csv")]].concat(),
        None,
    );
    assert_eq!(again.stdout, direct.stdout);
}
