//! Upper and lower case of the letters people type here: Latin, Latin-1 and Cyrillic with the
//! Kazakh letters. A small table of ranges rather than `str::to_uppercase`, whose tables for all
//! of Unicode would cross every citizen's slow link for letters no field of ours accepts; any
//! other character is kept as it is. The tests hold it against the standard library.

/// `c` in upper case (itself when it has no upper case here).
pub fn upper_char(c: char) -> char {
    let u = c as u32;
    let mapped = match u {
        0x61..=0x7A => u - 0x20,
        0xE0..=0xFE if u != 0xF7 => u - 0x20,
        0x430..=0x44F => u - 0x20,
        0x450..=0x45F => u - 0x50,
        0x461..=0x481 | 0x48B..=0x4BF | 0x4D1..=0x52F if !u.is_multiple_of(2) => u - 1,
        0x4C2..=0x4CE if u.is_multiple_of(2) => u - 1,
        0x4CF => 0x4C0,
        _ => u,
    };
    char::from_u32(mapped).unwrap_or(c)
}

/// `c` in lower case (itself when it has no lower case here).
pub fn lower_char(c: char) -> char {
    let u = c as u32;
    let mapped = match u {
        0x41..=0x5A => u + 0x20,
        0xC0..=0xDE if u != 0xD7 => u + 0x20,
        0x410..=0x42F => u + 0x20,
        0x400..=0x40F => u + 0x50,
        0x460..=0x480 | 0x48A..=0x4BE | 0x4D0..=0x52E if u.is_multiple_of(2) => u + 1,
        0x4C1..=0x4CD if !u.is_multiple_of(2) => u + 1,
        0x4C0 => 0x4CF,
        _ => u,
    };
    char::from_u32(mapped).unwrap_or(c)
}

/// Whether `c` is a letter with two cases here (Latin, Latin-1, Cyrillic with the Kazakh letters).
pub fn is_cased_letter(c: char) -> bool {
    upper_char(c) != c || lower_char(c) != c
}

/// `text` in upper case.
pub fn upper(text: &str) -> String {
    text.chars().map(upper_char).collect()
}

/// `text` in lower case.
pub fn lower(text: &str) -> String {
    text.chars().map(lower_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The letters this table covers: Basic Latin, Latin-1 and the Cyrillic blocks.
    fn covered() -> impl Iterator<Item = char> {
        (0x20..=0xFF_u32).chain(0x400..=0x52F).filter_map(char::from_u32)
    }

    #[test]
    fn the_table_agrees_with_unicode_for_every_letter_it_covers() {
        for c in covered() {
            let std_upper: Vec<char> = c.to_uppercase().collect();
            let std_lower: Vec<char> = c.to_lowercase().collect();
            // Letters whose case is not one letter of these blocks (ß → SS, ÿ → Ÿ, µ → Μ) stay.
            let expected_upper = if std_upper.len() == 1 && covered().any(|k| k == std_upper[0]) { std_upper[0] } else { c };
            let expected_lower = if std_lower.len() == 1 && covered().any(|k| k == std_lower[0]) { std_lower[0] } else { c };
            assert_eq!(upper_char(c), expected_upper, "upper of {c:?} (U+{:04X})", c as u32);
            assert_eq!(lower_char(c), expected_lower, "lower of {c:?} (U+{:04X})", c as u32);
        }
    }

    #[test]
    fn the_cased_letters_are_those_with_two_cases() {
        assert!("aZéÉжЖәӘіІ".chars().all(is_cased_letter));
        assert!(!"1-_ ×÷№ß".chars().any(is_cased_letter));
    }

    #[test]
    fn kazakh_letters_change_case() {
        assert_eq!(upper("әғқңөұүһі"), "ӘҒҚҢӨҰҮҺІ");
        assert_eq!(lower("ӘҒҚҢӨҰҮҺІ Ёлка TKB"), "әғқңөұүһі ёлка tkb");
        assert_eq!(upper("ж.б. №0012 ǅ"), "Ж.Б. №0012 ǅ", "a character outside the table is kept");
    }
}
