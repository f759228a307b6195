//! Error responses in the shapes the real services send.
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A JSON response with the content type Partner Center sends.
pub fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// Partner Center's error body: `{code, description, data, source}`.
pub fn pc_error(status: StatusCode, code: &str, description: &str) -> Response {
    let body = json!({
        "code": code,
        "description": description,
        "data": [],
        "source": "PartnerFD",
    });
    json_response(status, &body)
}

/// 401 with the realm header Partner Center sends alongside its error body.
pub fn unauthorized(partner_tenant_id: &str, description: &str) -> Response {
    let mut response = pc_error(StatusCode::UNAUTHORIZED, "401", description);
    if let Ok(v) = HeaderValue::from_str(&format!("OAuth realm=urn:cpsvc:cpid:{partner_tenant_id}"))
    {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    response
}

/// Throttling uses its own shape: `{statusCode, message}` plus `Retry-After`.
pub fn throttled(retry_after_secs: u32) -> Response {
    let body = json!({
        "statusCode": 429,
        "message": format!("Rate limit is exceeded. Try again in {retry_after_secs} seconds."),
    });
    let mut response = json_response(StatusCode::TOO_MANY_REQUESTS, &body);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    response
}

/// The body for an arbitrary status forced by configuration or injected as a fault.
pub fn for_status(status: StatusCode, retry_after_secs: u32) -> Response {
    if status == StatusCode::TOO_MANY_REQUESTS {
        return throttled(retry_after_secs);
    }
    let description = match status.as_u16() {
        400 => "The request is invalid.",
        401 => "The access token is missing, expired or invalid.",
        403 => "The caller is not authorized to perform this operation.",
        404 => "The requested resource was not found.",
        408 => "The request timed out.",
        409 => "The resource is being updated; try again later.",
        500 => "An unexpected error occurred on the server.",
        502 => "The server received an invalid response from an upstream service.",
        503 => "The service is temporarily unavailable; try again later.",
        504 => "The server timed out waiting for an upstream service.",
        _ => "The request failed.",
    };
    pc_error(status, &status.as_u16().to_string(), description)
}

/// Microsoft Entra ID's token-endpoint error body.
pub fn entra_error(
    status: StatusCode,
    error: &str,
    aadsts: u32,
    message: &str,
    now: i64,
) -> Response {
    let stamp = crate::dates::timestamp(now, None).replace('T', " ");
    let body = json!({
        "error": error,
        "error_description": format!("AADSTS{aadsts}: {message} Trace ID: 00000000-0000-0000-0000-000000000000 Correlation ID: 00000000-0000-0000-0000-000000000000 Timestamp: {stamp}"),
        "error_codes": [aadsts],
        "timestamp": stamp,
        "trace_id": "00000000-0000-0000-0000-000000000000",
        "correlation_id": "00000000-0000-0000-0000-000000000000",
        "error_uri": format!("https://login.microsoftonline.com/error?code={aadsts}"),
    });
    json_response(status, &body)
}

/// A Partner Center error not yet turned into a response (keeps `Result`s small).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PcError {
    pub status: StatusCode,
    pub code: String,
    pub description: String,
}

impl PcError {
    pub fn new(status: StatusCode, code: &str, description: impl Into<String>) -> Self {
        PcError {
            status,
            code: code.to_string(),
            description: description.into(),
        }
    }

    pub fn bad_request(code: &str, description: impl Into<String>) -> Self {
        PcError::new(StatusCode::BAD_REQUEST, code, description)
    }
}

impl IntoResponse for PcError {
    fn into_response(self) -> Response {
        pc_error(self.status, &self.code, &self.description)
    }
}

/// Which service's error shapes a response uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    /// Partner Center: `{code, description, data, source}`; throttling `{statusCode, message}`.
    PartnerCenter,
    /// Microsoft Graph: `{error: {code, message, innerError}}` for everything.
    Graph,
}

/// Microsoft Graph's error body: `{error: {code, message, innerError: {date, request-id}}}`.
pub fn graph_error(status: StatusCode, code: &str, message: &str) -> Response {
    let now = crate::dates::now_unix();
    let body = json!({
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": crate::dates::timestamp(now, None),
                "request-id": "00000000-0000-0000-0000-000000000000",
                "client-request-id": "00000000-0000-0000-0000-000000000000",
            },
        },
    });
    json_response(status, &body)
}

/// Graph's 429: its error body with code `TooManyRequests`, plus `Retry-After`.
pub fn graph_throttled(retry_after_secs: u32) -> Response {
    let mut response = graph_error(
        StatusCode::TOO_MANY_REQUESTS,
        "TooManyRequests",
        "Too many requests are being sent. Wait and try again.",
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    response
}

/// Throttling in the shape of `wire`.
pub fn throttled_in(wire: Wire, retry_after_secs: u32) -> Response {
    match wire {
        Wire::PartnerCenter => throttled(retry_after_secs),
        Wire::Graph => graph_throttled(retry_after_secs),
    }
}

/// The body for a forced or injected status in the shape of `wire`.
pub fn for_status_in(wire: Wire, status: StatusCode, retry_after_secs: u32) -> Response {
    match wire {
        Wire::PartnerCenter => for_status(status, retry_after_secs),
        Wire::Graph if status == StatusCode::TOO_MANY_REQUESTS => graph_throttled(retry_after_secs),
        Wire::Graph => {
            let code = match status.as_u16() {
                400 => "BadRequest",
                401 => "InvalidAuthenticationToken",
                403 => "Authorization_RequestDenied",
                404 => "Request_ResourceNotFound",
                409 => "Conflict",
                503 => "ServiceUnavailable",
                504 => "GatewayTimeout",
                _ => "InternalServerError",
            };
            let message = match status.as_u16() {
                s if s >= 500 => "The service is temporarily unavailable; try again later.",
                _ => "The request failed.",
            };
            graph_error(status, code, message)
        }
    }
}
