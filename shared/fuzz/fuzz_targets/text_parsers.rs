//! Every text parser (IIN, phone, names, e-mail, document codes, languages, institutions) takes
//! any string; what it accepts is canonical.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/invariants.rs"]
mod invariants;

fuzz_target!(|s: &str| {
    if let Err(broken) = invariants::text_parsers(s) {
        panic!("{broken}");
    }
});
