//! Shapes that cross the wire between the proxy and the app (and nothing else).
use serde::{Deserialize, Serialize};

/// The one error body the proxy sends for every failed `/api/*` call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// A stable machine code, e.g. `partner_center_throttled`, `not_allowed`, `conflict`.
    pub code: String,
    /// One sentence a partner can act on.
    pub message: String,
    /// True when trying again later can succeed (throttling, timeouts, 5xx).
    pub retryable: bool,
    /// The `MS-RequestId` of the Partner Center call, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl ApiError {
    /// An error with no Partner Center request behind it.
    pub fn new(code: &str, message: impl Into<String>, retryable: bool) -> Self {
        Self {
            code: code.to_string(),
            message: message.into(),
            retryable,
            request_id: None,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

/// Header carrying Partner Center's continuation token for the next page.
pub const CONTINUATION_HEADER: &str = "MS-ContinuationToken";
