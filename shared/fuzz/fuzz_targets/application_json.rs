//! Any bytes as an application's JSON body: refused by the deserialiser, or validated with
//! catalogued errors at named fields, or normalised into a request that stays valid.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telnuska_shared::api::CreateApplicationRequest;

#[path = "../../tests/common/invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = serde_json::from_slice::<CreateApplicationRequest>(data) {
        if let Err(broken) = invariants::application(&request) {
            panic!("{broken}");
        }
    }
});
