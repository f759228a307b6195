//! Component tests that run inside headless Chromium (wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]
use cutover::components::error_banner::ErrorBanner;
use cutover_plan::wire::ApiError;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn host() -> web_sys::HtmlElement {
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    host.unchecked_into()
}

#[wasm_bindgen_test]
fn error_banner_renders_hostile_text_as_text() {
    let host = host();
    let payload = "<img src=x onerror=alert(1)> failed";
    let error = ApiError::new("x", payload, false);
    let _handle = leptos::mount::mount_to(
        host.clone(),
        move || view! { <ErrorBanner error=error.clone() /> },
    );
    let alert = host
        .query_selector("[role=alert]")
        .unwrap()
        .expect("banner is rendered");
    assert!(alert.text_content().unwrap().contains(payload));
    assert!(
        host.query_selector("img").unwrap().is_none(),
        "markup in a message must not become elements"
    );
    assert!(
        host.query_selector("button").unwrap().is_none(),
        "no retry for a non-retryable error"
    );
}

#[wasm_bindgen_test]
fn error_banner_offers_retry_when_retryable() {
    let host = host();
    let clicked = RwSignal::new(0);
    let error = ApiError::new("unavailable", "Partner Center had a problem.", true);
    let _handle = leptos::mount::mount_to(host.clone(), move || {
        view! { <ErrorBanner error=error.clone() on_retry=Callback::new(move |_| clicked.update(|n| *n += 1)) /> }
    });
    let button: web_sys::HtmlElement = host
        .query_selector("button")
        .unwrap()
        .expect("retry button")
        .unchecked_into();
    button.click();
    assert_eq!(clicked.get_untracked(), 1);
}
