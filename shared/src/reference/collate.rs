//! Sorting names as Kazakh and Russian readers expect: by the Kazakh Cyrillic alphabet, which
//! holds the Russian one in the same order (А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т
//! У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я), so one order serves both: Ә right after А, Қ after К,
//! Ұ and Ү after У. Case, quotes and punctuation do not count ("«Высший колледж»" is among
//! the В's), nor does a leading "город"/"область" ("город Алматы" is among the А's, as
//! "Алматы қаласы" is). Digits come first; Latin names follow the Cyrillic ones for Kazakh and
//! Russian readers and come before them for English ones.
//!
//! A small table rather than a Unicode collation library, which would not fit the browser's
//! download.

use std::cmp::Ordering;

use crate::i18n::Lang;

/// The Kazakh Cyrillic alphabet in order (lower case); the Russian letters are among them.
const CYRILLIC: &str = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя";

/// Generic words that do not decide a name's place ("город Алматы" sorts as "Алматы").
const GENERIC_PREFIXES: [&str; 3] = ["город ", "г. ", "область "];

/// `c` in lower case for the letters of both alphabets (a table rather than `char::to_lowercase`,
/// whose Unicode tables would weigh on the browser's download): Latin, Russian (А–Я and
/// Ё), and the Kazakh letters, whose capitals sit one code point before their small letters
/// (Ә ә, Ғ ғ, Қ қ, Ң ң, Ө ө, Ұ ұ, Ү ү, Һ һ) except І і.
fn lower(c: char) -> char {
    let code = u32::from(c);
    let lowered = match c {
        'A'..='Z' => code + 32,
        'А'..='Я' => code + 32,
        '\u{0400}'..='\u{040F}' => code + 80,
        '\u{0490}'..='\u{04FF}' if code % 2 == 0 => code + 1,
        _ => code,
    };
    char::from_u32(lowered).unwrap_or(c)
}

/// Whether `c` does not count: spaces, punctuation, quotes, dashes, "№".
fn is_separator(c: char) -> bool {
    c.is_whitespace() || c.is_ascii_punctuation() || matches!(c, '«' | '»' | '“' | '”' | '„' | '‘' | '’' | '‹' | '›' | '–' | '—' | '№' | '…')
}

/// The rank of a letter or digit (digits, then one script, then the other), or `None` for
/// what does not count ([`is_separator`]).
fn rank(c: char, latin_first: bool) -> Option<u32> {
    if is_separator(c) {
        return None;
    }
    let lower = lower(c);
    let (cyrillic, latin) = if latin_first { (200, 100) } else { (100, 200) };
    Some(match lower {
        '0'..='9' => u32::from(lower) - u32::from('0'),
        'a'..='z' => latin + u32::from(lower) - u32::from('a'),
        _ => match CYRILLIC.chars().position(|x| x == lower) {
            Some(i) => cyrillic + i as u32,
            // Other letters (a Latin letter with a diacritic, say) after both scripts.
            None => 1000 + u32::from(lower),
        },
    })
}

/// The sort key of `name` for readers of `lang`.
pub fn collation_key(lang: Lang, name: &str) -> Vec<u32> {
    let trimmed = name.trim_start_matches(is_separator);
    let lowered: String = trimmed.chars().map(lower).collect();
    let skip = GENERIC_PREFIXES.iter().find(|p| lowered.starts_with(*p)).map_or(0, |p| p.chars().count());
    trimmed.chars().skip(skip).filter_map(|c| rank(c, lang == Lang::En)).collect()
}

/// The order of two names for readers of `lang`; names that collate alike fall back to their
/// text, so the order is total and a sort is stable across runs.
pub fn collate(lang: Lang, a: &str, b: &str) -> Ordering {
    collation_key(lang, a).cmp(&collation_key(lang, b)).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(lang: Lang, names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| collate(lang, a, b));
        v
    }

    #[test]
    fn kazakh_letters_follow_their_russian_neighbours() {
        assert_eq!(sorted(Lang::Kk, &["Бәйтерек", "Әбілов", "Азат", "Ақтөбе", "Алматы"]), ["Азат", "Ақтөбе", "Алматы", "Әбілов", "Бәйтерек"]);
        assert_eq!(sorted(Lang::Ru, &["Лисаковск", "Қостанай", "Кызылорда"]), ["Кызылорда", "Қостанай", "Лисаковск"]);
        assert_eq!(sorted(Lang::Kk, &["Фараб", "Үшарал", "Ұлытау", "Уральск"]), ["Уральск", "Ұлытау", "Үшарал", "Фараб"]);
        assert_eq!(sorted(Lang::Ru, &["Яблоко", "Ёлка", "Ежевика", "Жук"]), ["Ежевика", "Ёлка", "Жук", "Яблоко"]);
        assert_eq!(sorted(Lang::Kk, &["Іле", "Ыстық", "Ь", "Эра"]), ["Ыстық", "Іле", "Ь", "Эра"]);
    }

    #[test]
    fn generic_words_quotes_and_case_do_not_decide_the_place() {
        let regions = ["область Абай", "Акмолинская область", "город Алматы", "Алматинская область", "Атырауская область", "Жамбылская область"];
        assert_eq!(
            sorted(Lang::Ru, &regions),
            ["область Абай", "Акмолинская область", "Алматинская область", "город Алматы", "Атырауская область", "Жамбылская область"]
        );
        assert_eq!(sorted(Lang::Ru, &["Алматы (город)", "Актобе", "Астана (город)", "Байконур"]), ["Актобе", "Алматы (город)", "Астана (город)", "Байконур"]);
        assert_eq!(sorted(Lang::Ru, &["Гимназия", "«Высший колледж»", "бухгалтерия"]), ["бухгалтерия", "«Высший колледж»", "Гимназия"]);
    }

    #[test]
    fn latin_names_follow_cyrillic_ones_except_for_english_readers() {
        assert_eq!(sorted(Lang::Ru, &["Astana IT University", "Университет Туран", "1 гимназия"]), ["1 гимназия", "Университет Туран", "Astana IT University"]);
        assert_eq!(sorted(Lang::En, &["Университет Туран", "Astana IT University"]), ["Astana IT University", "Университет Туран"]);
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        fn name() -> impl Strategy<Value = String> {
            proptest::string::string_regex("[a-zA-Zа-яА-ЯёЁәӘғҒқҚңҢөӨұҰүҮһҺіІ0-9 .,«»\"()-]{0,16}").expect("valid pattern")
        }

        fn lang() -> impl Strategy<Value = Lang> {
            prop_oneof![Just(Lang::Kk), Just(Lang::Ru), Just(Lang::En)]
        }

        /// Each Kazakh letter with the Russian letter it follows and the one it precedes.
        const NEIGHBOURS: [(char, char, char); 9] = [
            ('ә', 'а', 'б'),
            ('ғ', 'г', 'д'),
            ('қ', 'к', 'л'),
            ('ң', 'н', 'о'),
            ('ө', 'о', 'п'),
            ('ұ', 'у', 'ф'),
            ('ү', 'у', 'ф'),
            ('һ', 'х', 'ц'),
            ('і', 'ы', 'ь'),
        ];

        proptest! {
            #[test]
            fn the_order_is_total_antisymmetric_and_transitive(lang in lang(), a in name(), b in name(), c in name()) {
                prop_assert_eq!(collate(lang, &a, &b), collate(lang, &b, &a).reverse());
                prop_assert_eq!(collate(lang, &a, &a), Ordering::Equal);
                if collate(lang, &a, &b) != Ordering::Greater && collate(lang, &b, &c) != Ordering::Greater {
                    prop_assert_ne!(collate(lang, &a, &c), Ordering::Greater);
                }
                prop_assert_eq!(collate(lang, &a, &b) == Ordering::Equal, a == b);
            }

            #[test]
            fn a_kazakh_letter_sits_between_its_russian_neighbours(lang in lang(), prefix in name(), rest_a in name(), rest_b in name(), i in 0usize..9) {
                let (kazakh, before, after) = NEIGHBOURS[i];
                let word = |c: char, rest: &str| format!("{prefix}{c}{rest}");
                // A generic first word ("город …") is skipped as a whole, so the letter would not
                // be compared at its place.
                let generic = |w: String| GENERIC_PREFIXES.iter().any(|p| w.trim_start_matches(is_separator).to_lowercase().starts_with(p));
                prop_assume!(![word(before, &rest_a), word(kazakh, &rest_a), word(kazakh, &rest_b), word(after, &rest_b)].into_iter().any(generic));
                // Whatever follows, the letter at the first difference decides.
                prop_assert_eq!(collation_key(lang, &word(before, &rest_a)).cmp(&collation_key(lang, &word(kazakh, &rest_b))), Ordering::Less);
                prop_assert_eq!(collation_key(lang, &word(kazakh, &rest_a)).cmp(&collation_key(lang, &word(after, &rest_b))), Ordering::Less);
            }

            #[test]
            fn case_and_punctuation_do_not_change_the_key(lang in lang(), a in name()) {
                prop_assert_eq!(collation_key(lang, &a.to_uppercase()), collation_key(lang, &a.to_lowercase()));
                let quoted = format!("«{}»", a.replace(' ', " - "));
                prop_assert_eq!(collation_key(lang, &quoted), collation_key(lang, &a));
            }
        }
    }
}
