//! Messages in Kazakh (the default), Russian and English, from the keyed catalogues in
//! `shared/i18n/*.txt` (`key = text`, one per line, `#` comments). Codes never change with the
//! language; only the text does. An entry with a number is written once per plural form
//! (`key.one`, `key.few`, `key.many`, `key.other`, see [`crate::plural`]) and read with [`t_count`].

use std::collections::HashMap;
use std::sync::OnceLock;

pub use crate::lang::Lang;
use crate::plural::{self, Category};

/// The three catalogues, compiled in. The browser build (`runtime-catalogues` on wasm32) leaves
/// them out: it fetches only the language the person reads, as a cacheable asset, which keeps
/// two thirds of the texts off a slow first load; [`install_catalogue`] hands it over.
#[cfg(not(all(target_arch = "wasm32", feature = "runtime-catalogues")))]
const EMBEDDED: [&str; 3] = [include_str!("../i18n/kk.txt"), include_str!("../i18n/ru.txt"), include_str!("../i18n/en.txt")];
/// The staff screens' texts (`/staff`, `/kiosk`): the browser's staff bundle fetches them beside
/// the citizen's; native builds (tests of the app's code) have them compiled in.
#[cfg(not(all(target_arch = "wasm32", feature = "runtime-catalogues")))]
const EMBEDDED_STAFF: [&str; 3] = [include_str!("../i18n/staff/kk.txt"), include_str!("../i18n/staff/ru.txt"), include_str!("../i18n/staff/en.txt")];

/// Texts only the server prints (receipts, SMS), in the same languages; the browser build
/// leaves them out (feature `server-texts`), since every byte of the app crosses a slow link.
#[cfg(any(feature = "server-texts", test))]
const SERVER: [&str; 3] = [include_str!("../i18n/server/kk.txt"), include_str!("../i18n/server/ru.txt"), include_str!("../i18n/server/en.txt")];
#[cfg(not(any(feature = "server-texts", test)))]
const SERVER: [&str; 3] = ["", "", ""];

type Catalogue = HashMap<&'static str, &'static str>;

fn parse_catalogue(text: &'static str, server: &'static str) -> Catalogue {
    parse_lines(text).chain(parse_lines(server)).collect()
}

fn parse_lines(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).filter_map(|l| l.split_once(" = ")).map(|(k, v)| (k.trim(), v.trim()))
}

/// The catalogue of each language, once known.
static CATALOGUES: [OnceLock<Catalogue>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];

fn catalogue(lang: Lang) -> Option<&'static Catalogue> {
    let slot = &CATALOGUES[lang as usize];
    #[cfg(not(all(target_arch = "wasm32", feature = "runtime-catalogues")))]
    let slot =
        Some(slot.get_or_init(|| parse_lines(EMBEDDED_STAFF[lang as usize]).chain(parse_catalogue(EMBEDDED[lang as usize], SERVER[lang as usize])).collect()));
    #[cfg(all(target_arch = "wasm32", feature = "runtime-catalogues"))]
    let slot = slot.get();
    slot
}

/// Whether the texts of `lang` are at hand (always, except in the browser before its catalogue
/// has arrived).
pub fn has_catalogue(lang: Lang) -> bool {
    catalogue(lang).is_some()
}

/// Hands over the catalogue of `lang` (the text of `shared/i18n/<lang>.txt`) fetched at run time.
/// The text lives as long as the page (it is the page's vocabulary); a second call keeps the first.
pub fn install_catalogue(lang: Lang, text: String) {
    let text: &'static str = Box::leak(text.into_boxed_str());
    let _ = CATALOGUES[lang as usize].set(parse_catalogue(text, SERVER[lang as usize]));
}

/// The text of `key` in `lang`; else in any language at hand (a test keeps keys from missing),
/// else "?".
pub fn t(lang: Lang, key: &str) -> &'static str {
    lookup(lang, key).unwrap_or("?")
}

/// The text of the entry `key` with a number: the line of `n`'s plural form in `lang`
/// (`key.one`, `key.few`, `key.many`, else `key.other`), with `{n}` filled in.
pub fn t_count(lang: Lang, key: &str, n: u64) -> String {
    let form = |category: Category| catalogue(lang).and_then(|c| c.get(format!("{key}.{}", category.code()).as_str())).copied();
    let text = form(plural::category(lang, n)).or_else(|| form(Category::Other)).unwrap_or_else(|| t(lang, &format!("{key}.other")));
    text.replace("{n}", &n.to_string())
}

/// The key an entry of the catalogue belongs to: `key` for the plural lines `key.one`,
/// `key.few`, `key.many` and `key.other`, else the key itself. A plural entry is known by its
/// `.one` line (every language has that form), which `exists` tells; so a code that happens to
/// be `other` (`attachment.kind.other`) stays a key of its own.
pub fn entry_of(key: &str, exists: impl Fn(&str) -> bool) -> &str {
    match key.rsplit_once('.') {
        Some((entry, form)) if Category::from_code(form).is_some() && exists(&format!("{entry}.one")) => entry,
        _ => key,
    }
}

/// The message for an error code (`error.<code>` in the catalogue).
pub fn error_message(lang: Lang, code: &str) -> &'static str {
    t(lang, &format!("error.{code}"))
}

/// Whether a catalogue at hand has a message for the error `code`: the citizen's page loads the
/// messages a citizen can meet, a staff page those of staff as well.
pub fn has_error_message(lang: Lang, code: &str) -> bool {
    lookup(lang, &format!("error.{code}")).is_some()
}

/// The text of `key` in `lang` (or another language at hand), if some catalogue has it.
fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    std::iter::once(lang).chain(Lang::ALL).find_map(|l| catalogue(l).and_then(|c| c.get(key)).copied())
}

/// The message for an error of `code` at `field`: a missing choice says what to choose
/// (`required.<field>` without indices, e.g. `required.documents.region`: "Choose the
/// region…"), every other error has the text of its code.
pub fn field_message(lang: Lang, field: &str, code: &str) -> &'static str {
    let choice = (code == "required")
        .then(|| field.split('.').filter(|p| p.parse::<usize>().is_err()).collect::<Vec<_>>().join("."))
        .and_then(|path| lookup(lang, &format!("required.{path}")));
    choice.unwrap_or_else(|| error_message(lang, code))
}

/// The text of a notice code (the code is its own catalogue key, e.g. `notice.supplement_only`).
pub fn notice_message(lang: Lang, code: &str) -> &'static str {
    t(lang, code)
}

/// Every notice [`crate::application::notices`] can give; each has a text in every language.
pub const NOTICE_CODES: &[&str] = &["notice.former_surname_kept", "notice.supplement_only"];

/// Every error code the domain and the server can report (those only staff meet apart, in
/// [`STAFF_ERROR_CODES`]); each has a message in every language. The crate documentation lists them with their English text (generated by `build.rs`).
pub const ERROR_CODES: &[&str] = &[
    "required",
    "iin.length",
    "iin.digits",
    "iin.century",
    "iin.birth_date",
    "iin.never_issued",
    "iin.check_digit",
    "phone.characters",
    "phone.not_mobile",
    "name.too_long",
    "name.characters",
    "name.mixed_scripts",
    "email.format",
    "document.too_long",
    "document.characters",
    "graduation_year.future",
    "graduation_year.too_early",
    "reference.unknown_region",
    "reference.unknown_institution",
    "reference.unknown_degree",
    "institution.wrong_kind",
    "institution.wrong_region",
    "degree.wrong_kind",
    "specialty.invalid",
    "channel.not_offered",
    "relationship.parent_only_school",
    "pupil.same_as_applicant",
    "document_kind.wrong_service",
    "documents.empty",
    "documents.too_many",
    "reason.wrong_service",
    "attachment.invalid_id",
    "attachment.missing",
    "consent.required",
    "signature.required",
    "otp.format",
    "otp.invalid",
    "otp.expired",
    "otp.too_many_attempts",
    "request.malformed",
    "request.too_large",
    "request.idempotency_key",
    "idempotency.conflict",
    "auth.required",
    "auth.invalid",
    "auth.forbidden",
    "not_found",
    "rate_limited",
    "validation.failed",
    "workflow.illegal_transition",
    "internal",
    "reference.unknown_service",
    "reference.unknown_status",
    "date.format",
    "signature.eds_unavailable",
    "signature.eds_invalid",
    "signature.eds_other_person",
    "signature.eds_revoked",
    "signature.eds_expired",
    "signature.eds_verifier_down",
    "graduation_year.too_young",
    "relationship.not_offered",
    "attachment.type",
    "attachment.unknown",
    "receipt.kind",
    "otp.other_phone",
    "otp.other_content",
    "otp.content_hash",
    "sms_text.too_long",
    "sms_text.link",
    "request.timeout",
    "applicant.not_adult",
    "pupil.not_minor",
    "representative.not_adult",
    "representative.same_as_graduate",
    "name_on_document.unchanged",
    "correction.text_invalid",
    "correction.unchanged",
    "corrections.too_many",
    "institution.name_invalid",
    "institution.code_format",
    "institution.code_taken",
    "institution.unknown_kind",
    "institution.name_required",
    "import.invalid",
    "routing.not_unlisted",
    "place.invalid",
    "collection.not_offered",
    "home_service_ground.field_only",
    "workflow.hearing_place_required",
    "workflow.ground_not_listed",
    "workflow.objection_too_late",
    "workflow.refusal_before_objection_deadline",
    "workflow.collected_at_provider",
    "digital_documents.unavailable",
    "receipt.expired_kind",
    // issue 19: kiosks in ЦОН halls
    "kiosk.token_invalid",
    "kiosk.channel",
    // issue 16: the provider's register of issued documents
    "graduation_year.format",
    "register.unreadable",
    "register.duplicate",
    "register.empty",
    // issue 15: the provider's console
    "assignment.held_by",
    "application.changed",
    "registration_number.format",
];

/// Error codes only staff see (the ЦОН desk's calls, the office's, a field worker's or a desk's
/// channel): each has a message in every language like [`ERROR_CODES`], in the staff catalogue,
/// which the citizen's page does not download (a test keeps them out of the citizen's).
pub const STAFF_ERROR_CODES: &[&str] = &[
    // issue 17: the ЦОН desk
    "identity_registry.unavailable",
    "branch.number_format",
    "branch.name_format",
    "receipt.presented_kind",
    "hand_over.document_type",
    "hand_over.number",
    "hand_over.date",
    "hand_over.notary",
    "dispatch.nothing_waiting",
    "refusal.channel",
    "refusal.nothing_missing",
    // issue 17: papers taken at the provider's own office
    "office.other_institution",
    // issue 18: staff actions a field device did offline (a hand-over at home)
    "performed_at.future",
    "performed_at.too_old",
    "sync.stale",
    // A write the database refused for one of its constraints (server `error.rs`).
    "constraint.duplicate",
    "constraint.reference",
    "constraint.value",
    // issue 21: codes only staff routes (the office, sync) or channels (field, desk) give
    "workflow.hearing_notice_too_late",
    "workflow.hearing_out_of_range",
    "workflow.refusal_before_hearing",
    "workflow.storage_not_over",
    "staff.login_format",
    "staff.password_too_short",
    "staff.role",
    "staff.institutions_required",
    "staff.login_taken",
    "staff.not_provider",
    "calendar.source_required",
    "datetime.format",
    "cursor.invalid",
    "accepted_at.field_only",
    "accepted_at.future",
    "accepted_at.too_old",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_exists_in_every_language() {
        let keys = |l| {
            let c = catalogue(l).unwrap();
            c.keys().map(|k| entry_of(k, |k| c.contains_key(k))).collect::<std::collections::BTreeSet<_>>()
        };
        let (kk, ru, en) = (keys(Lang::Kk), keys(Lang::Ru), keys(Lang::En));
        assert_eq!(kk.symmetric_difference(&ru).collect::<Vec<_>>(), Vec::<&&str>::new(), "kk vs ru");
        assert_eq!(kk.symmetric_difference(&en).collect::<Vec<_>>(), Vec::<&&str>::new(), "kk vs en");
    }

    #[test]
    fn a_code_is_known_by_the_message_a_catalogue_has_for_it() {
        assert!(has_error_message(Lang::Ru, "iin.length"));
        // Native builds have the staff catalogue compiled in, as a staff page loads it.
        assert!(has_error_message(Lang::En, "staff.login_taken"));
        assert!(!has_error_message(Lang::Kk, "no_such.code"));
    }

    #[test]
    fn every_error_code_has_a_message() {
        for lang in Lang::ALL {
            for code in ERROR_CODES.iter().chain(STAFF_ERROR_CODES) {
                assert!(catalogue(lang).unwrap().contains_key(format!("error.{code}").as_str()), "{lang:?} error.{code}");
            }
        }
    }

    #[test]
    fn every_notice_has_a_text_and_every_catalogued_error_is_a_code() {
        for lang in Lang::ALL {
            for code in NOTICE_CODES {
                assert!(catalogue(lang).unwrap().contains_key(code), "{lang:?} {code}");
            }
        }
        // The generated list in the crate docs comes from en.txt: it must be exactly the codes.
        for key in catalogue(Lang::En).unwrap().keys().filter_map(|k| k.strip_prefix("error.")) {
            assert!(ERROR_CODES.contains(&key) || STAFF_ERROR_CODES.contains(&key), "error.{key} is in en.txt but not in ERROR_CODES");
        }
        let unique: std::collections::BTreeSet<_> = ERROR_CODES.iter().chain(STAFF_ERROR_CODES).collect();
        assert_eq!(unique.len(), ERROR_CODES.len() + STAFF_ERROR_CODES.len(), "a code is listed twice");
    }

    #[test]
    fn every_entry_with_a_number_has_exactly_the_plural_forms_of_each_language() {
        for lang in Lang::ALL {
            let c = catalogue(lang).unwrap();
            let entry = |k: &'static str| entry_of(k, |k| c.contains_key(k));
            let keys: Vec<&str> = c.keys().copied().collect();
            let entries: std::collections::BTreeSet<&str> = keys.iter().filter(|k| entry(k) != **k).map(|k| entry(k)).collect();
            assert!(entries.contains("hint.service.term") && !entries.contains("attachment.kind"), "{entries:?}");
            for entry_key in entries {
                let written: Vec<&str> = plural::categories(lang).iter().map(|c| c.code()).collect();
                let mut have: Vec<&str> = keys.iter().filter(|k| entry(k) == entry_key && **k != entry_key).map(|k| &k[entry_key.len() + 1..]).collect();
                have.sort_by_key(|code| Category::from_code(code));
                assert_eq!(have, written, "{lang:?} {entry_key}");
            }
        }
    }

    #[test]
    fn working_days_read_right_from_0_to_200() {
        let ru = |n| t_count(Lang::Ru, "hint.service.term", n);
        assert_eq!(ru(3), "Срок: 3 рабочих дня.");
        assert_eq!(ru(15), "Срок: 15 рабочих дней.");
        assert_eq!(ru(21), "Срок: 21 рабочий день.");
        assert_eq!(t_count(Lang::En, "hint.service.term", 1), "Takes up to 1 working day.");
        assert_eq!(t_count(Lang::En, "hint.service.term", 15), "Takes up to 15 working days.");
        assert_eq!(t_count(Lang::Kk, "hint.service.term", 15), "Мерзімі: 15 жұмыс күні.");
        for n in 0..=200u64 {
            let (last, two) = (n % 10, n % 100);
            let ru = ru(n);
            let want = if last == 1 && two != 11 {
                "рабочий день"
            } else if (2..=4).contains(&last) && !(12..=14).contains(&two) {
                "рабочих дня"
            } else {
                "рабочих дней"
            };
            assert!(ru.ends_with(&format!(" {n} {want}.")), "{ru}");
            let en = t_count(Lang::En, "hint.service.term", n);
            assert!(en.ends_with(if n == 1 { " 1 working day." } else { " working days." }), "{en}");
            assert_eq!(t_count(Lang::Kk, "hint.service.term", n), format!("Мерзімі: {n} жұмыс күні."));
        }
    }

    #[test]
    fn the_register_counts_its_applications_in_words_that_agree() {
        let total = |lang, n| t_count(lang, "receipt.register.total", n);
        assert_eq!(total(Lang::Ru, 1), "Всего: 1 заявление");
        assert_eq!(total(Lang::Ru, 3), "Всего: 3 заявления");
        assert_eq!(total(Lang::Ru, 11), "Всего: 11 заявлений");
        assert_eq!(total(Lang::Kk, 21), "Барлығы: 21 өтініш");
        assert_eq!(total(Lang::En, 1), "Total: 1 application");
        assert_eq!(total(Lang::En, 0), "Total: 0 applications");
    }

    #[test]
    fn a_missing_choice_says_what_to_choose_and_other_errors_keep_their_text() {
        assert_eq!(field_message(Lang::En, "relationship", "required"), "Choose who is applying.");
        assert_eq!(field_message(Lang::Ru, "documents.2.region", "required"), "Выберите регион, где вы учились.");
        assert_eq!(field_message(Lang::En, "applicant.iin", "required"), error_message(Lang::En, "required"));
        assert_eq!(field_message(Lang::En, "relationship", "relationship.not_offered"), error_message(Lang::En, "relationship.not_offered"));
    }

    #[test]
    fn accept_language_picks_the_first_supported() {
        assert_eq!(Lang::from_accept_language("ru-RU,ru;q=0.9,en;q=0.8"), Lang::Ru);
        assert_eq!(Lang::from_accept_language("de, en;q=0.5"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::Kk);
    }
}
