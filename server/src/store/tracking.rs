//! Tracking without signing in: the links sent by SMS, and finding an application by its
//! number and tracking code, with a limit on failed look-ups per address.
//!
//! A link is `<public url>/track/<id>/<lang>#<token>`, `<lang>` the applicant's language (`kk`,
//! `ru`, `en`) so that the app opens in it. The token sits in the fragment, which browsers
//! never send to the server nor put in a `Referer` header, so it stays out of access logs, proxy
//! logs and other sites' analytics; the app reads it, calls `GET /api/applications/{id}` with it
//! as the bearer token, and clears it from the address bar.

use chrono::{DateTime, Duration, Utc};
use sqlx::{Any, AnyPool, Transaction};
use telnuska_shared::i18n::Lang;

use super::writes::WriteGate;
use super::StoreError;
use crate::clock::stored;
use crate::secrets::{new_reader_token, sha256_hex};

/// The window over which failed look-ups by number are counted.
pub const TRACK_WINDOW_MINUTES: i64 = 15;
/// Failed look-ups by number allowed per address in the window. Generous, as a ЦОН hall shares
/// one address; guessing a 128-bit code is hopeless anyway, this only stops scripted probing.
pub const TRACK_FAILURES_PER_IP: i64 = 30;

/// The link that opens application `id` with `token`, in `lang`.
pub fn link(base: &str, id: &str, lang: Lang, token: &str) -> String {
    format!("{base}/track/{id}/{}#{token}", lang.code())
}

/// Issues a new link token for application `id` (stored as its hash) and returns the link in `lang`.
pub async fn issue_link(tx: &mut Transaction<'_, Any>, base: &str, id: &str, lang: Lang, now: DateTime<Utc>) -> Result<String, StoreError> {
    let token = issue_token(tx, id, now).await?;
    Ok(link(base, id, lang, &token))
}

/// Issues a new reader token for application `id` (stored as its hash) and returns it: for a
/// link, or for the replay of its creation, whose stored answer keeps no token.
pub async fn issue_token(tx: &mut Transaction<'_, Any>, id: &str, now: DateTime<Utc>) -> Result<String, StoreError> {
    let token = new_reader_token();
    sqlx::query("INSERT INTO tracking_links (token_hash, application_id, created_at) VALUES ($1, $2, $3)")
        .bind(sha256_hex(&token))
        .bind(id)
        .bind(stored(now))
        .execute(&mut **tx)
        .await?;
    Ok(token)
}

/// Whether `token_hash` is the hash of a link token issued for application `id`.
pub async fn link_opens(pool: &AnyPool, id: &str, token_hash: &str) -> Result<bool, StoreError> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT application_id FROM tracking_links WHERE token_hash = $1").bind(token_hash).fetch_optional(pool).await?;
    Ok(found.is_some_and(|owner| owner == id))
}

/// The id of the application numbered `number` (who may read it is for the route's `authorize_reader` to say).
pub async fn id_of_number(pool: &AnyPool, number: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT id FROM applications WHERE number = $1").bind(number).fetch_optional(pool).await?)
}

/// Refuses a look-up by number while this address failed too many in the window.
pub async fn check_failures(pool: &AnyPool, ip: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    let since = now - Duration::minutes(TRACK_WINDOW_MINUTES);
    let failures: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM track_failures WHERE ip = $1 AND at > $2").bind(ip).bind(stored(since)).fetch_one(pool).await?;
    if failures >= TRACK_FAILURES_PER_IP {
        return Err(StoreError::RateLimited { retry_after_secs: (TRACK_WINDOW_MINUTES * 60) as u64 });
    }
    Ok(())
}

/// Records a failed look-up by number from `ip`.
pub async fn record_failure(pool: &AnyPool, writes: &WriteGate, ip: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    let mut written = writes.autocommit(pool).await?;
    sqlx::query("INSERT INTO track_failures (ip, at) VALUES ($1, $2)").bind(ip).bind(stored(now)).execute(written.conn()).await?;
    written.finish().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{link, new_reader_token, Lang};

    #[test]
    fn reader_tokens_are_short_url_safe_and_fresh_and_sit_in_the_fragment() {
        let (a, b) = (new_reader_token(), new_reader_token());
        assert_eq!(a.len(), 22);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_ne!(a, b);
        assert_eq!(link("https://telnuska.kz", "id-1", Lang::Ru, &a), format!("https://telnuska.kz/track/id-1/ru#{a}"), "in the applicant's language");
    }
}
