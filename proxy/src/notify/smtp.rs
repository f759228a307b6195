//! Mail over SMTP with lettre: one queued mail becomes one message with a plain-text and an HTML
//! part, the partner as the sender's name, a `Message-ID` made from the outbox's deduplication id
//! (the same on every attempt), and one-click unsubscribe headers (RFC 8058).
use std::time::{Duration, UNIX_EPOCH};

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

use super::config::{SmtpConfig, SmtpSecurity};

/// How long one SMTP conversation may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// A mail as the outbox keeps it (no address: that is in the subscriber's row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MailPayload {
    /// `confirmation`, `change` or `reminder`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `en` or `ja`.
    pub lang: String,
    /// Subject.
    pub subject: String,
    /// Plain-text part.
    pub text: String,
    /// HTML part.
    pub html: String,
    /// One-click unsubscribe URL (`List-Unsubscribe`).
    pub unsubscribe_url: String,
}

/// Why a mail was not sent.
#[derive(Debug)]
pub enum SendError {
    /// Worth another try later (connection, timeout, 4xx).
    Transient(String),
    /// The server refused it for good (5xx), or it cannot be built.
    Permanent(String),
}

/// Sends mail through the configured server.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    id_host: String,
}

impl Mailer {
    /// A mailer for `smtp`, sending as `partner <from>`; `id_host` ends every `Message-ID`.
    pub fn new(
        smtp: &SmtpConfig,
        from: &str,
        partner: &str,
        id_host: &str,
    ) -> Result<Mailer, String> {
        let address: Mailbox = from.parse().map_err(|_| {
            format!(
                "The sender address \"{from}\" is not an e-mail address; set CUTOVER_MAIL_FROM."
            )
        })?;
        let tls = |host: &str| {
            TlsParameters::new(host.to_owned())
                .map_err(|e| format!("TLS for the SMTP server {host} could not be set up ({e})."))
        };
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(smtp.host.clone())
                .port(smtp.port)
                .timeout(Some(SMTP_TIMEOUT));
        builder = match smtp.security {
            SmtpSecurity::ImplicitTls => builder.tls(Tls::Wrapper(tls(&smtp.host)?)),
            SmtpSecurity::StartTls => builder.tls(Tls::Required(tls(&smtp.host)?)),
            SmtpSecurity::PlainLoopback => builder.tls(Tls::None),
        };
        if let Some(user) = &smtp.username {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                smtp.password.clone().unwrap_or_default(),
            ));
        }
        Ok(Mailer {
            transport: builder.build(),
            from: Mailbox::new(Some(partner.to_owned()), address.email),
            id_host: id_host.to_owned(),
        })
    }

    /// Sends one queued mail to `to`.
    pub async fn send(
        &self,
        to: &str,
        dedup_id: &str,
        created_at: &str,
        mail: &MailPayload,
    ) -> Result<(), SendError> {
        let message = self.build(to, dedup_id, created_at, mail)?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| {
            let what = format!("the SMTP server did not take the mail ({e})");
            if e.is_permanent() {
                SendError::Permanent(what)
            } else {
                SendError::Transient(what)
            }
        })
    }

    /// The message as it goes out (also what the tests read).
    pub fn build(
        &self,
        to: &str,
        dedup_id: &str,
        created_at: &str,
        mail: &MailPayload,
    ) -> Result<Message, SendError> {
        let to: Mailbox = to
            .parse()
            .map_err(|_| SendError::Permanent("the subscriber's address is not valid".into()))?;
        let header = |name: &'static str, value: String| {
            HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
        };
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(format!(
                "<{}@{}>",
                message_id_part(dedup_id),
                self.id_host
            )))
            .raw_header(header("X-Cutover-Message-Id", dedup_id.to_owned()))
            .raw_header(header("Auto-Submitted", "auto-generated".into()))
            .raw_header(header("Content-Language", mail.lang.clone()));
        if let Some(secs) = unix_seconds(created_at) {
            builder = builder.date(UNIX_EPOCH + Duration::from_secs(secs));
        }
        if mail.unsubscribe_url.starts_with("http") {
            builder = builder
                .raw_header(header(
                    "List-Unsubscribe",
                    format!("<{}>", mail.unsubscribe_url),
                ))
                .raw_header(header(
                    "List-Unsubscribe-Post",
                    "List-Unsubscribe=One-Click".into(),
                ));
        }
        builder
            .multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                mail.html.clone(),
            ))
            .map_err(|e| SendError::Permanent(format!("the mail could not be built ({e})")))
    }
}

/// The deduplication id as the left part of a `Message-ID` (letters, digits, `.` and `-`).
fn message_id_part(dedup_id: &str) -> String {
    dedup_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '.'
            }
        })
        .collect()
}

/// `YYYY-MM-DDTHH:MM:SSZ` as seconds since the epoch.
pub fn unix_seconds(instant: &str) -> Option<u64> {
    let day = cutover_plan::Date::parse(instant.get(..10)?).ok()?;
    let field = |a: usize| instant.get(a..a + 2)?.parse::<u64>().ok();
    let days = u64::try_from(day.days()).ok()?;
    Some(days * 86_400 + field(11)? * 3600 + field(14)? * 60 + field(17)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mailer() -> Mailer {
        Mailer::new(
            &SmtpConfig {
                host: "127.0.0.1".into(),
                port: 2525,
                security: SmtpSecurity::PlainLoopback,
                username: None,
                password: None,
            },
            "no-reply@status.example",
            "コントソ CSP",
            "status.example",
        )
        .unwrap()
    }

    // The pooled transport needs a Tokio runtime, also when it is dropped.
    #[tokio::test]
    async fn a_mail_carries_its_dedup_id_unsubscribe_headers_and_both_parts() {
        let mail = MailPayload {
            kind: "confirmation".into(),
            lang: "ja".into(),
            subject: "メール通知の確認".into(),
            text: "本文".into(),
            html: "<p>本文</p>".into(),
            unsubscribe_url: "https://status.example/api/public/mail/unsubscribe/abc".into(),
        };
        let m = mailer()
            .build(
                "it@fabrikam.example",
                "confirm:s1:ab",
                "2026-11-24T09:30:00Z",
                &mail,
            )
            .unwrap();
        let text = String::from_utf8(m.formatted()).unwrap();
        assert!(
            text.contains("Message-ID: <confirm.s1.ab@status.example>"),
            "{text}"
        );
        assert!(text.contains("X-Cutover-Message-Id: confirm:s1:ab"));
        assert!(text.contains(
            "List-Unsubscribe: <https://status.example/api/public/mail/unsubscribe/abc>"
        ));
        assert!(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(text.contains("multipart/alternative") && text.contains("text/html"));
        assert!(text.contains("Date: Tue, 24 Nov 2026 09:30:00"), "{text}");
        assert!(!text.contains("メール通知の確認"), "the subject is encoded");
    }

    #[test]
    fn instants_are_read_as_unix_seconds() {
        assert_eq!(unix_seconds("1970-01-02T00:00:01Z"), Some(86_401));
        assert_eq!(unix_seconds("2025-04-01T09:00:00Z"), Some(1_743_498_000));
        assert_eq!(unix_seconds("nonsense"), None);
    }
}
