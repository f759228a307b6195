//! The status page's e-mail form: the customer's IT admin asks for mail when the move changes and
//! before each of their deadlines. The server sends a confirmation first (double opt-in) and
//! answers the same whatever the address, so the page only ever says "check your inbox".
//!
//! The form's state lives in the page, so switching language keeps what was typed; while a
//! request is under way only the button and the outcome line change, so focus stays put.
use wasm_bindgen::JsCast;
use web_sys::{Event, HtmlInputElement};

use super::Shared;
use crate::api::public::{self, SubscribeError};
use crate::dom::{El, replace_children, text_el};
use crate::i18n::{Lang, notify as t};

/// What the last request said.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Sent {
    #[default]
    No,
    Yes,
    Invalid,
    Failed,
}

/// The form as the customer left it.
#[derive(Debug, Default)]
pub struct Form {
    address: String,
    sent: Sent,
    sending: bool,
}

impl Form {
    /// The whole card, shown when the server sends mail.
    pub fn section(&self, l: Lang) -> El {
        let input = El::new("input")
            .attr("type", "email")
            .attr("name", "email")
            .attr("autocomplete", "email")
            .attr("required", "")
            .testid("mail-address");
        if let Some(input) = input.element().dyn_ref::<HtmlInputElement>() {
            input.set_value(&self.address);
        }
        let form = El::new("form")
            .class("mail-form")
            .attr("novalidate", "")
            .attr("data-form", "mail")
            .child(
                El::new("label")
                    .class("field")
                    .child(text_el("span", "", t::mail_address(l)))
                    .child(input),
            )
            .child(self.button(l));
        El::new("section")
            .class("status-card status-mail")
            .attr("aria-labelledby", "status-mail-h")
            .testid("mail-subscribe")
            .child(text_el("h2", "", t::mail_heading(l)).attr("id", "status-mail-h"))
            .child(text_el("p", "", t::mail_intro(l)))
            .child(form)
            .child(El::new("p").class("muted").child(text_el(
                "small",
                "",
                t::mail_language_note(l),
            )))
            .child(
                El::new("div")
                    .class("mail-outcome")
                    .children(self.outcome(l)),
            )
    }

    fn button(&self, l: Lang) -> El {
        let button = El::new("button")
            .class("button")
            .attr("type", "submit")
            .testid("mail-submit");
        self.show_on_button(button.element(), l);
        button
    }

    /// The submit button's label, and disabled while a request is under way.
    fn show_on_button(&self, button: &web_sys::Element, l: Lang) {
        let label = if self.sending {
            t::mail_sending(l)
        } else {
            t::mail_subscribe(l)
        };
        button.set_text_content(Some(label));
        if self.sending {
            let _ = button.set_attribute("disabled", "");
        } else {
            let _ = button.remove_attribute("disabled");
        }
    }

    fn outcome(&self, l: Lang) -> Vec<El> {
        let banner = |class: &str, role: &str, testid: &str, text: &str| {
            text_el("p", class, text).attr("role", role).testid(testid)
        };
        match self.sent {
            Sent::No => vec![],
            Sent::Yes => vec![banner(
                "banner banner-ok",
                "status",
                "mail-sent",
                t::mail_sent(l),
            )],
            Sent::Invalid => vec![banner(
                "banner banner-warning",
                "alert",
                "mail-invalid",
                t::mail_invalid(l),
            )],
            Sent::Failed => vec![banner(
                "banner banner-warning",
                "alert",
                "mail-failed",
                t::mail_failed(l),
            )],
        }
    }
}

/// Keeps what is typed in the address field.
pub(super) fn on_input(page: &Shared, ev: &Event) {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
    else {
        return;
    };
    if input.get_attribute("data-testid").as_deref() == Some("mail-address") {
        page.borrow_mut().mail.address = input.value();
    }
}

/// Sends the address (after the simplest check) and shows the answer.
pub(super) fn on_submit(page: &Shared, ev: &Event) {
    let is_mail = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|f| f.get_attribute("data-form"))
        .is_some_and(|f| f == "mail");
    if !is_mail {
        return;
    }
    ev.prevent_default();
    let (token, address, lang) = {
        let mut p = page.borrow_mut();
        if p.mail.sending {
            return;
        }
        let address = p.mail.address.clone();
        if address.trim().is_empty() || !address.contains('@') {
            p.mail.sent = Sent::Invalid;
            drop(p);
            update(page);
            return;
        }
        p.mail.sending = true;
        (p.token.clone(), address, p.lang)
    };
    update(page);
    let page = page.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let sent = match public::subscribe(&token, &address, lang.into()).await {
            Ok(()) => Sent::Yes,
            Err(SubscribeError::InvalidAddress) => Sent::Invalid,
            Err(SubscribeError::Failed) => Sent::Failed,
        };
        {
            let mut p = page.borrow_mut();
            p.mail.sent = sent;
            p.mail.sending = false;
        }
        update(&page);
    });
}

/// Shows the form's state in place: the button and the outcome line, nothing else.
fn update(page: &Shared) {
    let p = page.borrow();
    let find = |selector: &str| p.root.query_selector(selector).ok().flatten();
    if let Some(button) = find("[data-testid=mail-submit]") {
        p.mail.show_on_button(&button, p.lang);
    }
    if let Some(outcome) = find(".mail-outcome") {
        replace_children(&outcome, p.mail.outcome(p.lang));
    }
}
