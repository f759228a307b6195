//! A real SMTP server on loopback for the notification tests: aiosmtpd with its Maildir handler,
//! started as `python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c aiosmtpd.handlers.Mailbox DIR`, stopped
//! when dropped. Messages are read back with Python's own mail parser (`read_maildir.py`).
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct SmtpServer {
    child: Child,
    pub port: u16,
    python: PathBuf,
    maildir: PathBuf,
}

impl SmtpServer {
    /// Starts a server on `port` storing into `maildir`; waits until it accepts connections.
    pub fn start(python: &Path, port: u16, maildir: &Path) -> SmtpServer {
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        let server = SmtpServer {
            child,
            port,
            python: python.to_owned(),
            maildir: maildir.to_owned(),
        };
        let until = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < until, "aiosmtpd did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// Every message received so far, decoded.
    pub fn messages(&self) -> Vec<Value> {
        read(&self.python, &self.maildir)
    }

    /// Waits (up to `secs`) until at least `n` messages satisfy `keep`; returns them.
    pub fn wait_for(&self, n: usize, secs: u64, keep: impl Fn(&Value) -> bool) -> Vec<Value> {
        let until = Instant::now() + Duration::from_secs(secs);
        loop {
            let found: Vec<Value> = self.messages().into_iter().filter(|m| keep(m)).collect();
            if found.len() >= n {
                return found;
            }
            assert!(
                Instant::now() < until,
                "only {} of {n} expected mails arrived in {secs} s",
                found.len()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The messages of a Maildir, decoded by Python's `email` package.
pub fn read(python: &Path, maildir: &Path) -> Vec<Value> {
    if !maildir.join("new").exists() && !maildir.join("cur").exists() {
        return Vec::new();
    }
    let out = Command::new(python)
        .arg(super::python::script("read_maildir.py"))
        .arg(maildir)
        .output()
        .expect("read_maildir.py runs");
    assert!(
        out.status.success(),
        "read_maildir.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("read_maildir.py prints JSON")
}
