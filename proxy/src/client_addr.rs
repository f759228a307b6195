//! The client's address behind a reverse proxy or load balancer.
//!
//! `X-Forwarded-For` is only believed when the connection comes from an address listed in
//! `CUTOVER_TRUSTED_PROXIES`: anyone else could write any address there. Behind trusted proxies
//! the client is the first address from the right that is not itself a trusted proxy (each proxy
//! appends the address it saw), so a client cannot pick its own address by sending the header.
use std::net::IpAddr;

use axum::http::HeaderMap;

/// Addresses and networks (`10.0.0.0/8`, `::1`) of reverse proxies to believe.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// Parses a comma- or space-separated list of addresses and CIDR networks.
    pub fn parse(text: &str) -> Result<TrustedProxies, String> {
        let mut nets = Vec::new();
        for item in text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
        {
            let bad = || {
                format!(
                    "{item:?} is not an IP address or network; list addresses such as 127.0.0.1 or networks such as 10.0.0.0/8, separated by commas."
                )
            };
            let (addr, len) = match item.split_once('/') {
                Some((addr, len)) => (addr, Some(len.parse::<u8>().map_err(|_| bad())?)),
                None => (item, None),
            };
            let addr: IpAddr = addr.parse().map_err(|_| bad())?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let len = len.unwrap_or(max);
            if len > max {
                return Err(bad());
            }
            nets.push((addr, len));
        }
        Ok(TrustedProxies(nets))
    }

    /// True when nothing is trusted (the peer address is always the client).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when `ip` is a listed proxy.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|(net, len)| in_network(ip, *net, *len))
    }

    /// The client's address: `peer` itself unless it is a trusted proxy, else taken from
    /// `X-Forwarded-For` (every such header, in order) from the right.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = canonical(peer);
        if !self.contains(client) {
            return client;
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        for hop in hops.iter().rev() {
            if !self.contains(client) {
                break;
            }
            match parse_hop(hop) {
                Some(ip) => client = ip,
                // Garbage from here on was not written by a trusted proxy: stop believing.
                None => break,
            }
        }
        client
    }
}

/// A bare address, `v4:port` or `[v6]:port`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    hop.parse::<std::net::SocketAddr>()
        .ok()
        .map(|s| canonical(s.ip()))
}

/// IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) compare as the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn in_network(ip: IpAddr, net: IpAddr, len: u8) -> bool {
    match (ip, canonical(net)) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client_ip(ip("127.0.0.1"), &headers(&["203.0.113.9"])),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client_and_a_forged_header_does_not_help() {
        let lb = TrustedProxies::parse("127.0.0.2").unwrap();
        // The load balancer appended the address it saw (127.0.0.1).
        assert_eq!(
            lb.client_ip(ip("127.0.0.2"), &headers(&["127.0.0.1"])),
            ip("127.0.0.1")
        );
        // The client sent its own header first; the balancer appended the real address.
        assert_eq!(
            lb.client_ip(
                ip("127.0.0.2"),
                &headers(&["9.9.9.9, 1.2.3.4", "127.0.0.1"])
            ),
            ip("127.0.0.1")
        );
        // A client talking to the proxy directly cannot pick its address.
        assert_eq!(
            lb.client_ip(ip("127.0.0.5"), &headers(&["9.9.9.9"])),
            ip("127.0.0.5")
        );
    }

    #[test]
    fn chains_of_trusted_proxies_are_walked_from_the_right() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, ::1").unwrap();
        assert_eq!(
            proxies.client_ip(ip("::1"), &headers(&["198.51.100.7, 10.1.1.1"])),
            ip("198.51.100.7")
        );
        // Every hop trusted: the leftmost is the best answer there is.
        assert_eq!(
            proxies.client_ip(ip("10.0.0.1"), &headers(&["10.2.2.2"])),
            ip("10.2.2.2")
        );
        // Garbage stops the walk at the last address a trusted proxy vouched for.
        assert_eq!(
            proxies.client_ip(ip("10.0.0.1"), &headers(&["198.51.100.7, nonsense"])),
            ip("10.0.0.1")
        );
        assert_eq!(
            proxies.client_ip(ip("10.0.0.1"), &headers(&["[2001:db8::5]:443"])),
            ip("2001:db8::5")
        );
    }

    #[test]
    fn networks_and_mapped_addresses_match() {
        let p = TrustedProxies::parse("192.168.0.0/16 2001:db8::/32").unwrap();
        assert!(p.contains(ip("192.168.44.1")));
        assert!(p.contains(ip("::ffff:192.168.1.1")));
        assert!(!p.contains(ip("192.169.0.1")));
        assert!(p.contains(ip("2001:db8:1::1")));
        assert!(!p.contains(ip("2001:db9::1")));
        assert!(
            TrustedProxies::parse("0.0.0.0/0")
                .unwrap()
                .contains(ip("8.8.8.8"))
        );
        for bad in ["10.0.0.0/33", "nonsense", "10.0.0/8", "::1/129"] {
            assert!(TrustedProxies::parse(bad).is_err(), "{bad}");
        }
    }
}
