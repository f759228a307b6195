//! Messages of the customer status page.
