//! Browser entry point: mount the app.
fn main() {
    cutover::mount();
}
