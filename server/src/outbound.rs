//! Calls to services outside the server (the SMS gateway, "Digital documents", the state
//! monitoring system, the identity registry): one way to call with a key and a timeout, one
//! backoff for what waits in an outbox.

use std::time::Duration;

use serde::Serialize;

use crate::secrets::Secret;

/// Seconds an outside service has to answer one call.
const TIMEOUT_SECS: u64 = 10;
/// Seconds to open the connection, at most (a service that does not even accept is down).
const CONNECT_TIMEOUT_SECS: u64 = 3;

/// Tries before an outbox item is given up as failed: with [`backoff`], about 4 hours in all.
pub const MAX_ATTEMPTS: i64 = 8;

/// An outside service's endpoint: `POST url` with a JSON body and `Authorization: Bearer key`.
/// Its `Debug` masks the key.
#[derive(Debug, Clone)]
pub struct Endpoint {
    url: String,
    key: Option<Secret>,
    client: reqwest::Client,
}

impl Endpoint {
    /// The endpoint at `url`, called with `key` (empty when none is given).
    pub fn new(url: String, key: Option<Secret>) -> Self {
        Self::with_timeout(url, key, Duration::from_secs(TIMEOUT_SECS))
    }

    /// The endpoint at `url`, whose every call is given up after `timeout` (a person waiting at
    /// a counter waits less than a background job).
    pub fn with_timeout(url: String, key: Option<Secret>, timeout: Duration) -> Self {
        let client =
            reqwest::Client::builder().timeout(timeout).connect_timeout(timeout.min(Duration::from_secs(CONNECT_TIMEOUT_SECS))).build().unwrap_or_default();
        Self { url, key, client }
    }

    /// `GET url/tail` with the key.
    pub async fn get(&self, tail: &str) -> Result<reqwest::Response, reqwest::Error> {
        self.client.get(format!("{}/{tail}", self.url.trim_end_matches('/'))).bearer_auth(self.key.as_ref().map_or("", Secret::expose)).send().await
    }

    /// Posts `body`; `Ok` once the service answered with a success status, else why not.
    pub async fn post_json<T: Serialize + ?Sized>(&self, body: &T) -> Result<(), String> {
        let res = self.client.post(&self.url).bearer_auth(self.key.as_ref().map_or("", Secret::expose)).json(body).send().await.map_err(|e| e.to_string())?;
        if res.status().is_success() {
            Ok(())
        } else {
            Err(format!("the service answered {}", res.status()))
        }
    }
}

/// Delay before the next try of an outbox item tried `attempts` times: 1, 2, 4 … minutes.
pub fn backoff(attempts: i64) -> chrono::Duration {
    chrono::Duration::minutes(1 << attempts.clamp(0, 10))
}

/// Counts of one drain of an outbox.
#[derive(Debug, Default, Clone, Copy, serde::Serialize, utoipa::ToSchema)]
pub struct DrainReport {
    /// Delivered.
    pub sent: u64,
    /// Will be retried.
    pub retrying: u64,
    /// Given up.
    pub failed: u64,
}

impl DrainReport {
    /// Counts a failed try: given up after [`MAX_ATTEMPTS`], else retried. Returns whether it
    /// was given up.
    pub fn count_failure(&mut self, attempts: i64) -> bool {
        let give_up = attempts >= MAX_ATTEMPTS;
        if give_up {
            self.failed += 1;
        } else {
            self.retrying += 1;
        }
        give_up
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_a_minute() {
        let minutes: Vec<i64> = (1..=4).map(|a| backoff(a).num_minutes()).collect();
        assert_eq!(minutes, [2, 4, 8, 16]);
        assert_eq!(backoff(0).num_minutes(), 1);
    }

    #[test]
    fn the_key_stays_out_of_debug_output() {
        let printed = format!("{:?}", Endpoint::new("https://x.example".into(), Some("secret-key".to_string().into())));
        assert!(printed.contains("x.example") && !printed.contains("secret-key"), "{printed}");
    }

    #[test]
    fn failures_are_retried_until_the_last_try() {
        let mut report = DrainReport::default();
        assert!(!report.count_failure(1));
        assert!(report.count_failure(MAX_ATTEMPTS));
        assert_eq!((report.retrying, report.failed), (1, 1));
    }
}
