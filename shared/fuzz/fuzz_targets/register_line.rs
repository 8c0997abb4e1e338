//! Any line of a provider's register of issued documents (tab-separated cells, as the CSV and
//! XLSX readers hand them over): parsed into a record or refused with catalogued codes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telnuska_shared::graduate_register::{RegisterLine, RegisterRecord};
use telnuska_shared::i18n::ERROR_CODES;

fuzz_target!(|line: &str| {
    let mut cells: [String; 9] = Default::default();
    for (cell, text) in cells.iter_mut().zip(line.split('\t')) {
        *cell = text.to_string();
    }
    if let Err(errors) = RegisterRecord::parse(&RegisterLine { cells }, "line", 2026) {
        assert!(!errors.is_empty(), "refused without an error");
        for e in &errors {
            assert!(ERROR_CODES.contains(&e.code), "an uncatalogued code: {e:?}");
        }
    }
});
