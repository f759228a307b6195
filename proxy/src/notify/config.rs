//! Notification settings: the SMTP server (`CUTOVER_SMTP_URL`), the public base of links in mails
//! and feeds (`CUTOVER_PUBLIC_URL`), the sender (`CUTOVER_MAIL_FROM`), the partner's webhook
//! (`CUTOVER_WEBHOOK_URL`, `CUTOVER_WEBHOOK_SECRET`) and the outbox's pace. Secrets (the SMTP
//! password, the webhook secret) never appear in `Debug` output or logs.
use std::net::IpAddr;
use std::time::Duration;

use crate::routes::rate_limit::PublicRate;

/// How mail reaches the SMTP server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtps://`: TLS from the first byte (usually port 465).
    ImplicitTls,
    /// `smtp://` to another machine: the server must offer STARTTLS (usually port 587).
    StartTls,
    /// `smtp://` to this machine (127.0.0.1, ::1, localhost): no TLS, as local relays expect.
    PlainLoopback,
}

/// The SMTP server.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    /// Host name or address.
    pub host: String,
    /// Port.
    pub port: u16,
    /// TLS, STARTTLS or plain on loopback.
    pub security: SmtpSecurity,
    /// User name, when the server wants one.
    pub username: Option<String>,
    /// Password (never printed).
    pub password: Option<String>,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// The partner's webhook.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookConfig {
    /// Where to POST.
    pub url: String,
    /// The HMAC-SHA256 key (never printed).
    pub secret: String,
}

impl std::fmt::Debug for WebhookConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookConfig")
            .field("url", &self.url)
            .field("secret", &"<set>")
            .finish()
    }
}

/// Everything notifications need; all optional (nothing is sent without it).
#[derive(Clone, Debug, PartialEq)]
pub struct NotifyConfig {
    /// Where mail goes; `None`: status pages offer no e-mail subscription.
    pub smtp: Option<SmtpConfig>,
    /// The base of links in mails and feeds (`https://status.partner.example`), no trailing `/`.
    pub public_url: Option<String>,
    /// The sender address (`CUTOVER_MAIL_FROM`, default `no-reply@<public host>`).
    pub mail_from: Option<String>,
    /// Where step changes and order events are POSTed.
    pub webhook: Option<WebhookConfig>,
    /// Per client address: subscription requests (`CUTOVER_SUBSCRIBE_RATE_LIMIT`).
    pub subscribe_rate: PublicRate,
    /// How long one attempt holds a message (`CUTOVER_OUTBOX_LEASE_SECS`): after a crash it is
    /// sent again once this has passed.
    pub lease: Duration,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            smtp: None,
            public_url: None,
            mail_from: None,
            webhook: None,
            subscribe_rate: default_subscribe_rate(),
            lease: Duration::from_secs(60),
        }
    }
}

/// Five requests, then one every ten minutes, per client address.
pub fn default_subscribe_rate() -> PublicRate {
    PublicRate {
        burst: 5.0,
        per_second: 1.0 / 600.0,
    }
}

impl NotifyConfig {
    /// Reads the `CUTOVER_*` notification variables; errors name the variable in one sentence.
    pub fn from_vars<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Result<NotifyConfig, String> {
        let public_url = get("CUTOVER_PUBLIC_URL")
            .map(parse_public_url)
            .transpose()?;
        let smtp = get("CUTOVER_SMTP_URL").map(parse_smtp_url).transpose()?;
        if smtp.is_some() && public_url.is_none() {
            return Err("CUTOVER_SMTP_URL is set, so mails will carry links: set CUTOVER_PUBLIC_URL to the address customers open Cutover at, such as https://status.partner.example.".into());
        }
        let mail_from = match get("CUTOVER_MAIL_FROM") {
            Some(from) => {
                if from.parse::<lettre::message::Mailbox>().is_err() {
                    return Err(format!(
                        "CUTOVER_MAIL_FROM is \"{from}\", which is not an e-mail address; use one such as migrations@partner.example."
                    ));
                }
                Some(from.to_owned())
            }
            None => None,
        };
        let webhook = match (get("CUTOVER_WEBHOOK_URL"), get("CUTOVER_WEBHOOK_SECRET")) {
            (None, None) => None,
            (Some(url), Some(secret)) => {
                if !(url.starts_with("https://") || is_loopback_http(url)) {
                    return Err("CUTOVER_WEBHOOK_URL must be an https:// address (or http://127.0.0.1 for testing).".into());
                }
                if url::Url::parse(url).is_err() {
                    return Err(format!("CUTOVER_WEBHOOK_URL is not a URL: \"{url}\"."));
                }
                if secret.len() < 16 {
                    return Err("CUTOVER_WEBHOOK_SECRET must be at least 16 characters: it signs every webhook.".into());
                }
                Some(WebhookConfig {
                    url: url.to_owned(),
                    secret: secret.to_owned(),
                })
            }
            (Some(_), None) => {
                return Err("CUTOVER_WEBHOOK_URL is set without CUTOVER_WEBHOOK_SECRET; set a secret of at least 16 characters to sign the webhooks with.".into());
            }
            (None, Some(_)) => {
                return Err("CUTOVER_WEBHOOK_SECRET is set without CUTOVER_WEBHOOK_URL; set the URL the webhooks go to.".into());
            }
        };
        let subscribe_rate = match get("CUTOVER_SUBSCRIBE_RATE_LIMIT") {
            Some(v) => PublicRate::parse(v).map_err(|e| {
                e.replace("CUTOVER_PUBLIC_RATE_LIMIT", "CUTOVER_SUBSCRIBE_RATE_LIMIT")
            })?,
            None => default_subscribe_rate(),
        };
        let lease = match get("CUTOVER_OUTBOX_LEASE_SECS") {
            Some(v) => match v.parse::<u64>() {
                Ok(n) if (1..=3600).contains(&n) => Duration::from_secs(n),
                _ => {
                    return Err(format!(
                        "CUTOVER_OUTBOX_LEASE_SECS must be a number of seconds from 1 to 3600, not \"{v}\"."
                    ));
                }
            },
            None => Duration::from_secs(60),
        };
        Ok(NotifyConfig {
            smtp,
            public_url,
            mail_from,
            webhook,
            subscribe_rate,
            lease,
        })
    }

    /// The sender: `CUTOVER_MAIL_FROM`, else `no-reply@` the public URL's host.
    pub fn sender(&self) -> Option<String> {
        self.mail_from.clone().or_else(|| {
            let host = url::Url::parse(self.public_url.as_deref()?)
                .ok()?
                .host_str()?
                .to_owned();
            let host = host.trim_start_matches('[').trim_end_matches(']');
            // Address literals (`@[127.0.0.1]`) are refused by many servers: name the machine.
            let host = if host.parse::<IpAddr>().is_ok() {
                "localhost"
            } else {
                host
            };
            Some(format!("no-reply@{host}"))
        })
    }
}

fn is_loopback_http(url: &str) -> bool {
    ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|p| {
            url.strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
        })
}

fn parse_public_url(text: &str) -> Result<String, String> {
    let bad = || {
        format!(
            "CUTOVER_PUBLIC_URL must be the https:// address customers open Cutover at (http://127.0.0.1 for testing), not \"{text}\"."
        )
    };
    let url = url::Url::parse(text).map_err(|_| bad())?;
    if !(url.scheme() == "https" || is_loopback_http(text))
        || url.host_str().is_none()
        || url.query().is_some()
        || !url.username().is_empty()
    {
        return Err(bad());
    }
    Ok(text.trim_end_matches('/').to_owned())
}

fn parse_smtp_url(text: &str) -> Result<SmtpConfig, String> {
    let bad = |why: &str| {
        format!(
            "CUTOVER_SMTP_URL {why}; use smtps://user:password@host:465 (TLS) or smtp://user:password@host:587 (STARTTLS)."
        )
    };
    let url = url::Url::parse(text).map_err(|_| bad("is not a URL"))?;
    let host = url
        .host_str()
        .ok_or_else(|| bad("names no host"))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let loopback = host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    let (security, default_port) = match url.scheme() {
        "smtps" => (SmtpSecurity::ImplicitTls, 465),
        "smtp" if loopback => (SmtpSecurity::PlainLoopback, 25),
        "smtp" => (SmtpSecurity::StartTls, 587),
        _ => return Err(bad("must start with smtp:// or smtps://")),
    };
    let decode = |s: &str| {
        percent_decode(s)
            .ok_or_else(|| bad("has a user name or password that is not valid percent-encoding"))
    };
    let username = match url.username() {
        "" => None,
        u => Some(decode(u)?),
    };
    let password = url.password().map(decode).transpose()?;
    Ok(SmtpConfig {
        host,
        port: url.port().unwrap_or(default_port),
        security,
        username,
        password,
    })
}

/// `%XX` decoding of a URL's user or password part.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(pairs: &[(&str, &str)]) -> Result<NotifyConfig, String> {
        let vars: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        NotifyConfig::from_vars(&|k: &str| vars.get(k).map(String::as_str))
    }

    #[test]
    fn nothing_configured_sends_nothing() {
        let c = read(&[]).unwrap();
        assert!(c.smtp.is_none() && c.webhook.is_none() && c.public_url.is_none());
    }

    #[test]
    fn smtp_urls_choose_tls_by_scheme_and_host() {
        let c = read(&[
            (
                "CUTOVER_SMTP_URL",
                "smtps://mailer%40p.example:pa%3Ass@mail.p.example",
            ),
            ("CUTOVER_PUBLIC_URL", "https://status.p.example/"),
        ])
        .unwrap();
        let smtp = c.smtp.clone().unwrap();
        assert_eq!(smtp.security, SmtpSecurity::ImplicitTls);
        assert_eq!((smtp.host.as_str(), smtp.port), ("mail.p.example", 465));
        assert_eq!(smtp.username.as_deref(), Some("mailer@p.example"));
        assert_eq!(smtp.password.as_deref(), Some("pa:ss"));
        assert_eq!(c.public_url.as_deref(), Some("https://status.p.example"));
        assert_eq!(c.sender().as_deref(), Some("no-reply@status.p.example"));
        assert!(!format!("{c:?}").contains("pa:ss"));
        let starttls = read(&[
            ("CUTOVER_SMTP_URL", "smtp://u:p@mail.p.example"),
            ("CUTOVER_PUBLIC_URL", "https://s.p.example"),
        ])
        .unwrap();
        assert_eq!(starttls.smtp.unwrap().security, SmtpSecurity::StartTls);
        let local = read(&[
            ("CUTOVER_SMTP_URL", "smtp://127.0.0.1:2525"),
            ("CUTOVER_PUBLIC_URL", "http://127.0.0.1:8080"),
        ])
        .unwrap();
        assert_eq!(
            local.smtp.clone().unwrap().security,
            SmtpSecurity::PlainLoopback
        );
        let sender = local.sender().unwrap();
        assert!(
            sender.parse::<lettre::message::Mailbox>().is_ok(),
            "{sender}"
        );
    }

    #[test]
    fn bad_values_are_named_in_one_sentence() {
        let err = read(&[("CUTOVER_SMTP_URL", "smtp://127.0.0.1:25")]).unwrap_err();
        assert!(err.contains("CUTOVER_PUBLIC_URL"), "{err}");
        let err = read(&[
            ("CUTOVER_SMTP_URL", "imap://x"),
            ("CUTOVER_PUBLIC_URL", "https://s.example"),
        ])
        .unwrap_err();
        assert!(err.starts_with("CUTOVER_SMTP_URL"), "{err}");
        let err = read(&[("CUTOVER_PUBLIC_URL", "http://status.example")]).unwrap_err();
        assert!(err.contains("https://"), "{err}");
        let err = read(&[("CUTOVER_WEBHOOK_URL", "https://hooks.example/x")]).unwrap_err();
        assert!(err.contains("CUTOVER_WEBHOOK_SECRET"), "{err}");
        let err = read(&[
            ("CUTOVER_WEBHOOK_URL", "https://hooks.example/x"),
            ("CUTOVER_WEBHOOK_SECRET", "short"),
        ])
        .unwrap_err();
        assert!(err.contains("16"), "{err}");
        let err = read(&[("CUTOVER_MAIL_FROM", "not an address")]).unwrap_err();
        assert!(err.starts_with("CUTOVER_MAIL_FROM"), "{err}");
        let err = read(&[("CUTOVER_SUBSCRIBE_RATE_LIMIT", "x")]).unwrap_err();
        assert!(err.contains("CUTOVER_SUBSCRIBE_RATE_LIMIT"), "{err}");
    }

    #[test]
    fn the_webhook_secret_never_appears_in_debug_output() {
        let c = read(&[
            ("CUTOVER_WEBHOOK_URL", "http://127.0.0.1:9/hooks"),
            ("CUTOVER_WEBHOOK_SECRET", "webhook-secret-value-1"),
        ])
        .unwrap();
        assert!(!format!("{c:?}").contains("webhook-secret-value-1"));
    }
}
