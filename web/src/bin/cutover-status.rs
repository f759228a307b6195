//! Browser entry point of the customer status page (`/status/{token}`, built from `status.html`):
//! only the status page, so customers download a small bundle.
fn main() {
    cutover_web::status_page::mount();
}
