//! A throwaway HAProxy (Debian's `haproxy`) in front of proxy instances, on loopback.
//!
//! HAProxy connects to the instances from 127.0.0.2 (`source`), so the instances can trust that
//! one address (`CUTOVER_TRUSTED_PROXIES=127.0.0.2`) while clients connect from other loopback
//! addresses; it adds `X-Forwarded-For`, checks `/readyz`, and retries a request whose connection
//! failed on the other instance.
use std::process::{Child, Command, Stdio};

/// The address HAProxy connects from.
pub const SOURCE: &str = "127.0.0.2";

pub struct Haproxy {
    child: Child,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl Haproxy {
    /// Starts HAProxy balancing over `backends` (ports on 127.0.0.1).
    pub fn start(backends: &[u16]) -> Result<Haproxy, String> {
        let bin = ["/usr/sbin/haproxy", "/usr/bin/haproxy"]
            .into_iter()
            .find(|p| std::path::Path::new(p).is_file())
            .ok_or("HAProxy is not installed: run scripts/setup --for-tests, or apt-get install haproxy.")?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let port = super::free_port();
        let servers: String = backends
            .iter()
            .enumerate()
            .map(|(i, p)| format!("    server instance{i} 127.0.0.1:{p} check\n"))
            .collect();
        let config = format!(
            "global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 3
    option redispatch
    option forwardfor
frontend cutover
    bind 127.0.0.1:{port}
    default_backend instances
backend instances
    balance roundrobin
    option httpchk GET /readyz
    default-server inter 300ms fall 2 rise 2 source {SOURCE}
{servers}"
        );
        let file = dir.path().join("haproxy.cfg");
        std::fs::write(&file, config).map_err(|e| e.to_string())?;
        let child = Command::new(bin)
            .arg("-f")
            .arg(&file)
            .arg("-db")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("HAProxy could not start ({e})"))?;
        Ok(Haproxy {
            child,
            port,
            _dir: dir,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
