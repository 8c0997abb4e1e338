//! Notifications to applicants: SMS texts in the applicant's language, queued in the outbox in
//! the same transaction as the change they announce (000: an SMS when the result is ready;
//! 003 item 58: the hearing's time and place; the refusal; the return to the provider), and one
//! when the application is accepted. Each ends with a tracking link of its own
//! ([`tracking::issue_link`]), last and after a space, so that no punctuation sticks to it.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Any, Row, Transaction};
use telnuska_shared::api::{ApplicationStatus, Collection, CollectionPlace, CreateApplicationRequest};
use telnuska_shared::calendar::almaty_local;
use telnuska_shared::i18n::{t, Lang};
use telnuska_shared::reference::Reference;
use telnuska_shared::workflow::{refusal_letter_via_con, Action};

use super::batch::Batch;
use super::StoreError;
use crate::clock::stored;
use crate::store::tracking;

/// The catalogue key of the SMS a new status announces, if any. "Ready" is announced when the
/// result is where it is collected (000; DOMAIN.md, audit items 3 and 9): at once when that is
/// the provider, else when it reaches ЦОН; with the place named once the applicant chose one.
/// A refusal whose letter travels through ЦОН (`letter_via_con`) says the letter is coming, and
/// the letter's arrival and return are announced like a duplicate's (issue 17).
fn message_key(status: ApplicationStatus, action: &Action, collection: Option<CollectionPlace>, letter_via_con: bool) -> Option<&'static str> {
    use ApplicationStatus::*;
    // An internal step keeps the stage: the applicant was told of it already.
    if matches!(action, Action::RecordStep { .. }) {
        return None;
    }
    match (status, collection) {
        (Ready, Some(CollectionPlace::Provider)) | (AtCon, Some(CollectionPlace::Con)) => Some("sms.ready_at"),
        (AtCon, None) => Some("sms.ready"),
        (RecordUpdated, _) => Some("sms.record_updated"),
        (HearingScheduled, _) => match action {
            Action::PreliminaryRefuse { ground: Some(_), .. } => Some("sms.hearing_ground"),
            Action::PreliminaryRefuse { .. } => Some("sms.hearing"),
            _ => None,
        },
        (Refused, _) if letter_via_con => Some("sms.refused_letter"),
        (RefusalAtCon, _) => Some("sms.refusal_at_con"),
        (RefusalReturned, _) => Some("sms.refusal_returned"),
        (Refused, Some(_)) => Some("sms.refused_at"),
        (Refused, None) => Some("sms.refused"),
        (ReturnedToProvider, _) => Some("sms.returned"),
        _ => None,
    }
}

/// Where the applicant collects the result, in their language: the ЦОН branch they named or the
/// institution (003 item 58: the notice names the place of collection).
fn place_name(request: &CreateApplicationRequest, reference: &Reference, lang: Lang) -> String {
    match request.collection.as_ref() {
        Some(Collection { place: CollectionPlace::Provider, .. }) => {
            request.documents.first().and_then(|d| reference.institution(&d.institution)).map(|i| i.name.in_lang(lang).to_string()).unwrap_or_default()
        }
        Some(Collection { branch, .. }) => t(lang, "place.con").replace("{branch}", branch.as_deref().unwrap_or_default()),
        None => String::new(),
    }
}

/// Who an SMS about an application goes to, and what it names.
pub struct Recipient {
    /// The application's number.
    pub number: String,
    /// The applicant's phone, E.164.
    pub phone: String,
    /// The applicant's language.
    pub lang: Lang,
}

impl Recipient {
    /// The applicant of application `id`, as stored, with the request they made.
    async fn of(tx: &mut Transaction<'_, Any>, id: &str) -> Result<(Self, CreateApplicationRequest), StoreError> {
        let row = sqlx::query("SELECT number, applicant_phone, lang, request_json FROM applications WHERE id = $1").bind(id).fetch_one(&mut **tx).await?;
        let lang = Lang::from_code(&row.try_get::<String, _>("lang")?).unwrap_or_default();
        let request = serde_json::from_str(&row.try_get::<String, _>("request_json")?)?;
        Ok((Self { number: row.try_get("number")?, phone: row.try_get("applicant_phone")?, lang }, request))
    }
}

/// Queues the SMS `key` to `to`, in their language, with `{number}` and `{link}` filled in and
/// then `fill` applied for the message's own fields.
async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    to: Recipient,
    link: &str,
    key: &str,
    now: DateTime<Utc>,
    fill: impl FnOnce(String) -> String,
) -> Result<(), StoreError> {
    let text = message(&to, link, key, fill);
    let mut writes = Batch::for_connection(tx);
    queue_row(&mut writes, to.phone, text, now);
    Ok(writes.run(tx).await?)
}

/// The text of message `key` to `to`, with its number and `link` in it, then filled by `fill`.
fn message(to: &Recipient, link: &str, key: &str, fill: impl FnOnce(String) -> String) -> String {
    fill(t(to.lang, key).replace("{number}", &to.number).replace("{link}", link))
}

/// Adds the row of an SMS queued to `phone` to `writes`.
fn queue_row(writes: &mut Batch, phone: String, text: String, now: DateTime<Utc>) {
    writes
        .statement("INSERT INTO sms_outbox (id, phone, text, code, status, attempts, created_at) VALUES (")
        .push_list([uuid::Uuid::new_v4().to_string(), phone, text])
        .push(", NULL, 'queued', 0, ")
        .push_bind(stored(now))
        .push(")");
}

/// Queues the SMS that tells the applicant their application was accepted, whatever the channel:
/// its number and the link to follow it. On the busiest path, so it costs one row, added to the
/// submission's `writes`: the caller names the recipient (it has just stored the application) and
/// the link carries the application's own tracking code, which exists only now, in plain text,
/// before it is hashed.
pub fn enqueue_accepted(writes: &mut Batch, links_base: &str, id: &str, tracking_token: &str, to: Recipient, at_kiosk: Option<NaiveDate>, now: DateTime<Utc>) {
    let link = tracking::link(links_base, id, to.lang, tracking_token);
    let text = match at_kiosk {
        // Sent from a kiosk, the receipt on screen stays behind for the next person: the SMS
        // carries all of it (the due date and the tracking code too).
        Some(due_on) => {
            let due = due_on.format("%d.%m.%Y").to_string();
            message(&to, &link, "sms.accepted_kiosk", |text| text.replace("{due}", &due).replace("{code}", tracking_token))
        }
        None => message(&to, &link, "sms.accepted", |text| text),
    };
    queue_row(writes, to.phone, text, now);
}

/// Queues the SMS that a transition to `status` owes the applicant; an institution is named as
/// `reference` (the lists in force) has it.
pub async fn enqueue_for_transition(
    tx: &mut Transaction<'_, Any>,
    links_base: &str,
    reference: &Reference,
    id: &str,
    status: ApplicationStatus,
    action: &Action,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (to, request) = Recipient::of(tx, id).await?;
    let collection = request.collection.as_ref().map(|c| c.place);
    let letter_via_con = refusal_letter_via_con(request.channel, collection.unwrap_or(CollectionPlace::Con));
    let Some(key) = message_key(status, action, collection, letter_via_con) else { return Ok(()) };
    let lang = to.lang;
    let link = tracking::issue_link(tx, links_base, id, lang, now).await?;
    enqueue(tx, to, &link, key, now, |text| match action {
        // A hearing's place is where it is held; every other message names the place of collection.
        Action::PreliminaryRefuse { hearing_at, place, ground } => text
            .replace("{at}", &almaty_local(*hearing_at).format("%d.%m.%Y %H:%M").to_string())
            .replace("{ground}", ground.map_or("", |g| t(lang, &format!("refusal_ground.{}", g.code()))))
            .replace("{place}", place.as_deref().unwrap_or("")),
        // A refusal letter goes to ЦОН even when the applicant named no branch (a counter's).
        _ => {
            let place = place_name(&request, reference, lang);
            text.replace("{place}", if place.is_empty() && letter_via_con { t(lang, "place.con_any") } else { place.as_str() })
        }
    })
    .await
}

/// Queues the SMS that the diploma is in the "Digital documents" service (003 item 59).
pub async fn enqueue_digital_published(tx: &mut Transaction<'_, Any>, links_base: &str, id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    let (to, _) = Recipient::of(tx, id).await?;
    let link = tracking::issue_link(tx, links_base, id, to.lang, now).await?;
    enqueue(tx, to, &link, "sms.digital_published", now, |text| text).await
}

#[cfg(test)]
mod tests {
    use telnuska_shared::api::{ApplicationStatus, CollectionPlace};
    use telnuska_shared::i18n::{t, Lang};

    /// Characters in one part of a long SMS in UCS-2, which any Cyrillic letter forces.
    const UCS2_PART: usize = 67;

    fn filled(lang: Lang, key: &str) -> String {
        let link = super::tracking::link("https://telnuska.kz", &uuid::Uuid::nil().to_string(), lang, &"A".repeat(22));
        t(lang, key).replace("{number}", "TN-2026-000123").replace("{link}", &link)
    }

    #[test]
    fn every_message_ends_with_its_link_so_that_no_punctuation_sticks_to_it() {
        for lang in Lang::ALL {
            for key in [
                "sms.accepted",
                "sms.ready",
                "sms.hearing",
                "sms.refused",
                "sms.returned",
                "sms.ready_at",
                "sms.record_updated",
                "sms.digital_published",
                "sms.hearing_ground",
                "sms.refused_at",
                "sms.refused_letter",
                "sms.refusal_at_con",
                "sms.refusal_returned",
            ] {
                assert!(filled(lang, key).ends_with(&"A".repeat(22)), "{lang:?} {key}");
            }
        }
    }

    #[test]
    fn a_correction_is_announced_as_updated_data_not_as_a_duplicate_to_collect() {
        use super::message_key;
        use telnuska_shared::workflow::Action;
        assert_eq!(message_key(ApplicationStatus::RecordUpdated, &Action::Approve, None, false), Some("sms.record_updated"));
        // A duplicate is announced when it is where it is collected (DOMAIN.md, audit item 3).
        assert_eq!(message_key(ApplicationStatus::Ready, &Action::Approve, None, false), None);
        assert_eq!(message_key(ApplicationStatus::AtCon, &Action::DeliverToCon, None, true), Some("sms.ready"));
        assert_eq!(message_key(ApplicationStatus::Ready, &Action::Approve, Some(CollectionPlace::Provider), false), Some("sms.ready_at"));
        // No "duplicate … ready, collect it" in the correction's text (in Kazakh the product's
        // name is the word for a duplicate, so the check there is on "ready").
        for (lang, word) in [(Lang::Kk, "дайын"), (Lang::Ru, "дубликат"), (Lang::En, "duplicate")] {
            assert!(t(lang, "sms.ready").contains(word) && !t(lang, "sms.record_updated").contains(word), "{lang:?}");
        }
    }

    /// Issue 17: a refusal whose letter travels through ЦОН says so, and the letter's arrival
    /// and return are announced; a portal refusal keeps its own text.
    #[test]
    fn a_refusal_letter_through_con_is_announced_when_it_arrives_and_when_it_goes_back() {
        use super::message_key;
        use telnuska_shared::reference::RefusalGround;
        use telnuska_shared::workflow::Action;
        let refuse = Action::Refuse { reason: RefusalGround::Unreliable, note: None };
        assert_eq!(message_key(ApplicationStatus::Refused, &refuse, None, true), Some("sms.refused_letter"));
        assert_eq!(message_key(ApplicationStatus::Refused, &refuse, None, false), Some("sms.refused"));
        assert_eq!(message_key(ApplicationStatus::Refused, &refuse, Some(CollectionPlace::Con), false), Some("sms.refused_at"));
        assert_eq!(message_key(ApplicationStatus::RefusalAtCon, &Action::DeliverToCon, None, true), Some("sms.refusal_at_con"));
        assert_eq!(message_key(ApplicationStatus::RefusalReturned, &Action::ReturnToProvider, None, true), Some("sms.refusal_returned"));
        assert_eq!(message_key(ApplicationStatus::RefusalIssued, &Action::HandOver, None, true), None);
        for (lang, word) in [(Lang::Kk, "бас тарту"), (Lang::Ru, "отказ"), (Lang::En, "refus")] {
            assert!(t(lang, "sms.refusal_at_con").contains(word) && t(lang, "sms.refusal_at_con").contains("{place}"), "{lang:?}");
        }
    }

    #[test]
    fn the_acceptance_sms_sent_for_every_application_fits_two_parts() {
        for lang in [Lang::Kk, Lang::Ru] {
            let text = filled(lang, "sms.accepted");
            assert!(text.chars().count() <= 2 * UCS2_PART, "{lang:?}: {} characters", text.chars().count());
        }
    }
}
