//! The customer's read-only status page behind a share link (`/status/{token}`).
//!
//! Its own entry point (`web/src/bin/cutover-status.rs`, `status.html`): a small bundle for
//! customers' phones, without the partner app's router, pages, HTTP client or Leptos. One request
//! (the projection); every date is computed here by `cutover-plan` and shown in the viewer's own
//! locale and time zone. The page is built with [`crate::dom`] (everything as text) and built
//! again when the answer or the language changes; one listener per event kind on `<main>` serves
//! every button below it (`data-action`).
pub mod mail;
pub mod sections;

use std::cell::RefCell;
use std::rc::Rc;

use cutover_plan::customer_status::StatusPageModel;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, Event};

use crate::api::public::{self, StatusError};
use crate::dom::{El, closest_with, document, replace_children, text_el};
use crate::i18n::{Lang, dates, status as t};

/// Name of the `performance.mark` set when the checklist is in the DOM (read by the e2e test).
pub const VISIBLE_MARK: &str = "status-checklist-visible";

/// Where loading the status stands.
enum Load {
    Loading,
    Loaded(Box<StatusPageModel>),
    Invalid,
    Unavailable,
}

/// Everything the page shows, and the `<main>` it is shown in.
struct Page {
    root: Element,
    token: String,
    lang: Lang,
    load: Load,
    mail: mail::Form,
    marked: bool,
}

type Shared = Rc<RefCell<Page>>;

/// Mounts the status page into `<body>`, replacing the static "Loading…" placeholder.
pub fn mount() {
    console_error_panic_hook::set_once();
    let doc = document();
    if let Some(boot) = doc.get_element_by_id("boot") {
        boot.remove();
    }
    let root = El::new("main")
        .attr("id", "main")
        .attr("tabindex", "-1")
        .into_element();
    if let Some(body) = doc.body() {
        let _ = body.append_with_node_1(&root);
    }
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    let page: Shared = Rc::new(RefCell::new(Page {
        root: root.clone(),
        token: public::token_from_path(&path)
            .unwrap_or_default()
            .to_owned(),
        lang: Lang::detect(),
        load: Load::Loading,
        mail: mail::Form::default(),
        marked: false,
    }));
    listen(&root, "click", &page, on_click);
    listen(&root, "submit", &page, mail::on_submit);
    listen(&root, "input", &page, mail::on_input);
    render(&page);
    load(&page);
}

/// One listener for events of `kind` anywhere in the page, for the page's whole life.
fn listen(root: &Element, kind: &str, page: &Shared, handler: fn(&Shared, &Event)) {
    let page = page.clone();
    let closure = Closure::<dyn Fn(Event)>::new(move |ev: Event| handler(&page, &ev));
    let _ = root.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref());
    // The page lives as long as the document: its listeners do too.
    closure.forget();
}

/// Asks for the projection (again) and shows the outcome.
fn load(page: &Shared) {
    page.borrow_mut().load = Load::Loading;
    render(page);
    let page = page.clone();
    let token = page.borrow().token.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let answer = public::status(&token).await;
        page.borrow_mut().load = match answer {
            Ok(a) => Load::Loaded(Box::new(StatusPageModel::new(&a, dates::today()))),
            Err(StatusError::Invalid) => Load::Invalid,
            Err(StatusError::Unavailable(_)) => Load::Unavailable,
        };
        render(&page);
    });
}

/// The buttons of the page: language, try again, calendar file, print.
fn on_click(page: &Shared, ev: &Event) {
    let Some((_, action)) = closest_with(ev, "data-action") else {
        return;
    };
    match action.as_str() {
        "lang-en" | "lang-ja" => {
            let lang = if action == "lang-ja" {
                Lang::Ja
            } else {
                Lang::En
            };
            lang.remember();
            page.borrow_mut().lang = lang;
            render(page);
            // The button pressed was rebuilt: keep the keyboard where it was.
            let selector = format!("[data-action={action}]");
            if let Ok(Some(b)) = page.borrow().root.query_selector(&selector)
                && let Ok(b) = b.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = b.focus();
            }
        }
        "retry" => load(page),
        "download-ics" => {
            let p = page.borrow();
            if let Load::Loaded(m) = &p.load {
                sections::download_ics(m, p.lang);
            }
        }
        "print" => {
            if let Some(w) = web_sys::window() {
                let _ = w.print();
            }
        }
        _ => {}
    }
}

/// Builds the whole page for its state and language.
fn render(page: &Shared) {
    let p = page.borrow();
    let l = p.lang;
    l.apply_to_document();
    let body = match &p.load {
        Load::Loading => {
            vec![text_el("p", "status-loading", t::loading(l)).attr("role", "status")]
        }
        Load::Loaded(m) => {
            document().set_title(&format!(
                "{} · {}",
                t::page_title(l),
                m.status.customer_name
            ));
            let feed = public::feed_url(&p.token);
            sections::page(m, l, feed.as_deref(), &p.mail)
        }
        Load::Invalid => {
            document().set_title(t::invalid_title(l));
            vec![message(
                "status-invalid",
                t::invalid_title(l),
                t::invalid_body(l),
            )]
        }
        Load::Unavailable => vec![
            message(
                "status-unavailable",
                t::unavailable_title(l),
                t::unavailable_body(l),
            )
            .attr("role", "alert")
            .child(
                text_el("button", "button", t::try_again(l))
                    .attr("type", "button")
                    .attr("data-action", "retry"),
            ),
        ],
    };
    let bar = El::new("div")
        .class("status-bar")
        .child(text_el("span", "status-bar-title", t::page_title(l)))
        .child(lang_switch(l));
    replace_children(
        &p.root,
        vec![
            El::new("div")
                .class("status-page")
                .testid("status-page")
                .child(bar)
                .children(body),
        ],
    );
    let first_paint = matches!(p.load, Load::Loaded(_)) && !p.marked;
    drop(p);
    if first_paint {
        page.borrow_mut().marked = true;
        if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
            let _ = perf.mark(VISIBLE_MARK);
        }
    }
}

/// The invalid-link and unavailable pages: a heading and a sentence.
fn message(testid: &str, title: &str, body: &str) -> El {
    El::new("section")
        .class("status-invalid")
        .testid(testid)
        .child(text_el("h1", "", title))
        .child(text_el("p", "", body))
}

/// A pair of buttons to switch language; the current one is pressed (the partner app's
/// `LangSwitch`, for this page).
fn lang_switch(current: Lang) -> El {
    let button = |l: Lang| {
        text_el("button", "lang-button", l.name())
            .attr("type", "button")
            .attr("lang", l.tag())
            .attr("aria-pressed", if l == current { "true" } else { "false" })
            .attr("data-action", &format!("lang-{}", l.tag()))
    };
    El::new("div")
        .class("lang-switch")
        .attr("role", "group")
        .attr("aria-label", "Language / 言語")
        .child(button(Lang::En))
        .child(button(Lang::Ja))
}
