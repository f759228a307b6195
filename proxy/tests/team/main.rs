//! Team use, end to end over loopback: sign-in through the sandbox's identity provider and the
//! security cases that must fail (`sign_in`), every route with every role (`roles`), history and
//! order approvals (`history`). One test binary, so CI links the proxy once for all of them.
#[path = "../common/mod.rs"]
mod common;
mod history;
mod roles;
mod sign_in;
mod support;
