//! The coded values of the contract (services, channels, relationships, document kinds, reasons,
//! attachment kinds, statuses, roles): each a closed enum with a stable code, its list and its
//! serde form.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Reads a code as a string, once for every coded enum: the derive would compile a visitor per
/// enum (string, bytes and index forms), kilobytes of the browser's download for the same check.
fn code_of<'de, D: Deserializer<'de>, T>(deserializer: D, from_code: fn(&str) -> Option<T>, codes: &'static [&'static str]) -> Result<T, D::Error> {
    let code = String::deserialize(deserializer)?;
    from_code(&code).ok_or_else(|| D::Error::unknown_variant(&code, codes))
}

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        /// As its code (a JSON string).
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                code_of(deserializer, Self::from_code, &[$($code),+])
            }
        }

        impl $name {
            /// Every value, in catalogue order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The value of a stable code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        // Written by hand: the derive does not see serde renames that come through this macro,
        // and the schema must list the codes exactly as they travel.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

code_enum!(
    /// The four services.
    ServiceCode {
        /// Duplicates of higher and postgraduate education documents.
        HigherDuplicate => "higher_duplicate",
        /// Duplicates of TVET and post-secondary documents.
        TvetDuplicate => "tvet_duplicate",
        /// Duplicates of school certificates.
        SchoolDuplicate => "school_duplicate",
        /// Correction of a document's data (portal only).
        Correction => "correction",
    }
);

code_enum!(
    /// Where an application was made.
    Channel {
        /// The citizen's own browser.
        Portal => "portal",
        /// A self-service kiosk in a ЦОН hall.
        Kiosk => "kiosk",
        /// A ЦОН operator's desk.
        Con => "con",
        /// A field worker at the applicant's home.
        Field => "field",
        /// The provider's own office: a school or college takes the papers itself (001; 003
        /// item 50), its staff at the counter.
        Office => "office",
    }
);

code_enum!(
    /// Who applies, relative to the person the document belongs to.
    Relationship {
        /// The graduate.
        SelfApplicant => "self",
        /// A parent of a minor pupil.
        Parent => "parent",
        /// A legal guardian of a minor pupil.
        Guardian => "guardian",
        /// Anyone with a notarised power of attorney.
        Representative => "representative",
    }
);

code_enum!(
    /// Which document is asked for.
    DocumentKind {
        /// A diploma.
        Diploma => "diploma",
        /// A diploma supplement alone.
        Supplement => "supplement",
        /// Both.
        DiplomaAndSupplement => "diploma_and_supplement",
        /// A school attestat or certificate.
        Certificate => "certificate",
    }
);

code_enum!(
    /// Why a duplicate or correction is asked for.
    Reason {
        /// The document was lost.
        Loss => "loss",
        /// The document was damaged.
        Damage => "damage",
        /// Surname, name or patronymic changed.
        NameChange => "name_change",
        /// The data in the document are wrong (correction).
        DataError => "data_error",
    }
);

code_enum!(
    /// What an attached file is.
    AttachmentKind {
        /// The original (damaged or in a former name) document.
        OriginalDocument => "original_document",
        /// Marriage or name-change certificate.
        NameChangeCertificate => "name_change_certificate",
        /// Notarised power of attorney.
        PowerOfAttorney => "power_of_attorney",
        /// Electronic copy of the document (correction).
        ElectronicCopy => "electronic_copy",
        /// The pupil's birth certificate.
        BirthCertificate => "birth_certificate",
        /// Anything else.
        Other => "other",
        /// The pupil's identity card or passport, in place of the birth certificate (001).
        IdentityCard => "identity_card",
    }
);

code_enum!(
    /// Where an application is in its life (the workflow's states).
    ApplicationStatus {
        /// Accepted at ЦОН, a kiosk or the door; not yet sent to the provider.
        Submitted => "submitted",
        /// With the courier on the way to the provider.
        InTransit => "in_transit",
        /// Registered by the provider.
        Registered => "registered",
        /// Being reviewed by the provider.
        InReview => "in_review",
        /// Preliminary refusal; a hearing is scheduled.
        HearingScheduled => "hearing_scheduled",
        /// The duplicate is ready.
        Ready => "ready",
        /// Refused with a reason.
        Refused => "refused",
        /// The duplicate waits at ЦОН.
        AtCon => "at_con",
        /// Handed over to the applicant.
        Issued => "issued",
        /// Not claimed within a month: returned to the provider.
        ReturnedToProvider => "returned_to_provider",
        /// A correction approved: the document's record is updated, nothing to collect (002
        /// items 4–5).
        RecordUpdated => "record_updated",
        /// The reasoned refusal of an application accepted by ЦОН (at its counter or at the
        /// applicant's home) waits at ЦОН as a letter to be collected (003 items 58, 62).
        RefusalAtCon => "refusal_at_con",
        /// The refusal letter was handed over to the applicant.
        RefusalIssued => "refusal_issued",
        /// The refusal letter was not collected within a month: returned to the provider,
        /// which keeps it (no recall: 003 item 62 recalls ready documents; the applicant asks
        /// the provider for it).
        RefusalReturned => "refusal_returned",
    }
);

impl ApplicationStatus {
    /// The status whose stage text the citizen's pages show for this one: a refusal letter
    /// collected or returned reads as any result would ("Collected", "returned to the
    /// institution") after the "Refused" line above it, so the citizen's texts carry one line
    /// for the refusal letter (where it waits), not three.
    pub fn tracking_stage(self) -> &'static str {
        match self {
            Self::RefusalIssued => Self::Issued.code(),
            Self::RefusalReturned => Self::ReturnedToProvider.code(),
            other => other.code(),
        }
    }
}

code_enum!(
    /// Where the applicant collects the result of a portal application (001 "по адресу
    /// указанному в запросе"; 003 item 59; 000 "забрать с ОВПО").
    CollectionPlace {
        /// A ЦОН branch: the provider's courier takes the result there.
        Con => "con",
        /// The school, college or university itself: no courier leg.
        Provider => "provider",
    }
);

code_enum!(
    /// Why a field worker serves the applicant at home (003 annex 6 item 10).
    HomeServiceGround {
        /// Has fully or partly lost the ability to look after themselves.
        LostSelfCare => "lost_self_care",
        /// Has fully or partly lost the ability to move.
        LostMobility => "lost_mobility",
    }
);

code_enum!(
    /// Roles of authenticated callers.
    Role {
        /// ЦОН operator.
        Operator => "operator",
        /// Field worker of the State Corporation.
        Field => "field",
        /// Staff of a school, college or university.
        Provider => "provider",
        /// Administrator.
        Admin => "admin",
        /// The applicant (tracking token or signature).
        Applicant => "applicant",
        /// The server itself (deadlines, scheduled jobs).
        System => "system",
    }
);

impl Channel {
    /// The staff role that takes applications through this channel (the worker's session
    /// stands for the applicant's signature); `None` where the applicant sends and signs.
    pub fn staff_role(self) -> Option<Role> {
        match self {
            Channel::Portal | Channel::Kiosk => None,
            Channel::Con => Some(Role::Operator),
            Channel::Field => Some(Role::Field),
            Channel::Office => Some(Role::Provider),
        }
    }
}

impl Role {
    /// The channel through which this role takes papers across a counter: the ЦОН operator's
    /// desk, the provider's own office; `None` for a role that has no counter.
    pub fn counter_channel(self) -> Option<Channel> {
        match self {
            Role::Operator => Some(Channel::Con),
            Role::Provider => Some(Channel::Office),
            Role::Field | Role::Admin | Role::Applicant | Role::System => None,
        }
    }
}

code_enum!(
    /// Which data of an education document a correction is about (002, the application form).
    CorrectedData {
        /// Surname.
        LastName => "last_name",
        /// Given name.
        FirstName => "first_name",
        /// Patronymic.
        Patronymic => "patronymic",
        /// IIN.
        Iin => "iin",
        /// Date of birth.
        BirthDate => "birth_date",
        /// Specialty or qualification.
        Specialty => "specialty",
        /// Dates of study or of issue.
        Dates => "dates",
        /// Anything else.
        Other => "other",
    }
);

code_enum!(
    /// How an application's document stands against the provider's register of issued documents
    /// (the evidence for a refusal on "unreliable data").
    RegisterOutcome {
        /// A record of the register agrees on every field.
        Matches => "matches",
        /// A record was found by the IIN or by the series and number, but some fields differ.
        PartlyMatches => "partly_matches",
        /// No record has the graduate's IIN or the document's series and number.
        NotInRegister => "not_in_register",
    }
);

code_enum!(
    /// A column of the register of issued documents, compared with an application.
    RegisterField {
        /// Surname.
        LastName => "last_name",
        /// Given name.
        FirstName => "first_name",
        /// Patronymic.
        Patronymic => "patronymic",
        /// The graduate's IIN.
        Iin => "iin",
        /// Series.
        Series => "series",
        /// Blank number.
        Number => "number",
        /// Registration number.
        RegistrationNumber => "registration_number",
        /// Year of graduation.
        GraduationYear => "graduation_year",
        /// Specialty.
        Specialty => "specialty",
    }
);

code_enum!(
    /// Whether a stage reached the state monitoring information system (003 item 64).
    MonitoringState {
        /// Taken by the system.
        Reported => "reported",
        /// Waiting to be sent, or for its next try.
        Waiting => "waiting",
        /// Given up after the last try.
        Failed => "failed",
        /// Recorded before stages were reported: never queued.
        NotQueued => "not_queued",
    }
);

code_enum!(
    /// A step of a university's internal procedure, recorded on the application as the checklist
    /// of its work (004 section 4), and the entry in the issue journal of any paper duplicate.
    InternalStep {
        /// The documentation and control department registered the application (step 3, within
        /// 1 working day).
        DocumentationRegistered => "documentation_registered",
        /// The rector decided to execute it (step 4).
        RectorDecision => "rector_decision",
        /// The student office prepared the diploma duplicate (step 5).
        DiplomaPrepared => "diploma_prepared",
        /// The archive (graduates before 2017) or the registrar (from 2017) prepared the
        /// supplement duplicate (step 6).
        SupplementPrepared => "supplement_prepared",
        /// The duplicate's own series and number written in the registration and issue journal
        /// (step 7), once it is approved.
        IssueJournal => "issue_journal",
    }
);

#[cfg(test)]
mod serde_tests {
    use super::*;

    #[test]
    fn every_code_travels_as_its_string_and_comes_back() {
        for service in ServiceCode::ALL {
            let json = serde_json::to_string(service).unwrap();
            assert_eq!(json, format!("\"{}\"", service.code()));
            assert_eq!(serde_json::from_str::<ServiceCode>(&json).unwrap(), *service);
        }
        for status in ApplicationStatus::ALL {
            assert_eq!(serde_json::from_str::<ApplicationStatus>(&serde_json::to_string(status).unwrap()).unwrap(), *status);
        }
    }

    #[test]
    fn an_unknown_code_or_another_type_is_refused_with_the_codes_named() {
        let unknown = serde_json::from_str::<Channel>("\"post\"").unwrap_err().to_string();
        assert!(unknown.contains("unknown variant `post`") && unknown.contains("`portal`"), "{unknown}");
        assert!(serde_json::from_str::<Channel>("1").is_err());
        assert!(serde_json::from_str::<Channel>("null").is_err());
    }
}
