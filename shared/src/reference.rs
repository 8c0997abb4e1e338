//! Reference data as data: the service catalogue, regions, institutions, degrees, document
//! kinds and reasons, each with names in kk/ru/en. Regions and institutions come from the CSV
//! files in `shared/data/` (copied from `shared/reference/`, with their sources).
//!
//! # Lists from the server (`GET /api/reference`)
//!
//! The server answers with the catalogues compiled into it plus the institutions administrators
//! added ([`Reference::with_added_institutions`], kept in its state). The browser app keeps the
//! last bundle it received (with its ETag) on the device and makes its [`Reference`] of it with
//! [`Reference::from_bundle`]; the form's lists and its validator use that one. Nothing here
//! holds a reference "in force": whoever validates passes it in
//! [`crate::application::ValidationContext`]; [`compiled()`] is only this build's own copy.
//!
//! Only the lists that grow on their own, regions and institutions, are taken from the bundle.
//! Services, degrees, document kinds, reasons and the other small catalogues are tied to code
//! (enums, rules of the form), so the running build's own copy is the one that matches it.
//!
//! **The browser build does not carry regions and institutions at all** (feature
//! `runtime-reference`, effective on wasm32 only): they are about 3.5 KB of the brotli first load,
//! whose budget is nearly spent, and the first step (choosing the service) needs only services.
//! The bundle (about 33 KB of JSON, 6.5 KB compressed, with the 73 seeded institutions) is
//! fetched after the start, alongside the first render, while the person reads the first steps
//! (the size report of `cargo xtask build-app` counts the first load only, so not this);
//! the documents step says "loading lists" until it is there, and "connect once" if the device
//! went offline before it ever arrived. Every later visit, online or not, starts from the stored
//! bundle. A second benefit: with no compiled-in copy there is no question of the stored bundle
//! being older or newer than the app's own — the server is the only source. The `version` (the
//! server's ETag, a content hash, not an ordered number) only says "same or different": a
//! different one is always replaced by the server's answer, because the server decides what
//! its validator accepts. A stored bundle from an older server, used offline, may still offer an
//! institution the server has since dropped: the server then refuses the application with
//! `reference.unknown_institution` at that field, and the person picks again; a draft naming an
//! institution missing from the lists in force gets the same error from the app's validator.
//! Native builds (the server, tests) compile the seeded lists in.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::api::{AttachmentKind, ServiceCode};
use crate::i18n::{t, Lang};

mod collate;
mod register;
mod search;
mod services;

pub use collate::{collate, collation_key};
pub use register::NewInstitution;
pub use search::{fold, institution_matches};
pub use services::{RefusalGround, ResultKind, Service, ServiceDocument};

/// A name in the three languages of the system.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    /// Kazakh.
    pub kk: String,
    /// Russian.
    pub ru: String,
    /// English.
    pub en: String,
}

impl Names {
    /// The name in `lang`.
    pub fn in_lang(&self, lang: Lang) -> &str {
        match lang {
            Lang::Kk => &self.kk,
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }

    fn new(kk: &str, ru: &str, en: &str) -> Self {
        Self { kk: kk.into(), ru: ru.into(), en: en.into() }
    }

    /// The texts of one catalogue key (`shared/i18n/*.txt`), so that a name is written once.
    fn from_catalogue(key: &str) -> Self {
        Self { kk: t(Lang::Kk, key).into(), ru: t(Lang::Ru, key).into(), en: t(Lang::En, key).into() }
    }

    /// Fills languages that the source left empty from the official ones, so a list never shows
    /// a blank entry and never a third language: Kazakh falls back to Russian and Russian to
    /// Kazakh (both official, Constitution art. 7); English, which is not, to Russian, then
    /// Kazakh. An English-only source name is never shown to a Kazakh or Russian reader: such a
    /// row needs its Kazakh or Russian name (a test over the data checks every row has one).
    pub fn with_fallbacks(kk: &str, ru: &str, en: &str) -> Self {
        let first = |options: &[&str]| options.iter().map(|s| s.trim()).find(|s| !s.is_empty()).unwrap_or("").to_string();
        Self { kk: first(&[kk, ru]), ru: first(&[ru, kk]), en: first(&[en, ru, kk]) }
    }
}

/// Which kind of organisation issued a document.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionKind {
    /// Higher and postgraduate education (ОВПО).
    University,
    /// Technical and vocational, post-secondary education (ТиППО).
    College,
    /// Basic and general secondary education.
    School,
}

impl InstitutionKind {
    /// Every kind.
    pub const ALL: [InstitutionKind; 3] = [InstitutionKind::University, InstitutionKind::College, InstitutionKind::School];

    /// The stable code (`university`, `college`, `school`).
    pub fn code(self) -> &'static str {
        match self {
            Self::University => "university",
            Self::College => "college",
            Self::School => "school",
        }
    }

    /// The kind of its code (`university`, `college`, `school`), if known.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "university" => Some(Self::University),
            "college" => Some(Self::College),
            "school" => Some(Self::School),
            _ => None,
        }
    }
}

/// A region (oblast or city of republican significance).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    /// Stable code, e.g. `almaty_city`.
    pub code: String,
    /// Name.
    pub name: Names,
}

/// An organisation that issues education documents.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    /// Stable code, e.g. `kaznmu`.
    pub code: String,
    /// Name.
    pub name: Names,
    /// Region code.
    pub region: String,
    /// Kind of organisation.
    pub kind: InstitutionKind,
    /// Abbreviations and other spellings people search by (ЕНУ, КазНУ, Satbayev).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// An entry of a small coded list (degree, document kind, reason).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodedName {
    /// Stable code.
    pub code: String,
    /// Name.
    pub name: Names,
}

/// A degree or level, with the kind of institution that awards it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Degree {
    /// Stable code.
    pub code: String,
    /// Name.
    pub name: Names,
    /// Who awards it.
    pub institution_kind: InstitutionKind,
}

/// Every catalogue, as served by `GET /api/reference`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// Changes whenever any list changes; the server's ETag.
    pub version: String,
    /// Services.
    pub services: Vec<Service>,
    /// Regions.
    pub regions: Vec<Region>,
    /// Institutions.
    pub institutions: Vec<Institution>,
    /// Degrees and levels.
    pub degrees: Vec<Degree>,
    /// Document kinds.
    pub document_kinds: Vec<CodedName>,
    /// Reasons for a request.
    pub reasons: Vec<CodedName>,
    /// Kinds of attached documents that services require.
    #[serde(default)]
    pub attachment_kinds: Vec<CodedName>,
    /// Grounds for refusal that services list.
    #[serde(default)]
    pub refusal_grounds: Vec<CodedName>,
    /// What a granted service results in.
    #[serde(default)]
    pub result_kinds: Vec<CodedName>,
}

/// The part of the `GET /api/reference` body that the browser takes over (see the module
/// documentation); the other fields of the body are ignored. The browser reads it with its own
/// `JSON.parse` rather than this `Deserialize`, which would add kilobytes to its download.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReferenceBundle {
    /// The bundle's version (its ETag without quotes).
    pub version: String,
    /// Regions.
    pub regions: Vec<Region>,
    /// Institutions.
    pub institutions: Vec<Institution>,
}

/// A bundle that cannot stand in for the lists: it has no regions or no institutions (a broken
/// answer must not empty the form's lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncompleteBundle;

#[cfg(not(all(target_arch = "wasm32", feature = "runtime-reference")))]
const REGIONS_CSV: &str = include_str!("../data/regions.csv");
#[cfg(not(all(target_arch = "wasm32", feature = "runtime-reference")))]
const INSTITUTIONS_CSV: &str = include_str!("../data/institutions.csv");
// The browser build receives both lists from the server (module documentation).
#[cfg(all(target_arch = "wasm32", feature = "runtime-reference"))]
const REGIONS_CSV: &str = "";
#[cfg(all(target_arch = "wasm32", feature = "runtime-reference"))]
const INSTITUTIONS_CSV: &str = "";

/// Splits one CSV line, honouring double-quoted fields with `""` escapes.
pub(crate) fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().expect("never empty").push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            (c, _) => fields.last_mut().expect("never empty").push(c),
        }
    }
    fields
}

/// Rows of a CSV text, without its header line.
pub(crate) fn csv_rows(text: &str) -> impl Iterator<Item = Vec<String>> + '_ {
    text.lines().skip(1).filter(|l| !l.trim().is_empty()).map(csv_fields)
}

/// The aliases of a data row: `;`-separated, blanks left out.
pub fn aliases(field: &str) -> Vec<String> {
    field.split(';').map(str::trim).filter(|a| !a.is_empty()).map(str::to_string).collect()
}

fn degrees() -> Vec<Degree> {
    use InstitutionKind::*;
    let d = |code: &str, kk: &str, ru: &str, en: &str, kind| Degree { code: code.into(), name: Names::new(kk, ru, en), institution_kind: kind };
    vec![
        d("bachelor", "Бакалавр", "Бакалавр", "Bachelor", University),
        d("specialist", "Маман (жоғары білім)", "Специалист (высшее образование)", "Specialist (higher education)", University),
        d("master", "Магистр", "Магистр", "Master", University),
        d("phd", "Философия докторы (PhD)", "Доктор философии (PhD)", "Doctor of Philosophy (PhD)", University),
        d("tvet", "Техникалық және кәсіптік білім", "Техническое и профессиональное образование", "Technical and vocational education", College),
        d("post_secondary", "Орта білімнен кейінгі білім", "Послесреднее образование", "Post-secondary education", College),
        d("basic_secondary", "Негізгі орта білім (куәлік)", "Основное среднее образование (свидетельство)", "Basic secondary education (certificate)", School),
        d("general_secondary", "Жалпы орта білім (аттестат)", "Общее среднее образование (аттестат)", "General secondary education (attestat)", School),
    ]
}

fn coded(code: &str, kk: &str, ru: &str, en: &str) -> CodedName {
    CodedName { code: code.into(), name: Names::new(kk, ru, en) }
}

/// A coded entry whose names are the catalogue texts of `prefix.code`.
fn catalogued(code: &str, prefix: &str) -> CodedName {
    CodedName { code: code.into(), name: Names::from_catalogue(&format!("{prefix}.{code}")) }
}

fn build() -> Reference {
    let regions: Vec<Region> = csv_rows(REGIONS_CSV).map(|f| Region { code: f[0].clone(), name: Names::with_fallbacks(&f[2], &f[3], &f[4]) }).collect();
    let institutions: Vec<Institution> = csv_rows(INSTITUTIONS_CSV)
        .filter_map(|f| {
            let kind = InstitutionKind::from_code(&f[1])?;
            Some(Institution {
                code: f[0].clone(),
                kind,
                region: f[2].clone(),
                name: Names::with_fallbacks(&f[3], &f[4], &f[5]),
                aliases: aliases(f.get(9).map_or("", String::as_str)),
            })
        })
        .collect();
    let document_kinds = vec![
        coded("diploma", "Диплом", "Диплом", "Diploma"),
        coded("supplement", "Дипломға қосымша", "Приложение к диплому", "Diploma supplement"),
        coded("diploma_and_supplement", "Диплом және қосымша", "Диплом и приложение", "Diploma and supplement"),
        coded("certificate", "Аттестат немесе куәлік", "Аттестат или свидетельство", "School certificate"),
    ];
    let reasons = vec![
        coded("loss", "Жоғалту", "Утеря", "Loss"),
        coded("damage", "Бүліну", "Порча", "Damage"),
        coded("name_change", "Тегінің, атының, әкесінің атының өзгеруі", "Смена фамилии, имени, отчества", "Change of name"),
        coded("data_error", "Мәліметтердегі қате", "Ошибка в сведениях", "Error in the data"),
    ];
    let reference = Reference {
        version: String::new(),
        services: services::services(),
        regions,
        institutions,
        degrees: degrees(),
        document_kinds,
        reasons,
        attachment_kinds: AttachmentKind::ALL.iter().map(|k| catalogued(k.code(), "attachment.kind")).collect(),
        refusal_grounds: RefusalGround::ALL.iter().map(|g| catalogued(g.code(), "refusal_ground")).collect(),
        result_kinds: ResultKind::ALL.iter().map(|r| catalogued(r.code(), "result_kind")).collect(),
    };
    // Only the server publishes the bundle (and its ETag); the browser compiles the catalogues in
    // and would carry the serialiser of the whole bundle for nothing.
    #[cfg(not(target_arch = "wasm32"))]
    let reference = Reference { version: content_version(&reference), ..reference };
    reference
}

/// A short version string that changes with any content (FNV-1a over the JSON form): stable
/// across builds and platforms, unlike `std`'s hasher.
#[cfg(not(target_arch = "wasm32"))]
fn content_version(reference: &Reference) -> String {
    let json = serde_json::to_vec(reference).expect("reference data serialises");
    let hash = json.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

/// `base` with the `added` institutions whose codes it does not have, under a new version.
#[cfg(not(target_arch = "wasm32"))]
fn with_added(mut base: Reference, added: Vec<Institution>) -> Reference {
    for institution in added {
        if base.institution(&institution.code).is_none() {
            base.institutions.push(institution);
        }
    }
    base.version = String::new();
    base.version = content_version(&base);
    base
}

/// The catalogues compiled into this build, built once: services, degrees, document kinds,
/// reasons and the other lists tied to code, and (except in the browser, feature
/// `runtime-reference`) the seeded regions and institutions. Never the institutions an
/// administrator added since, nor the lists of a newer bundle: code that validates or lists
/// institutions takes the [`Reference`] in force from its caller (the server's state, the
/// browser's lists in context) — [`crate::application::ValidationContext`] carries it.
pub fn compiled() -> &'static Reference {
    static REFERENCE: OnceLock<Reference> = OnceLock::new();
    REFERENCE.get_or_init(build)
}

/// `base` (this build's catalogues, built afresh rather than cloned: the browser then carries no
/// `Clone` of every catalogue type) with the regions, institutions and version of `bundle`.
fn merge(base: Reference, bundle: ReferenceBundle) -> Result<Reference, IncompleteBundle> {
    if bundle.regions.is_empty() || bundle.institutions.is_empty() {
        return Err(IncompleteBundle);
    }
    Ok(Reference { version: bundle.version, regions: bundle.regions, institutions: bundle.institutions, ..base })
}

impl Reference {
    /// This build's catalogues with the lists of `bundle` (the browser's copy of the server's);
    /// an incomplete bundle is refused, so the caller keeps the lists it has.
    pub fn from_bundle(bundle: ReferenceBundle) -> Result<Reference, IncompleteBundle> {
        merge(build(), bundle)
    }

    /// The compiled-in catalogues with `added` (institutions an administrator added or imported,
    /// kept by the server), under a new version; an added code equal to a compiled-in one is
    /// left out.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn with_added_institutions(added: Vec<Institution>) -> Reference {
        with_added(build(), added)
    }

    /// Whether these are the compiled-in catalogues with exactly `added` (what
    /// [`Self::with_added_institutions`] would make of it), so that the server rebuilds nothing
    /// when the database holds what it has already.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn holds_added(&self, added: &[Institution]) -> bool {
        let base = compiled();
        let extra = self.institutions.get(base.institutions.len()..).unwrap_or_default();
        added.iter().filter(|i| base.institution(&i.code).is_none()).eq(extra.iter())
    }

    /// Whether regions and institutions are at hand (always, except in the browser before its
    /// first bundle has arrived).
    pub fn has_lists(&self) -> bool {
        !self.regions.is_empty() && !self.institutions.is_empty()
    }

    /// The service of `code`.
    pub fn service(&self, code: ServiceCode) -> &Service {
        self.services.iter().find(|s| s.code == code).expect("every service code is in the catalogue")
    }

    /// The institution of `code`, if known.
    pub fn institution(&self, code: &str) -> Option<&Institution> {
        self.institutions.iter().find(|i| i.code == code)
    }

    /// The region of `code`, if known.
    pub fn region(&self, code: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.code == code)
    }

    /// The degree of `code`, if known.
    pub fn degree(&self, code: &str) -> Option<&Degree> {
        self.degrees.iter().find(|d| d.code == code)
    }

    /// Institutions of one region and kind, for the dependent lists of the form.
    pub fn institutions_in<'a>(&'a self, region: &'a str, kind: InstitutionKind) -> impl Iterator<Item = &'a Institution> + 'a {
        self.institutions.iter().filter(move |i| i.region == region && i.kind == kind)
    }

    /// [`Self::institutions_in`] narrowed to those `query` finds ([`institution_matches`]).
    pub fn institutions_matching<'a>(&'a self, region: &'a str, kind: InstitutionKind, query: &'a str) -> impl Iterator<Item = &'a Institution> + 'a {
        self.institutions_in(region, kind).filter(move |i| institution_matches(query, i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_are_loaded_with_every_name_filled() {
        let r = compiled();
        assert_eq!(r.regions.len(), 20);
        assert!(r.institutions.len() >= 70);
        assert!(r.institutions.iter().all(|i| !i.name.kk.is_empty() && !i.name.ru.is_empty() && !i.name.en.is_empty()));
        assert_eq!(r.institution("kaznmu").unwrap().region, "almaty_city");
        assert_eq!(r.service(ServiceCode::Correction).term_working_days, 3);
    }

    #[test]
    fn catalogue_lists_take_their_names_from_the_messages() {
        let r = compiled();
        let ground = r.refusal_grounds.iter().find(|g| g.code == "no_consent").unwrap();
        assert!(ground.name.ru.contains("согласия"), "{:?}", ground.name);
        assert_eq!(r.attachment_kinds.len(), AttachmentKind::ALL.len());
        for entry in r.attachment_kinds.iter().chain(&r.refusal_grounds).chain(&r.result_kinds) {
            // `t` falls back to "?" when a key is missing: every name must be a real text.
            assert!([&entry.name.kk, &entry.name.ru, &entry.name.en].iter().all(|n| n.len() > 3), "{entry:?}");
        }
    }

    #[test]
    fn the_catalogue_is_served_with_its_new_parts() {
        let json = serde_json::to_value(compiled()).unwrap();
        let tvet = &json["services"][1];
        assert_eq!(tvet["code"], "tvet_duplicate");
        assert_eq!(tvet["results"], serde_json::json!(["paper_duplicate", "digital_diploma"]));
        assert_eq!(tvet["documents"][0]["kind"], "original_document");
        let back: Reference = serde_json::from_value(json).unwrap();
        assert_eq!(&back, compiled());
    }

    #[test]
    fn every_institution_has_a_known_region() {
        let r = compiled();
        for i in &r.institutions {
            assert!(r.region(&i.region).is_some(), "{} has no known region ({:?}): it would vanish once a region is chosen", i.code, i.region);
        }
    }

    #[test]
    fn no_name_is_shown_in_a_third_language() {
        // The data: every row has its name in an official language (Kazakh or Russian) ...
        for f in csv_rows(INSTITUTIONS_CSV).chain(csv_rows(REGIONS_CSV).map(|f| [vec![f[0].clone(), String::new(), String::new()], f[2..].to_vec()].concat())) {
            let (kk, ru) = (f[3].trim(), f[4].trim());
            assert!(!kk.is_empty() || !ru.is_empty(), "{}: no Kazakh or Russian name", f[0]);
            // ... and what a Kazakh or Russian reader sees is one of those, never the English one.
            let names = Names::with_fallbacks(&f[3], &f[4], &f[5]);
            assert!([kk, ru].contains(&names.kk.as_str()) && [kk, ru].contains(&names.ru.as_str()), "{}: {names:?}", f[0]);
        }
        assert_eq!(Names::with_fallbacks("", "", "English only"), Names::new("", "", "English only"));
        assert_eq!(Names::with_fallbacks("", "Только русское", ""), Names::new("Только русское", "Только русское", "Только русское"));
    }

    #[test]
    fn an_added_institution_is_listed_under_a_new_version() {
        let before = compiled().version.clone();
        let added = Institution {
            code: "added_college".into(),
            name: Names::with_fallbacks("", "Добавленный колледж", ""),
            region: "abai".into(),
            kind: InstitutionKind::College,
            aliases: vec![],
        };
        let r = with_added(build(), vec![added.clone(), Institution { code: "kaznu".into(), ..added.clone() }]);
        assert_ne!(r.version, before);
        assert_eq!(r.institution("added_college").unwrap().region, "abai");
        assert_eq!(r.institutions.iter().filter(|i| i.code == "kaznu").count(), 1, "a compiled-in code is not replaced");
        assert_eq!(with_added(build(), Vec::new()).version, before);
        let public = Reference::with_added_institutions(vec![added.clone()]);
        assert_eq!(public, r);
        assert!(public.holds_added(std::slice::from_ref(&added)) && !public.holds_added(&[]));
        assert!(compiled().holds_added(&[]) && !compiled().holds_added(&[added]));
    }

    fn bundle_of(r: &Reference) -> ReferenceBundle {
        serde_json::from_value(serde_json::to_value(r).unwrap()).unwrap()
    }

    #[test]
    fn a_bundle_replaces_regions_and_institutions_and_keeps_the_rest() {
        let base = compiled();
        let mut bundle = bundle_of(base);
        bundle.version = "next".into();
        bundle.institutions.retain(|i| i.code != "kaznmu");
        bundle.institutions.push(Institution {
            code: "new_college".into(),
            name: Names::new("Жаңа колледж", "Новый колледж", "New College"),
            region: "abai".into(),
            kind: InstitutionKind::College,
            aliases: vec!["НК".into()],
        });
        let merged = merge(base.clone(), bundle).unwrap();
        assert_eq!(merged.version, "next");
        assert!(merged.institution("kaznmu").is_none(), "a dropped institution is gone");
        assert_eq!(merged.institutions_in("abai", InstitutionKind::College).filter(|i| i.code == "new_college").count(), 1);
        assert_eq!(merged.services, base.services);
        assert_eq!(merged.degrees, base.degrees);
        assert_eq!(merged.reasons, base.reasons);
    }

    #[test]
    fn an_incomplete_bundle_is_refused() {
        let base = compiled();
        let mut no_institutions = bundle_of(base);
        no_institutions.institutions.clear();
        assert_eq!(merge(base.clone(), no_institutions.clone()), Err(IncompleteBundle));
        assert_eq!(Reference::from_bundle(no_institutions), Err(IncompleteBundle));
        let mut no_regions = bundle_of(base);
        no_regions.regions.clear();
        assert_eq!(merge(base.clone(), no_regions), Err(IncompleteBundle));
        assert!(base.has_lists());
    }

    #[test]
    fn the_served_body_reads_as_a_bundle() {
        // The whole served body parses as a bundle (the other catalogues are ignored), and the
        // reference made of it is the one served.
        let body = serde_json::to_string(compiled()).unwrap();
        let bundle: ReferenceBundle = serde_json::from_str(&body).unwrap();
        assert_eq!(bundle.version, compiled().version);
        assert_eq!(&Reference::from_bundle(bundle).unwrap(), compiled());
    }

    #[test]
    fn matching_institutions_stay_in_their_region_and_kind() {
        let r = compiled();
        let found: Vec<_> = r.institutions_matching("almaty_city", InstitutionKind::University, "медицин").map(|i| i.code.as_str()).collect();
        assert!(found.contains(&"kaznmu"), "{found:?}");
        assert!(r.institutions_matching("astana_city", InstitutionKind::University, "асфендияров").next().is_none());
        let all = r.institutions_in("almaty_city", InstitutionKind::University).count();
        assert_eq!(r.institutions_matching("almaty_city", InstitutionKind::University, "").count(), all);
    }

    #[test]
    fn institution_kinds_are_read_from_their_codes() {
        for kind in [InstitutionKind::University, InstitutionKind::College, InstitutionKind::School] {
            let code = serde_json::to_value(kind).unwrap();
            assert_eq!(InstitutionKind::from_code(code.as_str().unwrap()), Some(kind));
        }
        assert_eq!(InstitutionKind::from_code("academy"), None);
    }

    #[test]
    fn csv_quoted_fields_keep_commas() {
        assert_eq!(csv_fields(r#"a,"b, c",d"#), vec!["a", "b, c", "d"]);
        assert_eq!(csv_fields(r#""say ""hi""",x"#), vec![r#"say "hi""#, "x"]);
    }
}
