//! The Python the notification tests use for a real SMTP server (aiosmtpd) and independent
//! readers of calendars and feeds (icalendar, vobject, feedparser). `scripts/setup --for-tests`
//! installs them in `target/test-python`; `CUTOVER_TEST_PYTHON` names another interpreter.
//!
//! Without the packages a test skips, saying so. The mail tests fail instead under
//! `CUTOVER_REQUIRE_PYTHON_TESTS=1` (set by `scripts/test`: CI must not skip them silently); the
//! calendar and feed reader test always skips when its packages could not be installed.
use std::path::{Path, PathBuf};
use std::process::Command;

/// The interpreter to use.
pub fn python() -> PathBuf {
    if let Ok(p) = std::env::var("CUTOVER_TEST_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-python/bin/python3");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

/// The interpreter, when it can import every module; `None` (after saying why) to skip, or a
/// failure under `CUTOVER_REQUIRE_PYTHON_TESTS=1`.
pub fn with_modules(test: &str, modules: &[&str]) -> Option<PathBuf> {
    find(
        test,
        modules,
        std::env::var("CUTOVER_REQUIRE_PYTHON_TESTS").as_deref() == Ok("1"),
    )
}

/// Like [`with_modules`], but always skips when a module is missing (for packages that may not
/// be installable on every machine).
pub fn if_installed(test: &str, modules: &[&str]) -> Option<PathBuf> {
    find(test, modules, false)
}

fn find(test: &str, modules: &[&str], required: bool) -> Option<PathBuf> {
    let py = python();
    let ok = Command::new(&py)
        .arg("-c")
        .arg(format!("import {}", modules.join(", ")))
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(py);
    }
    let why = format!(
        "{test}: {} cannot import {} (run scripts/setup --for-tests)",
        py.display(),
        modules.join(", ")
    );
    if required {
        panic!("{why}");
    }
    eprintln!("skipped: {why}");
    None
}

/// A file next to this one.
pub fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/support")
        .join(name)
}
