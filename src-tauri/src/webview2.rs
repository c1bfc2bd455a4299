//! Windows: the Microsoft Edge WebView2 Runtime must be there before any window is created.
//!
//! The app's window is a WebView2. Windows 11 ships the Evergreen WebView2 Runtime, but some
//! Windows 10 machines (old or locked-down installations) lack it, and then Tauri can only show
//! an English error box and never opens the window. So [`require_runtime`], called first thing
//! in `main`, asks the WebView2 loader for the installed runtime's version
//! (`tauri::webview_version()`, i.e. `GetAvailableCoreWebView2BrowserVersionString`). When there
//! is none, it shows a native message box whose title starts with "SPSE Authenticator", in the
//! user's language — Indonesian when the system language is Indonesian (the UI's own rule,
//! [`crate::settings::system_language`]: `LC_ALL`/`LC_MESSAGES`/`LANG` if set, else Windows' UI
//! language), otherwise English. It says that the Microsoft Edge WebView2 Runtime is needed and
//! offers to open Microsoft's Evergreen download link
//! (<https://go.microsoft.com/fwlink/p/?LinkId=2124703>) in the default browser; the download
//! happens there, the app downloads nothing. Whatever the answer, the process then exits with
//! status 0, before the vault, the keyring or the single-instance lock are touched.
//!
//! On other systems this module compiles to an empty function.

/// Returns when the WebView2 Runtime is installed; otherwise explains, offers the download and
/// exits the process (status 0). No-op outside Windows.
#[cfg(not(windows))]
pub fn require_runtime() {}

/// Returns when the WebView2 Runtime is installed; otherwise explains, offers the download and
/// exits the process (status 0). No-op outside Windows.
#[cfg(windows)]
pub fn require_runtime() {
    if tauri::webview_version().is_ok() {
        return;
    }
    let texts = Texts::for_language(&crate::settings::system_language());
    let answer = rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Warning)
        .set_title(texts.title)
        .set_description(texts.body)
        .set_buttons(rfd::MessageButtons::OkCancelCustom(
            texts.download.to_string(),
            texts.close.to_string(),
        ))
        .show();
    if answer == rfd::MessageDialogResult::Custom(texts.download.to_string()) {
        open_download_page();
    }
    std::process::exit(0);
}

/// Microsoft's link to the Evergreen WebView2 Runtime bootstrapper.
#[cfg(windows)]
const DOWNLOAD_URL: &str = "https://go.microsoft.com/fwlink/p/?LinkId=2124703";

#[cfg(windows)]
struct Texts {
    title: &'static str,
    body: &'static str,
    download: &'static str,
    close: &'static str,
}

#[cfg(windows)]
impl Texts {
    fn for_language(language: &str) -> Texts {
        if language == "id" {
            Texts {
                title: "SPSE Authenticator – WebView2 Runtime diperlukan",
                body: "SPSE Authenticator memerlukan Microsoft Edge WebView2 Runtime untuk \
                       menampilkan jendelanya, dan runtime itu belum terpasang di komputer ini.\n\n\
                       Pilih \"Unduh\" untuk membuka tautan unduhan Microsoft di browser, jalankan \
                       pemasang yang diunduh (MicrosoftEdgeWebview2Setup.exe), lalu buka lagi \
                       SPSE Authenticator.\n\n\
                       Akun Anda aman dan tidak diubah. Baris perintah spse-auth tetap dapat \
                       dipakai tanpa runtime ini.",
                download: "Unduh",
                close: "Tutup",
            }
        } else {
            Texts {
                title: "SPSE Authenticator – WebView2 Runtime needed",
                body: "SPSE Authenticator needs the Microsoft Edge WebView2 Runtime to show its \
                       window, and it is not installed on this computer.\n\n\
                       Choose \"Download\" to open Microsoft's download link in your browser, run \
                       the installer it downloads (MicrosoftEdgeWebview2Setup.exe), then start \
                       SPSE Authenticator again.\n\n\
                       Your accounts are safe and unchanged. The spse-auth command line works \
                       without this runtime.",
                download: "Download",
                close: "Close",
            }
        }
    }
}

/// Opens [`DOWNLOAD_URL`] in the default browser through Explorer (a safe call, no shell).
#[cfg(windows)]
fn open_download_page() {
    let windir = std::env::var_os("SystemRoot").unwrap_or_else(|| "C:\\Windows".into());
    let explorer = std::path::Path::new(&windir).join("explorer.exe");
    let _ = std::process::Command::new(explorer)
        .arg(DOWNLOAD_URL)
        .spawn();
}
