# Sourced by the scripts: puts the project's tools on PATH.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Extra environment for wasm builds; empty since the wasm target always comes from rustup.
export WASM_TOOLCHAIN_ENV=""
build_app() { env $WASM_TOOLCHAIN_ENV trunk build --release "$@"; }
