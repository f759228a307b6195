//! Links the partner app's wasm with relocation sections: `scripts/split-app.mjs` needs them to
//! split it into a main module and lazily loaded screens (src/lazy_routes.rs).
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo::rustc-link-arg-bin=cutover=--emit-relocs");
    }
}
