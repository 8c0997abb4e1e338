//! The sync benchmark's way in, present only on a device where `localStorage` holds
//! [`MEASURE_KEY`] (the benchmark sets it; a worker's device never does):
//! `telnuskaFieldQueue([{key, body}, …])` queues each request body as an application accepted at
//! the door under its idempotency key, through the same sealing ([`queue::accepted`],
//! [`queue::save`]) as the acceptance step, and answers how many it queued.
//! The sync that follows is the worker's own ("Send now").

use js_sys::{Array, Promise, Reflect};
use telnuska_shared::api::CreateApplicationRequest;
use wasm_bindgen::prelude::*;

use crate::form::{uuid_v4, Draft};
use crate::staff::field::queue;

/// localStorage key that exposes the hook.
const MEASURE_KEY: &str = "telnuska.field.measure";

async fn queue_all(items: Array) -> Result<JsValue, JsValue> {
    for item in items.iter() {
        let text = |name: &str| Reflect::get(&item, &name.into()).ok().and_then(|v| v.as_string()).ok_or_else(|| JsValue::from_str(name));
        let (key, body) = (text("key")?, text("body")?);
        let request: CreateApplicationRequest = serde_json::from_str(&body).map_err(|e| JsValue::from_str(&e.to_string()))?;
        let accepted_at = request.accepted_at.ok_or_else(|| JsValue::from_str("accepted_at"))?;
        let mut draft = Draft::new();
        draft.id = uuid_v4(crate::dom::random_bytes());
        draft.idempotency_key = Some(key);
        draft.request = request;
        queue::save(&queue::accepted(draft, accepted_at, body).await).await.map_err(|e| JsValue::from_str(&format!("{e:?}")))?;
    }
    Ok(items.length().into())
}

/// Exposes the hook if the device asks for it.
pub fn expose() {
    let Some(window) = web_sys::window() else { return };
    if window.local_storage().ok().flatten().and_then(|s| s.get_item(MEASURE_KEY).ok().flatten()).is_none() {
        return;
    }
    let hook = Closure::<dyn Fn(Array) -> Promise>::new(|items| wasm_bindgen_futures::future_to_promise(queue_all(items)));
    let _ = Reflect::set(&window, &"telnuskaFieldQueue".into(), hook.as_ref());
    // The hook lives as long as the page.
    hook.forget();
}
