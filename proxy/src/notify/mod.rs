//! Keeping customers and the partner's systems informed: e-mail to status-page subscribers and
//! webhooks, all through the store's outbox (see `store::outbox`), sent by one worker task per
//! proxy instance at least once.
//!
//! - [`config`]: `CUTOVER_SMTP_URL`, `CUTOVER_PUBLIC_URL`, `CUTOVER_MAIL_FROM`, `CUTOVER_WEBHOOK_*`.
//! - [`fanout`]: what a record write causes (mails to confirmed subscribers, webhooks).
//! - [`reminders`]: mails a few days before each of the customer's deadlines.
//! - [`worker`]: claims due messages, sends them, retries with backoff, feeds the backlog gauge.
//! - [`smtp`], [`webhook`]: the two ways out.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use cutover_plan::lang::Lang;
use cutover_plan::mail_content::{MailContent, MailContext};

pub mod config;
pub mod fanout;
pub mod reminders;
pub mod smtp;
pub mod webhook;
pub mod worker;

pub use config::NotifyConfig;

use crate::routes::rate_limit::PublicRate;
use smtp::{MailPayload, Mailer};
use webhook::WebhookSender;

/// The notification side of a running proxy.
pub struct Notifier {
    config: NotifyConfig,
    mailer: Option<Mailer>,
    webhook: Option<WebhookSender>,
    wake: tokio::sync::Notify,
    reminders_due: AtomicBool,
}

impl Notifier {
    /// Sets up mail and webhooks as configured (either may be off).
    pub fn new(config: NotifyConfig, partner_name: &str) -> Result<Notifier, String> {
        let mailer = match (&config.smtp, config.sender()) {
            (Some(smtp), Some(from)) => {
                let host = config
                    .public_url
                    .as_deref()
                    .and_then(|u| url::Url::parse(u).ok())
                    .and_then(|u| u.host_str().map(str::to_owned))
                    .unwrap_or_else(|| "cutover.invalid".into());
                let host = host
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .replace(':', "-");
                Some(Mailer::new(smtp, &from, partner_name, &host)?)
            }
            _ => None,
        };
        let webhook = config
            .webhook
            .as_ref()
            .map(|w| WebhookSender::new(&w.url, &w.secret))
            .transpose()?;
        Ok(Notifier {
            config,
            mailer,
            webhook,
            wake: tokio::sync::Notify::new(),
            reminders_due: AtomicBool::new(true),
        })
    }

    /// Whether status pages may offer e-mail subscriptions.
    pub fn mail_enabled(&self) -> bool {
        self.mailer.is_some()
    }

    /// Whether webhooks are configured.
    pub fn webhooks_enabled(&self) -> bool {
        self.webhook.is_some()
    }

    /// The mailer, when mail is configured.
    pub fn mailer(&self) -> Option<&Mailer> {
        self.mailer.as_ref()
    }

    /// The webhook sender, when webhooks are configured.
    pub fn webhook(&self) -> Option<&WebhookSender> {
        self.webhook.as_ref()
    }

    /// `CUTOVER_PUBLIC_URL` followed by `path`, or `path` alone when it is not set.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.config.public_url.as_deref().unwrap_or(""))
    }

    /// The page that confirms a subscription.
    pub fn confirm_url(&self, token: &str) -> String {
        self.link(&format!("/api/public/mail/confirm/{token}"))
    }

    /// The page (and one-click target) that ends a subscription.
    pub fn unsubscribe_url(&self, token: &str) -> String {
        self.link(&format!("/api/public/mail/unsubscribe/{token}"))
    }

    /// How long one attempt holds a message.
    pub fn lease(&self) -> Duration {
        self.config.lease
    }

    /// The per-address limit of subscription requests.
    pub fn subscribe_rate(&self) -> PublicRate {
        self.config.subscribe_rate
    }

    /// Tells this instance's worker that something was queued.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Asks the worker to look for reminders on its next round (a subscriber just confirmed).
    pub fn remind_soon(&self) {
        self.reminders_due.store(true, Ordering::Relaxed);
        self.wake();
    }

    fn take_reminders_due(&self) -> bool {
        self.reminders_due.swap(false, Ordering::Relaxed)
    }
}

/// A mail's outbox payload from its content.
pub fn mail_payload(
    kind: &str,
    lang: Lang,
    content: MailContent,
    unsubscribe_url: &str,
) -> serde_json::Value {
    serde_json::to_value(MailPayload {
        kind: kind.to_owned(),
        lang: lang.tag().to_owned(),
        subject: content.subject,
        text: content.text,
        html: content.html,
        unsubscribe_url: unsubscribe_url.to_owned(),
    })
    .unwrap_or_default()
}

/// The context of a subscriber's mails.
pub fn mail_context<'a>(
    lang: Lang,
    partner: &'a str,
    customer: &'a str,
    unsubscribe_url: &'a str,
) -> MailContext<'a> {
    MailContext {
        lang,
        partner,
        customer,
        unsubscribe_url,
    }
}

/// Starts this instance's outbox worker.
pub fn spawn(state: Arc<crate::AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(worker::run(state))
}
