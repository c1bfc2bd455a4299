//! An empty Tauri 2 window (about:blank), the baseline of `tests/app/measure.sh`: same Tauri,
//! same WebKitGTK, none of the app. `cargo build -p spse-authenticator --example empty`.

fn main() {
    let mut ctx = tauri::generate_context!();
    ctx.config_mut().app.windows.clear();
    tauri::Builder::default()
        .setup(|app| {
            let url = tauri::WebviewUrl::External("about:blank".parse()?);
            tauri::WebviewWindowBuilder::new(app, "empty", url)
                .title("Empty Tauri window")
                .inner_size(520.0, 680.0)
                .build()?;
            Ok(())
        })
        .run(ctx)
        .expect("cannot start the empty window");
}
