//! Calls made by the customer status page: only `/api/public/*`, never partner APIs.
