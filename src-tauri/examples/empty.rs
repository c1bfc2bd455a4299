//! An empty Tauri 2 window, the baseline of `tests/app/measure.sh`: same Tauri, same WebKitGTK,
//! same window size, none of the app. It loads a one-line HTML page over a custom protocol (the way
//! Tauri serves an app's own pages), so WebKit starts its web and network processes like it does
//! for any real app; `about:blank` would start no web process and flatter the baseline.
//! `cargo build -p spse-authenticator --example empty`.
//!
//! `--measure` prints `SPSE_AUTH_MEASURE setup_unix_ms=…` when its setup runs (Tauri initialised,
//! like the app's `setup` line; its window is made in it), `page_load_started_unix_ms=…` when the
//! web view begins loading its page (the app prints the same line) and `first_code_visible_unix_ms=…`
//! once the page has loaded, the line the app prints for its first codes.

const PAGE: &str =
    "<!doctype html><meta charset=utf-8><title>Empty</title><p>Empty Tauri window</p>";

/// Now, in ms since the Unix epoch (the clock measure.sh compares with).
fn unix_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

fn main() {
    let measure = std::env::args().any(|a| a == "--measure");
    let mut ctx = tauri::generate_context!();
    ctx.config_mut().app.windows.clear();
    tauri::Builder::default()
        .register_uri_scheme_protocol("empty", |_ctx, _request| {
            tauri::http::Response::builder()
                .header("Content-Type", "text/html; charset=utf-8")
                .body(PAGE.as_bytes().to_vec())
                .unwrap_or_default()
        })
        .setup(move |app| {
            if measure {
                println!("SPSE_AUTH_MEASURE setup_unix_ms={}", unix_ms());
            }
            let url = tauri::WebviewUrl::CustomProtocol("empty://localhost/".parse()?);
            tauri::WebviewWindowBuilder::new(app, "empty", url)
                .title("Empty Tauri window")
                .inner_size(520.0, 680.0)
                .on_page_load(move |_w, payload| {
                    let event = match payload.event() {
                        tauri::webview::PageLoadEvent::Started => "page_load_started",
                        tauri::webview::PageLoadEvent::Finished => "first_code_visible",
                    };
                    if measure {
                        println!("SPSE_AUTH_MEASURE {event}_unix_ms={}", unix_ms());
                    }
                })
                .build()?;
            Ok(())
        })
        .run(ctx)
        .expect("cannot start the empty window");
}
