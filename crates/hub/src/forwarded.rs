//! The client behind a reverse proxy. Behind a proxy every request comes from the proxy's address,
//! so the sign-in throttle would count all clients as one (five bad passwords would lock out
//! everyone). Only a configured trusted proxy (`trusted_proxies`) may say who the client is, in
//! `X-Forwarded-For` (or, when that is absent, RFC 7239 `Forwarded`); a header from anyone else is
//! ignored, as a client can write any header it likes.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::IpNet;

/// How many hops from the right are read: more proxies than this in a row is not a real chain.
const MAX_HOPS: usize = 32;

/// The client's address: the socket peer, unless it is a trusted proxy; then the rightmost hop of
/// the forwarding chain that is not a trusted proxy itself (hops further left were written by
/// whoever sent the request, and can be forged).
pub(crate) fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |address: &IpAddr| trusted.iter().any(|net| net.contains(address));
    let mut client = peer;
    if !is_trusted(&peer) {
        return client;
    }
    for hop in forwarded_for(headers).into_iter().rev().take(MAX_HOPS) {
        // A hop that is no address ("unknown", an obfuscated name): the last proxy is all we know.
        let Some(hop) = hop else {
            return client;
        };
        client = hop;
        if !is_trusted(&hop) {
            return client;
        }
    }
    client
}

/// Whether a trusted proxy says the client reached it over https (`X-Forwarded-Proto`, or
/// `proto=` of `Forwarded`); the proxy nearest the hub (the last value) is the one that knows.
pub(crate) fn https_via_proxy(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> bool {
    if !trusted.iter().any(|net| net.contains(&peer)) {
        return false;
    }
    let last_proto = header_items(headers, "x-forwarded-proto")
        .pop()
        .or_else(|| {
            header_items(headers, "forwarded")
                .iter()
                .filter_map(|element| forwarded_param(element, "proto"))
                .next_back()
        });
    last_proto.is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
}

/// The hops of `X-Forwarded-For`, else of `Forwarded`'s `for=`, left to right; `None` for a hop
/// that is no address.
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    if headers.contains_key("x-forwarded-for") {
        header_items(headers, "x-forwarded-for")
            .iter()
            .map(|hop| parse_hop(hop))
            .collect()
    } else {
        header_items(headers, "forwarded")
            .iter()
            .map(|element| forwarded_param(element, "for").and_then(|hop| parse_hop(&hop)))
            .collect()
    }
}

/// The comma-separated items of every line of a header, in order.
fn header_items(headers: &HeaderMap, name: &'static str) -> Vec<String> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|item| item.trim().to_owned())
        .collect()
}

/// One parameter of a `Forwarded` element (`for=192.0.2.60;proto=https`), unquoted.
fn forwarded_param(element: &str, name: &str) -> Option<String> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// `192.0.2.60`, `192.0.2.60:4711`, `2001:db8::17` or `[2001:db8::17]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
        .or_else(|| {
            hop.strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|inner| inner.parse().ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn a_forged_header_from_an_untrusted_peer_is_ignored() {
        let forged = headers(&[("x-forwarded-for", "1.2.3.4")]);
        let client = client_address(ip("198.51.100.9"), &forged, &nets(&["10.0.0.0/8"]));
        assert_eq!(client, ip("198.51.100.9"));
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        // The client forged "1.2.3.4"; the outer proxy 10.0.0.5 appended the client's real
        // address, the inner one 10.0.0.6 its own.
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.7, 10.0.0.5")]);
        let client = client_address(ip("10.0.0.6"), &chain, &nets(&["10.0.0.0/8"]));
        assert_eq!(client, ip("203.0.113.7"));
    }

    #[test]
    fn the_forwarded_header_is_read_when_x_forwarded_for_is_absent() {
        let chain = headers(&[(
            "forwarded",
            "for=1.2.3.4, for=\"[2001:db8:cafe::17]:4711\";proto=https",
        )]);
        let trusted = nets(&["127.0.0.1/32"]);
        assert_eq!(
            client_address(ip("127.0.0.1"), &chain, &trusted),
            ip("2001:db8:cafe::17")
        );
        assert!(https_via_proxy(ip("127.0.0.1"), &chain, &trusted));
        assert!(!https_via_proxy(ip("192.0.2.1"), &chain, &trusted));
    }

    #[test]
    fn a_hop_that_is_no_address_stops_at_the_last_proxy() {
        let chain = headers(&[("x-forwarded-for", "unknown")]);
        let client = client_address(ip("10.0.0.6"), &chain, &nets(&["10.0.0.0/8"]));
        assert_eq!(client, ip("10.0.0.6"));
    }
}
