//! Preparing a chosen file for upload on the device: a photo is decoded, downscaled through a
//! canvas and re-encoded as JPEG, smaller and smaller until it fits [`TARGET_BYTES`] (phone
//! photos are 3–8 MB; a readable A4 page needs far less), which also drops its location data;
//! a PDF goes as it is. Then `POST /api/attachments` (or, on the field worker's device, into its
//! sealed store until the sync sends it the same way).

use js_sys::Promise;
use telnuska_shared::i18n::Lang;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, File, HtmlCanvasElement, ImageBitmap};

use crate::api::{self, ApiError, UploadedAttachment};
use crate::dom;
use crate::form::uuid_v4;
use crate::notice::Notice;

/// The server's limit (`POST /api/attachments`, API.md/OpenAPI).
pub const MAX_UPLOAD_BYTES: f64 = 10.0 * 1024.0 * 1024.0;
/// Size a photo is brought under when possible.
const TARGET_BYTES: f64 = 1.5 * 1024.0 * 1024.0;
/// Longest side and JPEG quality, tried in order until the result fits [`TARGET_BYTES`].
const STEPS: [(f64, f64); 4] = [(2400.0, 0.85), (2000.0, 0.75), (1600.0, 0.7), (1200.0, 0.6)];

/// A file ready to send.
pub struct Prepared {
    /// The bytes.
    pub blob: Blob,
    /// The name it is sent under.
    pub name: String,
}

fn is_pdf(file: &File) -> bool {
    file.type_() == "application/pdf" || file.name().to_ascii_lowercase().ends_with(".pdf")
}

async fn to_jpeg(canvas: &HtmlCanvasElement, quality: f64) -> Option<Blob> {
    let promise = Promise::new(&mut |resolve, _reject| {
        let settle = resolve.clone();
        let callback = Closure::once_into_js(move |blob: JsValue| {
            let _ = settle.call1(&JsValue::NULL, &blob);
        });
        if canvas.to_blob_with_type_and_encoder_options(callback.unchecked_ref(), "image/jpeg", &JsValue::from_f64(quality)).is_err() {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
        }
    });
    JsFuture::from(promise).await.ok()?.dyn_into::<Blob>().ok()
}

async fn downscale(file: &File) -> Option<Blob> {
    let window = web_sys::window()?;
    let bitmap: ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(file).ok()?).await.ok()?.dyn_into().ok()?;
    let (width, height) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    let canvas: HtmlCanvasElement = window.document()?.create_element("canvas").ok()?.dyn_into().ok()?;
    let mut best: Option<Blob> = None;
    for (longest, quality) in STEPS {
        let scale = (longest / width.max(height)).min(1.0);
        let (w, h) = ((width * scale).round().max(1.0), (height * scale).round().max(1.0));
        canvas.set_width(w as u32);
        canvas.set_height(h as u32);
        let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        // A transparent PNG would turn black in a JPEG.
        context.set_fill_style_str("#fff");
        context.fill_rect(0.0, 0.0, w, h);
        context.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w, h).ok()?;
        let blob = to_jpeg(&canvas, quality).await?;
        let fits = blob.size() <= TARGET_BYTES;
        best = Some(blob);
        if fits {
            break;
        }
    }
    bitmap.close();
    best
}

/// The file as it will be sent, or why it cannot be.
pub async fn prepare(file: &File) -> Result<Prepared, Notice> {
    let stem = file.name().rsplit_once('.').map_or_else(|| file.name(), |(stem, _)| stem.to_string());
    let prepared = if is_pdf(file) {
        Prepared { blob: file.clone().into(), name: file.name() }
    } else if file.type_().starts_with("image/") {
        let blob = downscale(file).await.ok_or(Notice::Key("upload.unreadable"))?;
        Prepared { blob, name: format!("{stem}.jpg") }
    } else {
        return Err(Notice::Code("attachment.type".into()));
    };
    if prepared.blob.size() > MAX_UPLOAD_BYTES {
        return Err(Notice::Key("upload.too_large"));
    }
    Ok(prepared)
}

/// Where a prepared file is kept instead of being uploaded at once (the field worker's device,
/// sealed until the sync): answers the id the file is known by until then.
pub type Keep = fn(Prepared) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, Notice>>>>;

/// What a failed upload means to the person.
pub fn notice(e: ApiError) -> Notice {
    match e {
        ApiError::Network => Notice::Key("upload.network"),
        ApiError::Problem(p) if p.status == 413 => Notice::Key("upload.too_large"),
        ApiError::Problem(p) if !p.errors.is_empty() => Notice::Code(p.errors[0].code.clone()),
        ApiError::Problem(p) if p.status < 500 && !p.code.is_empty() => Notice::Code(p.code),
        _ => Notice::Key("upload.server"),
    }
}

/// Prepares `file` and uploads it at once under a new key, or hands it to `keep`; returns the id
/// to refer to, the size and the name it goes under.
pub async fn upload(file: &File, keep: Option<Keep>, lang: Lang) -> Result<(UploadedAttachment, String), Notice> {
    let prepared = prepare(file).await?;
    let name = prepared.name.clone();
    let uploaded = match keep {
        None => api::upload_attachment(&prepared.blob, &prepared.name, &uuid_v4(dom::random_bytes()), None, lang).await.map_err(notice)?,
        Some(keep) => {
            let size = prepared.blob.size() as u64;
            UploadedAttachment { id: keep(prepared).await?, size }
        }
    };
    Ok((uploaded, name))
}
