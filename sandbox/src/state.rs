//! The router's shared state: the world behind a lock, issued tokens and fault counters.
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Instant;

use crate::config::SandboxConfig;
use crate::data::World;
use crate::dates::{Date, now_unix};

/// Who an access token was issued to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Client credentials (app-only).
    App,
    /// Refresh token or authorization code (app + user).
    AppUser,
}

/// Which API a token was issued for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    PartnerCenter,
    /// `https://graph.microsoft.com` (v2 `scope=https://graph.microsoft.com/.default`).
    Graph,
}

#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub kind: TokenKind,
    pub expires: Instant,
    pub audience: Audience,
    /// The customer tenant the token was issued in (lower-case id); `None` = the partner's tenant.
    pub tenant: Option<String>,
}

/// Who is calling a Graph route: the request extension the Graph auth layer adds.
#[derive(Debug, Clone)]
pub struct GraphCaller {
    pub kind: TokenKind,
    /// The customer tenant of the token; `None` for the partner's own tenant.
    pub tenant: Option<String>,
}

pub struct Shared {
    pub config: SandboxConfig,
    world: RwLock<World>,
    pub tokens: Mutex<HashMap<String, IssuedToken>>,
    pub refresh_tokens: Mutex<HashSet<String>>,
    /// Counts Partner Center requests; fault rolls are a function of the seed and this counter.
    pub request_counter: AtomicU64,
    /// Counts latency draws (jitter is a function of the seed and this counter).
    pub latency_counter: AtomicU64,
    /// Per-tenant request windows: key → (window start, requests in it).
    pub rate_windows: Mutex<HashMap<String, (Instant, u32)>>,
    /// Makes issued tokens and ids unique.
    pub serial: AtomicU64,
    /// Requests seen, for `GET /sandbox/stats`: Partner Center, Graph and the token endpoint.
    pub pc_requests: AtomicU64,
    pub graph_requests: AtomicU64,
    pub token_requests: AtomicU64,
}

pub type AppState = Arc<Shared>;

impl Shared {
    pub fn new(config: SandboxConfig) -> Self {
        let today = config.today.unwrap_or_else(Date::today_utc);
        let world = crate::seed::world(&config, today);
        Shared {
            config,
            world: RwLock::new(world),
            tokens: Mutex::new(HashMap::new()),
            refresh_tokens: Mutex::new(HashSet::new()),
            request_counter: AtomicU64::new(0),
            latency_counter: AtomicU64::new(0),
            rate_windows: Mutex::new(HashMap::new()),
            serial: AtomicU64::new(0),
            pc_requests: AtomicU64::new(0),
            graph_requests: AtomicU64::new(0),
            token_requests: AtomicU64::new(0),
        }
    }

    /// Reads the world; a poisoned lock still holds consistent data (writers never panic midway).
    pub fn read(&self) -> RwLockReadGuard<'_, World> {
        self.world.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, World> {
        self.world.write().unwrap_or_else(|e| e.into_inner())
    }

    pub fn next_serial(&self) -> u64 {
        self.serial.fetch_add(1, Ordering::Relaxed)
    }

    /// The sandbox's "now": the configured today at the wall clock's time of day.
    pub fn now(&self, today: Date) -> i64 {
        today.midnight() + now_unix().rem_euclid(86_400)
    }
}

pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
