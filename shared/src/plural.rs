//! Plural forms of a counted word, by the CLDR rules for cardinal integers
//! (<https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html>):
//! Russian has one / few / many (and other, for fractions), Kazakh and English one / other.
//! A catalogue entry with a number is written once per form, as `key.one = …`, `key.few = …`,
//! `key.many = …`, `key.other = …` ([`crate::i18n::t_count`] picks the line).

use crate::lang::Lang;

/// A CLDR plural category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// 1 (en, kk); 1, 21, 31, … but not 11 (ru): "21 рабочий день".
    One,
    /// 2–4, 22–24, … but not 12–14 (ru): "3 рабочих дня".
    Few,
    /// 0, 5–20, 25–30, … (ru): "15 рабочих дней".
    Many,
    /// Everything else; every language has it, and it is the fallback line.
    Other,
}

impl Category {
    /// The suffix of the catalogue key (`one`, `few`, `many`, `other`).
    pub fn code(self) -> &'static str {
        match self {
            Category::One => "one",
            Category::Few => "few",
            Category::Many => "many",
            Category::Other => "other",
        }
    }

    /// Every category, in CLDR order.
    pub const ALL: [Category; 4] = [Category::One, Category::Few, Category::Many, Category::Other];

    /// The category of a key suffix, if it is one.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The categories a language's catalogue must write for an entry with a number: those its rule
/// gives for integers, and `other` (the CLDR fallback, also the form for fractions).
pub fn categories(lang: Lang) -> &'static [Category] {
    match lang {
        Lang::Ru => &[Category::One, Category::Few, Category::Many, Category::Other],
        Lang::Kk | Lang::En => &[Category::One, Category::Other],
    }
}

/// The plural category of the integer `n` in `lang`.
///
/// Russian: `one` when n % 10 = 1 and n % 100 ≠ 11; `few` when n % 10 ∈ 2..4 and n % 100 ∉ 12..14;
/// else `many`. English: `one` for 1. Kazakh: `one` for 1 (a noun after a number stays singular in
/// Kazakh, so both of its lines usually read alike: "1 жұмыс күні", "15 жұмыс күні").
pub fn category(lang: Lang, n: u64) -> Category {
    match lang {
        Lang::Ru => match (n % 10, n % 100) {
            (1, r) if r != 11 => Category::One,
            (2..=4, r) if !(12..=14).contains(&r) => Category::Few,
            _ => Category::Many,
        },
        Lang::Kk | Lang::En if n == 1 => Category::One,
        Lang::Kk | Lang::En => Category::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn russian_follows_the_last_two_digits() {
        let table = [
            (0, Category::Many),
            (1, Category::One),
            (2, Category::Few),
            (3, Category::Few),
            (4, Category::Few),
            (5, Category::Many),
            (11, Category::Many),
            (12, Category::Many),
            (14, Category::Many),
            (15, Category::Many),
            (21, Category::One),
            (22, Category::Few),
            (25, Category::Many),
            (101, Category::One),
            (111, Category::Many),
            (112, Category::Many),
            (122, Category::Few),
            (200, Category::Many),
        ];
        for (n, want) in table {
            assert_eq!(category(Lang::Ru, n), want, "{n}");
        }
    }

    #[test]
    fn kazakh_and_english_have_one_only_for_one() {
        for lang in [Lang::Kk, Lang::En] {
            assert_eq!(category(lang, 0), Category::Other);
            assert_eq!(category(lang, 1), Category::One);
            assert_eq!(category(lang, 21), Category::Other);
        }
    }

    #[test]
    fn every_category_a_rule_gives_from_0_to_200_is_one_the_catalogue_writes() {
        for lang in Lang::ALL {
            let given: std::collections::BTreeSet<_> = (0..=200).map(|n| category(lang, n)).collect();
            let written: std::collections::BTreeSet<_> = categories(lang).iter().copied().collect();
            assert!(given.is_subset(&written), "{lang:?}: {given:?} vs {written:?}");
            // Every form the catalogue is made to write is used by some integer, but for `other`
            // in Russian (fractions only).
            let unused: Vec<_> = written.difference(&given).collect();
            let expected: Vec<&Category> = if lang == Lang::Ru { vec![&Category::Other] } else { vec![] };
            assert_eq!(unused, expected, "{lang:?}");
        }
    }

    proptest! {
        #[test]
        fn russian_depends_only_on_the_last_two_digits(n in 0u64..1_000_000, hundreds in 0u64..10_000) {
            prop_assert_eq!(category(Lang::Ru, n), category(Lang::Ru, n % 100 + hundreds * 100));
        }

        #[test]
        fn no_integer_is_other_in_russian_nor_few_or_many_elsewhere(n in any::<u64>()) {
            prop_assert_ne!(category(Lang::Ru, n), Category::Other);
            for lang in [Lang::Kk, Lang::En] {
                prop_assert!(matches!(category(lang, n), Category::One | Category::Other));
                prop_assert_eq!(category(lang, n) == Category::One, n == 1);
            }
        }
    }
}
