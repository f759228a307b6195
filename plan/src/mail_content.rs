//! The mails a status-page subscriber gets, as subject, plain text and HTML, in the language they
//! subscribed in and naming the partner: the confirmation (double opt-in), a change in the
//! customer's move, and a reminder a few days before one of the customer's deadlines.
//!
//! Pure text: the proxy adds the addresses, the headers (including `List-Unsubscribe`) and sends.
//! Every name is escaped in the HTML part.

use crate::customer_messages::{change_text, date_text, status_title, todo_text};
use crate::customer_status::Todo;
use crate::lang::Lang;
use crate::notifications::{CustomerChange, Reminder};

/// One mail's content.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MailContent {
    /// The subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part (a small, self-contained document).
    pub html: String,
}

/// Who the mail is about and where its links go.
#[derive(Clone, Copy, Debug)]
pub struct MailContext<'a> {
    /// The subscriber's language.
    pub lang: Lang,
    /// The partner moving the customer.
    pub partner: &'a str,
    /// The customer.
    pub customer: &'a str,
    /// Ends the subscription (shown in every mail).
    pub unsubscribe_url: &'a str,
}

/// The mail that asks the address's owner to confirm the subscription.
#[must_use]
pub fn confirmation(c: &MailContext<'_>, confirm_url: &str) -> MailContent {
    let l = c.lang;
    let subject = match l {
        Lang::En => format!("Confirm updates on {}", status_title(l, c.customer)),
        Lang::Ja => format!("メール通知の確認: {}", status_title(l, c.customer)),
    };
    let intro = match l {
        Lang::En => format!(
            "{partner} is moving {customer}'s Microsoft 365 subscriptions onto its CSP contract. Someone asked, on the migration status page, for e-mail to this address when the move changes and before each of your deadlines.",
            partner = c.partner,
            customer = c.customer
        ),
        Lang::Ja => format!(
            "{partner} は {customer} の Microsoft 365 サブスクリプションを CSP 契約に移行しています。移行状況ページで、移行の状況が変わったときと期限の前に、このアドレスへメールを送るよう依頼がありました。",
            partner = c.partner,
            customer = c.customer
        ),
    };
    let action = l.pick("Confirm the subscription", "購読を確認する");
    let ignore = l.pick(
        "If you did not ask for this, ignore this mail: nothing more will be sent, and the address is deleted when the status link is revoked.",
        "心当たりがない場合は、このメールを無視してください。これ以上メールは送信されず、状況リンクが取り消されるとアドレスは削除されます。",
    );
    compose(
        c,
        subject,
        &[Block::Para(intro)],
        Some((action, confirm_url)),
        ignore,
    )
}

/// The mail about what changed for the customer, with what is asked of them now.
#[must_use]
pub fn step_change(c: &MailContext<'_>, changes: &[CustomerChange], todos: &[Todo]) -> MailContent {
    let l = c.lang;
    let first = changes
        .first()
        .map(|ch| change_text(l, ch, c.partner))
        .unwrap_or_default();
    let subject = match l {
        Lang::En => format!("{}: {}", status_title(l, c.customer), first),
        Lang::Ja => format!("{}: {}", status_title(l, c.customer), first),
    };
    let intro = match l {
        Lang::En => format!(
            "{} updated the plan for moving {} onto CSP. What changed:",
            c.partner, c.customer
        ),
        Lang::Ja => format!(
            "{} が {} の CSP への移行プランを更新しました。変更点:",
            c.partner, c.customer
        ),
    };
    let now = l.pick("What you need to do now:", "現在お客様に必要な作業:");
    compose(
        c,
        subject,
        &[
            Block::Para(intro),
            Block::List(
                changes
                    .iter()
                    .map(|ch| change_text(l, ch, c.partner))
                    .collect(),
            ),
            Block::Para(now.to_owned()),
            Block::List(todos.iter().map(|t| todo_text(l, t, c.partner)).collect()),
        ],
        None,
        "",
    )
}

/// The reminder a few days before one of the customer's deadlines.
#[must_use]
pub fn reminder(c: &MailContext<'_>, r: &Reminder) -> MailContent {
    let l = c.lang;
    let by = date_text(l, r.by);
    let subject = match l {
        Lang::En => format!("Reminder, due {by}: {}", status_title(l, c.customer)),
        Lang::Ja => format!("リマインダー ({by} 期限): {}", status_title(l, c.customer)),
    };
    let intro = match l {
        Lang::En => format!(
            "A reminder from {} about moving {} onto CSP:",
            c.partner, c.customer
        ),
        Lang::Ja => format!(
            "{} から {} の CSP への移行についてのリマインダーです:",
            c.partner, c.customer
        ),
    };
    let mut blocks = vec![
        Block::Para(intro),
        Block::List(vec![todo_text(l, &r.todo, c.partner)]),
    ];
    if let Todo::SwitchOffAutoRenew { end_date, .. } = &r.todo {
        blocks.push(Block::Para(match l {
            Lang::En => format!(
                "Otherwise it renews by itself at {}. Do not cancel it early: cancelling is not refunded.",
                crate::customer_messages::renewal_text(l, *end_date)
            ),
            Lang::Ja => format!(
                "オフにしないと {} に自動更新されます。取り消しても返金されないため、早めに取り消さないでください。",
                crate::customer_messages::renewal_text(l, *end_date)
            ),
        }));
    }
    let link = match &r.todo {
        Todo::AcceptInvitation { url: Some(u), .. }
        | Todo::ApproveAdminAccess { url: Some(u), .. }
            if u.starts_with("https://") =>
        {
            Some((
                l.pick(
                    "Open it in the Microsoft 365 admin center",
                    "Microsoft 365 管理センターで開く",
                ),
                u.as_str(),
            ))
        }
        _ => None,
    };
    compose(c, subject, &blocks, link, "")
}

enum Block {
    Para(String),
    List(Vec<String>),
}

fn compose(
    c: &MailContext<'_>,
    subject: String,
    blocks: &[Block],
    action: Option<(&str, &str)>,
    after: &str,
) -> MailContent {
    let l = c.lang;
    let footer = match l {
        Lang::En => format!(
            "You get this mail because this address subscribed to the migration status of {} on a status page from {}.",
            c.customer, c.partner
        ),
        Lang::Ja => format!(
            "このメールは、{} が提供する移行状況ページで {} の移行状況を購読したアドレスに送信しています。",
            c.partner, c.customer
        ),
    };
    let unsubscribe = l.pick("Unsubscribe", "配信を停止する");
    let mut text = String::new();
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head><body style=\"font-family: sans-serif; line-height: 1.5; max-width: 40em\">",
        l.tag(),
        escape_html(&subject)
    );
    html.push_str(&format!(
        "<p style=\"color: #555\">{}</p>",
        escape_html(c.partner)
    ));
    for b in blocks {
        match b {
            Block::Para(p) => {
                text.push_str(p);
                text.push_str("\n\n");
                html.push_str(&format!("<p>{}</p>", escape_html(p)));
            }
            Block::List(items) if items.is_empty() => {}
            Block::List(items) => {
                html.push_str("<ul>");
                for i in items {
                    text.push_str(&format!("- {i}\n"));
                    html.push_str(&format!("<li>{}</li>", escape_html(i)));
                }
                text.push('\n');
                html.push_str("</ul>");
            }
        }
    }
    if let Some((label, url)) = action {
        text.push_str(&format!("{label}:\n{url}\n\n"));
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape_html(url),
            escape_html(label)
        ));
    }
    if !after.is_empty() {
        text.push_str(after);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape_html(after)));
    }
    text.push_str(&format!(
        "-- \n{footer}\n{unsubscribe}: {}\n",
        c.unsubscribe_url
    ));
    html.push_str(&format!(
        "<hr><p style=\"color: #555; font-size: smaller\">{} <a href=\"{}\">{}</a></p></body></html>",
        escape_html(&footer),
        escape_html(c.unsubscribe_url),
        escape_html(unsubscribe)
    ));
    MailContent {
        subject,
        text,
        html,
    }
}

/// The small pages behind the links in the mails.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SubscriptionPage {
    /// Asks to confirm the subscription (a button; link checkers do not press it).
    ConfirmAsk,
    /// The subscription is confirmed.
    Confirmed,
    /// Asks to end the subscription (a button).
    UnsubscribeAsk,
    /// The subscription has ended (or was not there any more).
    Unsubscribed,
    /// The link is not valid (mistyped, or the status link was revoked).
    NotValid,
}

/// A page's heading, text and button (when it has one).
#[must_use]
pub fn page_text(
    l: Lang,
    page: SubscriptionPage,
) -> (&'static str, &'static str, Option<&'static str>) {
    match page {
        SubscriptionPage::ConfirmAsk => (
            l.pick("Confirm e-mail updates", "メール通知の確認"),
            l.pick(
                "Press the button to receive e-mail when the migration status changes and before each of your deadlines.",
                "ボタンを押すと、移行の状況が変わったときと各期限の前にメールが届くようになります。",
            ),
            Some(l.pick("Confirm", "確認する")),
        ),
        SubscriptionPage::Confirmed => (
            l.pick("You are subscribed", "購読を開始しました"),
            l.pick(
                "You will get e-mail when the migration status changes and a few days before each of your deadlines. Every mail has a link to unsubscribe.",
                "移行の状況が変わったときと、各期限の数日前にメールでお知らせします。すべてのメールに配信停止のリンクがあります。",
            ),
            None,
        ),
        SubscriptionPage::UnsubscribeAsk => (
            l.pick("Unsubscribe", "配信の停止"),
            l.pick(
                "Press the button to stop e-mail about this migration. Your address is deleted.",
                "ボタンを押すと、この移行に関するメールの配信を停止し、アドレスを削除します。",
            ),
            Some(l.pick("Unsubscribe", "配信を停止する")),
        ),
        SubscriptionPage::Unsubscribed => (
            l.pick("You are unsubscribed", "配信を停止しました"),
            l.pick(
                "No more mail will be sent to this address about this migration, and the address has been deleted.",
                "この移行に関するメールはこのアドレスに送信されなくなり、アドレスは削除されました。",
            ),
            None,
        ),
        SubscriptionPage::NotValid => (
            l.pick("This link is not valid", "このリンクは無効です"),
            l.pick(
                "It may be incomplete, or the subscription or the status link may have ended. Subscribe again on the status page if you want updates.",
                "リンクが不完全か、購読または状況リンクが終了している可能性があります。通知が必要な場合は、状況ページでもう一度購読してください。",
            ),
            None,
        ),
    }
}

/// A page as a small HTML document (with a form posting back to the same address when the page
/// has a button).
#[must_use]
pub fn page_html(l: Lang, page: SubscriptionPage) -> String {
    let (title, body, button) = page_text(l, page);
    let form = button
        .map(|b| {
            format!(
                "<form method=\"post\"><button type=\"submit\">{}</button></form>",
                escape_html(b)
            )
        })
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex, nofollow\"><title>{t}</title><style>body{{font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em;line-height:1.5}}button{{font:inherit;padding:.5em 1.2em;cursor:pointer}}</style></head><body><main><h1>{t}</h1><p>{}</p>{form}</main></body></html>",
        l.tag(),
        escape_html(body),
        t = escape_html(title),
    )
}

/// Escapes text for HTML content and double-quoted attributes.
#[must_use]
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::StepStatus;
    use crate::date::Date;

    fn ctx(lang: Lang) -> MailContext<'static> {
        MailContext {
            lang,
            partner: "Contoso <CSP>",
            customer: "有限会社ファブリカム",
            unsubscribe_url: "https://status.example/api/public/mail/unsubscribe/abc",
        }
    }

    #[test]
    fn the_japanese_confirmation_names_the_partner_and_carries_both_links() {
        let m = confirmation(
            &ctx(Lang::Ja),
            "https://status.example/api/public/mail/confirm/abc",
        );
        assert!(m.subject.starts_with("メール通知の確認"), "{}", m.subject);
        assert!(m.text.contains("Contoso <CSP> は 有限会社ファブリカム"));
        assert!(m.text.contains("/mail/confirm/abc") && m.text.contains("/mail/unsubscribe/abc"));
        assert!(m.html.contains("Contoso &lt;CSP&gt;") && !m.html.contains("<CSP>"));
        assert!(m.html.contains("lang=\"ja\"") && m.html.contains("配信を停止する"));
    }

    #[test]
    fn a_change_mail_lists_the_changes_and_what_is_asked_now() {
        let m = step_change(
            &ctx(Lang::En),
            &[CustomerChange::Step {
                step: 1,
                from: StepStatus::Open,
                to: StepStatus::Done,
            }],
            &[Todo::AllDone],
        );
        assert_eq!(
            m.subject,
            "有限会社ファブリカム: move to CSP: Step 2, Provision in CSP: now done."
        );
        assert!(m.text.contains("- Nothing left to do"));
        assert!(
            m.html
                .contains("<li>Step 2, Provision in CSP: now done.</li>")
        );
    }

    #[test]
    fn a_reminder_names_the_deadline_and_links_only_to_https() {
        let r = Reminder {
            todo: Todo::AcceptInvitation {
                url: Some("javascript:alert(1)".into()),
                sent_on: None,
                by: Some(Date::parse("2027-03-24").unwrap()),
            },
            by: Date::parse("2027-03-24").unwrap(),
            key: "accept_invitation".into(),
        };
        let m = reminder(&ctx(Lang::Ja), &r);
        assert!(m.subject.contains("2027年3月24日"), "{}", m.subject);
        assert!(!m.html.contains("javascript:"));
    }
}
