//! Finding an entry of a long list (hundreds of institutions) by what a person types.
//!
//! People type Kazakh names on Russian keyboards and the other way round, so the Kazakh letters
//! and their nearest Russian ones count as the same letter (ә/а, ғ/г, қ/к, ң/н, ө/о, ұ/у, ү/у,
//! һ/х, і/и, and ё/е); case does not matter; quotes, dots, dashes and other punctuation are
//! ignored ("КазНУ им. аль-Фараби" is found by `аль фараби`). Each typed word must occur somewhere
//! in the entry's names (any of the three languages) or its code, in any order.
//!
//! The folding is a small table rather than `char::to_lowercase`: it covers the two alphabets
//! people type here and keeps the Unicode case tables out of the browser's download.

use super::{Institution, Names};

/// `c` in lower case with Kazakh and Russian variants merged, or `None` for a separator
/// (space, punctuation, quotes).
fn fold_char(c: char) -> Option<char> {
    let folded = match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        'a'..='z' | '0'..='9' => c,
        // Cyrillic А..Я → а..я (one block, 32 apart).
        'А'..='Я' => char::from_u32(u32::from(c) + 32).unwrap_or(c),
        'Ё' | 'ё' => 'е',
        'Ә' | 'ә' => 'а',
        'Ғ' | 'ғ' => 'г',
        'Қ' | 'қ' => 'к',
        'Ң' | 'ң' => 'н',
        'Ө' | 'ө' => 'о',
        'Ұ' | 'ұ' | 'Ү' | 'ү' => 'у',
        'Һ' | 'һ' => 'х',
        'І' | 'і' => 'и',
        _ if c.is_whitespace() || c.is_ascii_punctuation() => return None,
        '«' | '»' | '“' | '”' | '„' | '‘' | '’' | '‹' | '›' | '–' | '—' | '№' | '…' => return None,
        _ => c,
    };
    Some(folded)
}

/// `text` folded for matching: lower case, letter variants merged, every run of separators one
/// space, no space at either end.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        match fold_char(c) {
            Some(c) => {
                if gap && !out.is_empty() {
                    out.push(' ');
                }
                gap = false;
                out.push(c);
            }
            None => gap = true,
        }
    }
    out
}

/// Whether every word of `query` occurs in `haystack` (already [`fold`]ed). An empty query
/// matches everything.
pub fn matches_folded(query: &str, haystack: &str) -> bool {
    fold(query).split(' ').all(|word| haystack.contains(word))
}

/// The text an entry is found by: its names in the three languages and its code, folded.
pub fn searchable(names: &Names, code: &str) -> String {
    fold(&format!("{} {} {} {code}", names.kk, names.ru, names.en))
}

/// Whether `institution` is what `query` asks for (see the module documentation): by its
/// names, its code or one of its aliases (abbreviations and other spellings, "ЕНУ", "Сәтбаев").
pub fn institution_matches(query: &str, institution: &Institution) -> bool {
    let aliases = institution.aliases.join(" ");
    matches_folded(query, &format!("{} {}", searchable(&institution.name, &institution.code), fold(&aliases)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::InstitutionKind;

    fn institution(kk: &str, ru: &str, en: &str, code: &str) -> Institution {
        Institution { code: code.into(), name: Names::new(kk, ru, en), region: "almaty_city".into(), kind: InstitutionKind::University, aliases: Vec::new() }
    }

    fn kaznu() -> Institution {
        institution(
            "Әл-Фараби атындағы Қазақ ұлттық университеті",
            "Казахский национальный университет им. аль-Фараби",
            "Al-Farabi Kazakh National University",
            "kaznu",
        )
    }

    #[test]
    fn folding_merges_case_variants_and_punctuation() {
        assert_eq!(fold("  «Қазақ»  ҰЛТТЫҚ, университеті! "), "казак улттык университети");
        assert_eq!(fold("Гумилёва"), "гумилева");
        assert_eq!(fold("Әл-Фараби"), "ал фараби");
        assert_eq!(fold("ӨҢҒҮҺІ өңғүһі"), "онгухи онгухи");
        assert_eq!(fold("Al-Farabi №1"), "al farabi 1");
        assert_eq!(fold(""), "");
        assert_eq!(fold(" .,- "), "");
    }

    #[test]
    fn an_institution_is_found_in_any_language_and_by_its_code() {
        let kaznu = kaznu();
        for query in [
            "қазақ ұлттық",
            "казак улттык",
            "КАЗАХСКИЙ национальный",
            "аль фараби",
            "аль-фараби",
            "әл-фараби",
            "ал фараби",
            "farabi kazakh",
            "KAZNU",
            "  университет  ",
            "\"Казахский\"",
            "",
        ] {
            assert!(institution_matches(query, &kaznu), "{query:?} should match");
        }
        for query in ["медицин", "farabi medical", "kaznmu", "Астана"] {
            assert!(!institution_matches(query, &kaznu), "{query:?} should not match");
        }
    }

    #[test]
    fn yo_and_ye_are_the_same_letter() {
        let enu = institution(
            "Л.Н. Гумилев атындағы Еуразия ұлттық университеті",
            "Евразийский национальный университет им. Л.Н. Гумилёва",
            "L.N. Gumilyov Eurasian National University",
            "enu",
        );
        assert!(institution_matches("гумилева", &enu));
        assert!(institution_matches("Гумилёв", &enu));
        assert!(institution_matches("л н гумилев", &enu));
    }

    #[test]
    fn abbreviations_and_other_spellings_find_the_institution() {
        let r = crate::reference::compiled();
        for (query, code) in [
            ("ЕНУ", "enu"),
            ("ҚазҰУ", "kaznu"),
            ("КазНУ", "kaznu"),
            ("казну", "kaznu"),
            ("Сәтбаев", "satbayev"),
            ("Satbayev", "satbayev"),
            ("КазНМУ", "kaznmu"),
            ("КБТУ", "kbtu"),
        ] {
            let found: Vec<&str> = r.institutions.iter().filter(|i| institution_matches(query, i)).map(|i| i.code.as_str()).collect();
            assert!(found.contains(&code), "{query:?} finds {found:?}, not {code}");
        }
    }

    #[test]
    fn every_seeded_institution_is_found_by_its_own_names_and_code() {
        for i in &crate::reference::compiled().institutions {
            for query in [&i.name.kk, &i.name.ru, &i.name.en, &i.code] {
                assert!(institution_matches(query, i), "{} by {query:?}", i.code);
            }
        }
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        /// Letters of both alphabets, their variants, digits, punctuation and spaces.
        fn text() -> impl Strategy<Value = String> {
            proptest::string::string_regex("[a-zA-Zа-яА-ЯёЁәӘғҒқҚңҢөӨұҰүҮһҺіІ0-9 .,«»\"'()№-]{0,24}").expect("valid pattern")
        }

        proptest! {
            #[test]
            fn folding_is_idempotent(s in text()) {
                let once = fold(&s);
                prop_assert_eq!(fold(&once), once.clone());
                prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
            }

            #[test]
            fn a_name_is_found_by_any_piece_of_it_in_any_case(s in text(), start in 0usize..24, len in 0usize..24) {
                let chars: Vec<char> = s.chars().collect();
                let start = start.min(chars.len());
                let end = (start + len).min(chars.len());
                let piece: String = chars[start..end].iter().collect();
                let haystack = fold(&s);
                // A piece cut mid-word is still a substring of one word of the name.
                let words_inside = fold(&piece).split(' ').all(|w| haystack.contains(w));
                prop_assert!(words_inside);
                prop_assert!(matches_folded(&piece.to_uppercase(), &haystack));
                prop_assert!(matches_folded(&piece.to_lowercase(), &haystack));
            }

            #[test]
            fn kazakh_letters_and_their_russian_neighbours_match_each_other(s in text()) {
                let russian: String = s.chars().map(|c| match c {
                    'ә' => 'а', 'ғ' => 'г', 'қ' => 'к', 'ң' => 'н', 'ө' => 'о', 'ұ' | 'ү' => 'у', 'һ' => 'х', 'і' => 'и', 'ё' => 'е',
                    c => c,
                }).collect();
                prop_assert_eq!(fold(&s), fold(&russian));
            }
        }
    }
}
