# Sourced by the scripts: puts the project's tools on PATH and selects the wasm toolchain.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
   && rustup toolchain list 2>/dev/null | grep -q '^debian-web'; then
  # Debian's rust-web fallback: build std from source for wasm (see scripts/setup).
  export WASM_TOOLCHAIN_ENV="RUSTUP_TOOLCHAIN=debian-web RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort"
else
  export WASM_TOOLCHAIN_ENV=""
fi
build_app() { env $WASM_TOOLCHAIN_ENV trunk build --release "$@"; }
