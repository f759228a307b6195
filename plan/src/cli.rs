//! The `cutover-plan` command line: argument parsing and the commands, as pure functions of
//! arguments, input bytes and today's date (main.rs supplies those).

use crate::csv_export::export_csv;
use crate::csv_import::import_csv;
use crate::date::Date;
use crate::ics::export_ics;
use crate::planner::Planner;
use crate::settings::Settings;

/// Exit status for invalid input or arguments.
pub const EXIT_BAD_INPUT: i32 = 2;

/// Usage text.
pub const USAGE: &str = "\
usage: cutover-plan <plan|check|ics|csv> [options] [FILE | -]

  plan    print the plan as JSON
  check   validate the file only; print a JSON summary
  ics     print the action dates as an iCalendar file
  csv     print the plan as CSV (UTF-8 with BOM), importable again

options:
  --today YYYY-MM-DD            today's date (default: the current UTC date)
  --holidays jp|none            add Japanese national holidays (default: none)
  --holiday YYYY-MM-DD          a custom holiday (repeatable)
  --provision-lead-days N       L, default 7
  --invite-lead-days N          I, default 7
  --auto-renew-notice-days N    A, default 3
  --grace-days N                G for every channel
  --disabled-days N             D for every channel

Reads FILE, or standard input when FILE is - or missing. Exit 0 on success, 2 on invalid input.
";

/// What a run printed and how it ended.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Output {
    /// Standard output (bytes: the CSV and JSON are UTF-8).
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Exit status.
    pub code: i32,
}

impl Output {
    fn ok(stdout: String) -> Output {
        Output {
            stdout,
            stderr: String::new(),
            code: 0,
        }
    }

    fn bad(stderr: String) -> Output {
        Output {
            stdout: String::new(),
            stderr,
            code: EXIT_BAD_INPUT,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Command {
    Plan,
    Check,
    Ics,
    Csv,
}

/// Parsed arguments.
#[derive(Debug)]
struct Options {
    command: Command,
    today: Option<Date>,
    settings: Settings,
    file: Option<String>,
}

/// Loads the input: FILE's bytes, or standard input's for `None`; errors as a sentence.
pub type ReadInput<'a> = dyn FnMut(Option<&str>) -> Result<Vec<u8>, String> + 'a;

/// Runs the CLI. `args` excludes the program name.
pub fn run(args: &[String], read: &mut ReadInput<'_>, clock_today: Date) -> Output {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        return Output::ok(USAGE.to_owned());
    }
    let opts = match parse_args(args) {
        Ok(o) => o,
        Err(e) => return Output::bad(format!("cutover-plan: {e}\n\n{USAGE}")),
    };
    let path = opts.file.as_deref().filter(|f| *f != "-");
    let bytes = match read(path) {
        Ok(b) => b,
        Err(e) => return Output::bad(format!("cutover-plan: {e}\n")),
    };
    let rows = match import_csv(&bytes) {
        Ok(rows) => rows,
        Err(errors) => return Output::bad(format!("{errors}\n")),
    };
    let today = opts.today.unwrap_or(clock_today);
    let plan = Planner::new(&opts.settings).plan(&rows, today);
    match opts.command {
        Command::Plan => Output::ok(plan.to_json() + "\n"),
        Command::Check => Output::ok(format!(
            "{{\n \"valid\": true,\n \"rows\": {},\n \"customers\": {}\n}}\n",
            plan.subscriptions.len(),
            plan.customers.len()
        )),
        Command::Ics => Output::ok(export_ics(&rows, &plan)),
        Command::Csv => Output::ok(export_csv(&rows, &plan)),
    }
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut it = args.iter();
    let command = match it.next().map(String::as_str) {
        Some("plan") => Command::Plan,
        Some("check") => Command::Check,
        Some("ics") => Command::Ics,
        Some("csv") => Command::Csv,
        Some(other) => return Err(format!("unknown command {other:?}")),
        None => return Err("a command is required".into()),
    };
    let mut opts = Options {
        command,
        today: None,
        settings: Settings::default(),
        file: None,
    };
    while let Some(arg) = it.next() {
        if !arg.starts_with("--") {
            if opts.file.replace(arg.clone()).is_some() {
                return Err("only one input file may be given".into());
            }
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f, Some(v.to_owned())),
            None => (arg.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        let s = &mut opts.settings;
        match flag {
            "--today" => opts.today = Some(date(flag, &value()?)?),
            "--holidays" => match value()?.as_str() {
                "jp" | "japan" => s.holidays.japan = true,
                "none" => s.holidays.japan = false,
                other => return Err(format!("--holidays takes jp or none, not {other:?}")),
            },
            "--holiday" => s.holidays.custom.push(date(flag, &value()?)?),
            "--provision-lead-days" => s.provision_lead_days = days(flag, &value()?)?,
            "--invite-lead-days" => s.invite_lead_days = days(flag, &value()?)?,
            "--auto-renew-notice-days" => s.auto_renew_notice_days = days(flag, &value()?)?,
            "--grace-days" => s.lifecycle.set_grace_days(days(flag, &value()?)?),
            "--disabled-days" => s.lifecycle.set_disabled_days(days(flag, &value()?)?),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(opts)
}

fn date(flag: &str, v: &str) -> Result<Date, String> {
    Date::parse(v).map_err(|e| format!("{flag} {v:?}: {e}"))
}

fn days(flag: &str, v: &str) -> Result<u32, String> {
    match v.parse::<u32>() {
        Ok(n) if n <= 3650 && v.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(format!(
            "{flag} takes a whole number of days from 0 to 3650, not {v:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "customer,domain,offer,seats,end_date\nA,a.example,E3,1,2027-01-15\n";

    fn run_with(args: &[&str], input: &str) -> Output {
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        let mut read = |_: Option<&str>| Ok(input.as_bytes().to_vec());
        run(&args, &mut read, Date::parse("2026-11-24").unwrap())
    }

    #[test]
    fn plan_defaults_today_to_the_clock_and_reads_stdin() {
        let out = run_with(&["plan"], FILE);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.starts_with("{\n \"today\": \"2026-11-24\",\n"));
        assert!(out.stderr.is_empty());
    }

    #[test]
    fn options_change_the_plan() {
        let out = run_with(
            &[
                "plan",
                "--today=2026-12-01",
                "--provision-lead-days",
                "14",
                "-",
            ],
            FILE,
        );
        assert!(
            out.stdout.contains("\"provision_on\": \"2027-01-01\""),
            "{}",
            out.stdout
        );
        let out = run_with(
            &[
                "plan",
                "--today",
                "2026-12-01",
                "--holidays",
                "jp",
                "--provision-lead-days",
                "14",
            ],
            FILE,
        );
        assert!(out.stdout.contains("\"provision_on\": \"2026-12-31\""));
        let out = run_with(&["plan", "--holiday", "2027-01-08"], FILE);
        assert!(out.stdout.contains("\"provision_on\": \"2027-01-07\""));
        let out = run_with(
            &["plan", "--today", "2027-01-20", "--grace-days", "0"],
            FILE,
        );
        assert!(out.stdout.contains("\"stage\": \"disabled\""));
        let out = run_with(
            &[
                "plan",
                "--today",
                "2027-01-20",
                "--disabled-days",
                "0",
                "--grace-days",
                "1",
            ],
            FILE,
        );
        assert!(out.stdout.contains("\"stage\": \"deleted\""));
        let out = run_with(
            &[
                "plan",
                "--invite-lead-days",
                "0",
                "--auto-renew-notice-days",
                "1",
            ],
            FILE,
        );
        assert!(out.stdout.contains("\"invite_by\": \"2027-01-08\""));
    }

    #[test]
    fn bad_arguments_exit_2_with_nothing_on_stdout() {
        for args in [
            &["plan", "--today", "2026-13-01"][..],
            &["plan", "--nope"],
            &["plan", "--today"],
            &["plan", "--holidays", "us"],
            &["plan", "--grace-days", "-1"],
            &["plan", "a.csv", "b.csv"],
            &["frobnicate"],
            &[],
        ] {
            let out = run_with(args, FILE);
            assert_eq!(out.code, EXIT_BAD_INPUT, "{args:?}");
            assert!(out.stdout.is_empty(), "{args:?}");
            assert!(out.stderr.starts_with("cutover-plan: "), "{args:?}");
        }
    }

    #[test]
    fn bad_file_exits_2_with_errors_on_stderr() {
        for cmd in ["plan", "check", "ics", "csv"] {
            let out = run_with(
                &[cmd],
                "customer,domain,offer,seats,end_date\nA,a.example,E3,x,2027-01-15\n",
            );
            assert_eq!(out.code, EXIT_BAD_INPUT);
            assert!(out.stdout.is_empty());
            assert_eq!(
                out.stderr,
                "row 1, column seats: \"x\" must be a whole number from 0 to 1000000\n"
            );
        }
    }

    #[test]
    fn unreadable_file_exits_2() {
        let args = vec!["plan".to_owned(), "missing.csv".to_owned()];
        let mut read =
            |p: Option<&str>| Err(format!("cannot read {}: not found", p.unwrap_or("-")));
        let out = run(&args, &mut read, Date::parse("2026-11-24").unwrap());
        assert_eq!((out.code, out.stdout.as_str()), (2, ""));
        assert!(out.stderr.contains("missing.csv"));
    }

    #[test]
    fn check_ics_and_csv_commands() {
        let out = run_with(&["check"], FILE);
        assert_eq!(
            out.stdout,
            "{\n \"valid\": true,\n \"rows\": 1,\n \"customers\": 1\n}\n"
        );
        let out = run_with(&["ics"], FILE);
        assert!(out.stdout.starts_with("BEGIN:VCALENDAR\r\n"));
        let out = run_with(&["csv"], FILE);
        assert!(out.stdout.starts_with('\u{feff}'));
        assert!(run_with(&["--help"], "").stdout.starts_with("usage:"));
    }
}
