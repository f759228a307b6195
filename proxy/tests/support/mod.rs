//! Real servers for the PostgreSQL, multi-instance and notification tests, all on 127.0.0.1.
#![allow(dead_code)]

pub mod haproxy;
pub mod postgres;
pub mod python;
pub mod smtp;

/// A free TCP port on 127.0.0.1 (bound once, then released for the server to take).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}
