// Every user-visible string, one table per language. Errors are localised by their `kind`
// (the core's stable ErrorKind id), never by parsing the English message.
// Placeholders: {name}. Keep both tables in the same order.

export const STRINGS = {
  en: {
    app_title: "SPSE Authenticator",
    search_placeholder: "Search LPSE or user ID",
    search_label: "Search accounts (Ctrl+F)",
    add_menu: "Add account",
    open_image: "Open QR image…",
    // Native dialog title: no "…" (GTK shows no dialog for a non-ASCII title under a C locale).
    open_dialog_title: "Open QR image",
    paste: "Paste (Ctrl+V)",
    manual: "Enter key manually…",
    scan_screen: "Scan screen",
    scan_screen_title: "Scan screen (Ctrl+Shift+S)",
    scan_none_title: "No QR code on the screen",
    scan_none_body:
      "No QR code was found on the screen. Open the SPSE enrolment page (“Enable TOTP”) so the whole QR code is visible, then scan again. Or take a screenshot and open it as an image, or copy it and paste it (Ctrl+V).",
    scan_again: "Scan again",
    language: "Language",
    lang_system: "System",
    accounts_label: "Accounts",
    empty_title: "No accounts yet",
    empty_body:
      "In SPSE, open your profile and choose “Enable TOTP”. SPSE shows a QR code. Then take a screenshot and drop it on this window, copy it and press Ctrl+V, or open the image file.",
    empty_steps_1: "1. In SPSE: Enable TOTP (Aktifkan TOTP).",
    empty_steps_2: "2. Here: drop the screenshot of the QR code, paste it with Ctrl+V, or open the image.",
    empty_steps_3: "3. Type the 6-digit code shown here into SPSE to finish.",
    no_match: "No account matches “{q}”.",
    copy_code_for: "Copy code for {label}",
    copy_next_for: "Copy next code for {label}",
    copy_next: "Copy next",
    next_code: "Next: {code}",
    seconds_left: "{s} s",
    seconds_left_long: "{s} seconds left",
    hotp_next: "Next code",
    hotp_next_for: "Generate next code for {label}",
    delete: "Delete",
    delete_for: "Delete {label}",
    copied: "Code copied. The clipboard is cleared in 30 seconds.",
    copied_next: "Next code copied. The clipboard is cleared in 30 seconds.",
    added_one: "Added {label}.",
    added_many: "Added {n} accounts.",
    replaced_one: "The key of {label} was replaced.",
    unchanged: "{label} is already in the list.",
    deleted: "Deleted {label}.",
    undo: "Undo",
    restored: "{label} restored.",
    cancel: "Cancel",
    close: "Close",
    confirm_delete_title: "Delete this account?",
    confirm_delete_body:
      "{issuer} — {account} will be removed from this computer. Deleting here does NOT disable TOTP in SPSE: disable it in SPSE first, or you will need “Reset TOTP” to log in.",
    confirm_delete_ok: "Delete",
    replace_title: "This account already exists",
    replace_body:
      "Replace the old key? Only do this after “Reset TOTP” in SPSE: after a reset the old codes stop working and only the new key is valid.",
    replace_ok: "Replace old key",
    add_many_title: "Add these accounts?",
    add_many_body: "The image or export holds {n} accounts. They will be added together.",
    add_all: "Add all",
    status_added: "new",
    status_replaced: "replaced",
    status_unchanged: "already present",
    status_needs_replace: "replaces the existing key",
    warn_weak_secret: "weak key ({bits} bits)",
    warn_missing_batch_parts: "part {i} of {n} of an export: import the other parts too",
    manual_title: "Enter key manually",
    f_issuer: "Issuer (LPSE)",
    f_account: "Account (SPSE user ID)",
    f_secret: "Secret key (Base32)",
    f_advanced: "Advanced",
    f_type: "Type",
    f_algorithm: "Algorithm",
    f_digits: "Digits",
    f_period: "Period (seconds)",
    f_counter: "Counter",
    f_add: "Add",
    v_account_required: "Enter the SPSE user ID.",
    v_secret_required: "Enter the secret key shown under the QR code.",
    v_secret_chars: "The secret may contain only letters A–Z and digits 2–7.",
    v_digits: "Digits must be between 6 and 10.",
    v_period: "The period must be between 1 and 86400 seconds.",
    v_counter: "The counter must be a whole number, 0 or more.",
    drop_here: "Drop the QR screenshot to add the account",
    working: "Reading…",
    error_title: "The accounts cannot be opened",
    error_retry: "Try again",
    error_folder: "Data folder: {dir}",
    error_details: "Details: {msg}",
    vault_never_overwritten: "Your accounts were not changed, and no new empty vault was created over them.",
    not_otpauth_scheme:
      "This QR code is not an authenticator enrolment QR: it holds a “{scheme}…” link, not otpauth://. Use the QR code that SPSE shows under “Enable TOTP”.",
    err: {
      invalid_uri: "This text is not a valid otpauth:// enrolment link.",
      unsupported_otp_type: "This kind of one-time code is not supported (only TOTP and HOTP).",
      invalid_secret: "The secret key is not valid Base32 (letters A–Z and digits 2–7).",
      unsupported_algorithm: "Unsupported algorithm: only SHA1, SHA256 and SHA512 are supported.",
      invalid_parameter: "A parameter (digits, period or counter) is out of range.",
      not_otpauth: "This QR code is not an authenticator enrolment QR (it does not start with otpauth://). Use the QR code that SPSE shows under “Enable TOTP”.",
      invalid_migration: "This Google Authenticator export cannot be read. Export it again.",
      no_qr_found: "No QR code was found. Use a screenshot where the whole QR code is visible and sharp.",
      image_too_large: "The image is too large. Crop it to the QR code and try again.",
      image_unreadable: "The file cannot be read as an image. Use a PNG or JPEG screenshot.",
      keyring_unavailable:
        "The system keyring (Secret Service / Keychain / Credential Manager) cannot be reached. Log in to a desktop session with a keyring (e.g. GNOME Keyring or KWallet) and start the app again.",
      keyring_locked: "The system keyring is locked. Unlock it (log in again or open your keyring app) and try again.",
      vault_key_missing:
        "The key of your accounts is missing from the system keyring. Restore the keyring (or a backup), then try again.",
      vault_damaged: "The accounts file is damaged. Restore it from a backup; it was left untouched.",
      vault_unsupported: "The accounts file was written by a newer version of SPSE Authenticator. Update the app.",
      storage_full: "The disk is full. Free some space and try again; nothing was changed.",
      io: "A file could not be read or written.",
      not_found: "The account was not found (it may have been removed meanwhile).",
      ambiguous: "Several accounts match.",
      reenrolment_needs_confirmation: "This account already exists with another key.",
      invalid_input: "Enter at least the SPSE user ID.",
      capture_failed: "The screen could not be captured.",
      clipboard: "The clipboard cannot be used.",
      unknown: "Something went wrong.",
    },
  },
  id: {
    app_title: "SPSE Authenticator",
    search_placeholder: "Cari LPSE atau user ID",
    search_label: "Cari akun (Ctrl+F)",
    add_menu: "Tambah akun",
    open_image: "Buka gambar QR…",
    open_dialog_title: "Buka gambar QR",
    paste: "Tempel (Ctrl+V)",
    manual: "Masukkan kunci manual…",
    scan_screen: "Pindai layar",
    scan_screen_title: "Pindai layar (Ctrl+Shift+S)",
    scan_none_title: "Tidak ada kode QR di layar",
    scan_none_body:
      "Tidak ditemukan kode QR di layar. Buka halaman aktivasi SPSE (“Aktifkan TOTP”) sampai seluruh kode QR terlihat, lalu pindai lagi. Atau ambil tangkapan layar dan buka sebagai gambar, atau salin lalu tempel (Ctrl+V).",
    scan_again: "Pindai lagi",
    language: "Bahasa",
    lang_system: "Sistem",
    accounts_label: "Akun",
    empty_title: "Belum ada akun",
    empty_body:
      "Di SPSE, buka profil Anda dan pilih “Aktifkan TOTP”. SPSE menampilkan kode QR. Lalu ambil tangkapan layar dan letakkan di jendela ini, salin lalu tekan Ctrl+V, atau buka berkas gambarnya.",
    empty_steps_1: "1. Di SPSE: Aktifkan TOTP (Enable TOTP).",
    empty_steps_2: "2. Di sini: letakkan tangkapan layar kode QR, tempel dengan Ctrl+V, atau buka gambarnya.",
    empty_steps_3: "3. Ketik kode 6 digit yang tampil di sini ke SPSE untuk menyelesaikan.",
    no_match: "Tidak ada akun yang cocok dengan “{q}”.",
    copy_code_for: "Salin kode untuk {label}",
    copy_next_for: "Salin kode berikutnya untuk {label}",
    copy_next: "Salin berikutnya",
    next_code: "Berikutnya: {code}",
    seconds_left: "{s} dtk",
    seconds_left_long: "sisa {s} detik",
    hotp_next: "Kode berikutnya",
    hotp_next_for: "Buat kode berikutnya untuk {label}",
    delete: "Hapus",
    delete_for: "Hapus {label}",
    copied: "Kode disalin. Papan klip dikosongkan dalam 30 detik.",
    copied_next: "Kode berikutnya disalin. Papan klip dikosongkan dalam 30 detik.",
    added_one: "{label} ditambahkan.",
    added_many: "{n} akun ditambahkan.",
    replaced_one: "Kunci {label} telah diganti.",
    unchanged: "{label} sudah ada di daftar.",
    deleted: "{label} dihapus.",
    undo: "Urungkan",
    restored: "{label} dipulihkan.",
    cancel: "Batal",
    close: "Tutup",
    confirm_delete_title: "Hapus akun ini?",
    confirm_delete_body:
      "{issuer} — {account} akan dihapus dari komputer ini. Menghapus di sini TIDAK menonaktifkan TOTP di SPSE: nonaktifkan dulu di SPSE, atau Anda perlu “Reset TOTP” untuk masuk.",
    confirm_delete_ok: "Hapus",
    replace_title: "Akun ini sudah ada",
    replace_body:
      "Ganti kunci lama? Lakukan ini hanya setelah “Reset TOTP” di SPSE: setelah reset, kode lama tidak berlaku lagi dan hanya kunci baru yang sah.",
    replace_ok: "Ganti kunci lama",
    add_many_title: "Tambahkan akun-akun ini?",
    add_many_body: "Gambar atau ekspor ini berisi {n} akun. Semuanya akan ditambahkan sekaligus.",
    add_all: "Tambahkan semua",
    status_added: "baru",
    status_replaced: "diganti",
    status_unchanged: "sudah ada",
    status_needs_replace: "mengganti kunci yang ada",
    warn_weak_secret: "kunci lemah ({bits} bit)",
    warn_missing_batch_parts: "bagian {i} dari {n} sebuah ekspor: impor juga bagian lainnya",
    manual_title: "Masukkan kunci manual",
    f_issuer: "Penerbit (LPSE)",
    f_account: "Akun (user ID SPSE)",
    f_secret: "Kunci rahasia (Base32)",
    f_advanced: "Lanjutan",
    f_type: "Jenis",
    f_algorithm: "Algoritme",
    f_digits: "Jumlah digit",
    f_period: "Periode (detik)",
    f_counter: "Penghitung",
    f_add: "Tambah",
    v_account_required: "Masukkan user ID SPSE.",
    v_secret_required: "Masukkan kunci rahasia yang tampil di bawah kode QR.",
    v_secret_chars: "Kunci rahasia hanya boleh berisi huruf A–Z dan angka 2–7.",
    v_digits: "Jumlah digit harus antara 6 dan 10.",
    v_period: "Periode harus antara 1 dan 86400 detik.",
    v_counter: "Penghitung harus bilangan bulat, 0 atau lebih.",
    drop_here: "Letakkan tangkapan layar QR untuk menambah akun",
    working: "Membaca…",
    error_title: "Akun tidak dapat dibuka",
    error_retry: "Coba lagi",
    error_folder: "Folder data: {dir}",
    error_details: "Rincian: {msg}",
    vault_never_overwritten: "Akun Anda tidak diubah, dan tidak ada brankas kosong baru yang dibuat di atasnya.",
    not_otpauth_scheme:
      "Kode QR ini bukan QR pendaftaran autentikator: isinya tautan “{scheme}…”, bukan otpauth://. Gunakan kode QR yang ditampilkan SPSE pada “Aktifkan TOTP”.",
    err: {
      invalid_uri: "Teks ini bukan tautan pendaftaran otpauth:// yang sah.",
      unsupported_otp_type: "Jenis kode sekali pakai ini tidak didukung (hanya TOTP dan HOTP).",
      invalid_secret: "Kunci rahasia bukan Base32 yang sah (huruf A–Z dan angka 2–7).",
      unsupported_algorithm: "Algoritme tidak didukung: hanya SHA1, SHA256 dan SHA512.",
      invalid_parameter: "Sebuah parameter (digit, periode atau penghitung) di luar batas.",
      not_otpauth: "Kode QR ini bukan QR pendaftaran autentikator (tidak diawali otpauth://). Gunakan kode QR yang ditampilkan SPSE pada “Aktifkan TOTP”.",
      invalid_migration: "Ekspor Google Authenticator ini tidak dapat dibaca. Ekspor ulang.",
      no_qr_found: "Tidak ditemukan kode QR. Gunakan tangkapan layar yang menampilkan seluruh kode QR dengan jelas.",
      image_too_large: "Gambar terlalu besar. Potong gambar sampai kode QR saja, lalu coba lagi.",
      image_unreadable: "Berkas tidak dapat dibaca sebagai gambar. Gunakan tangkapan layar PNG atau JPEG.",
      keyring_unavailable:
        "Keyring sistem (Secret Service / Keychain / Credential Manager) tidak dapat dihubungi. Masuk ke sesi desktop yang memiliki keyring (mis. GNOME Keyring atau KWallet) lalu jalankan aplikasi lagi.",
      keyring_locked: "Keyring sistem terkunci. Buka kuncinya (masuk ulang atau buka aplikasi keyring) lalu coba lagi.",
      vault_key_missing:
        "Kunci akun Anda tidak ada di keyring sistem. Pulihkan keyring (atau cadangannya), lalu coba lagi.",
      vault_damaged: "Berkas akun rusak. Pulihkan dari cadangan; berkas itu tidak diubah.",
      vault_unsupported: "Berkas akun dibuat oleh versi SPSE Authenticator yang lebih baru. Perbarui aplikasi.",
      storage_full: "Disk penuh. Kosongkan sebagian ruang lalu coba lagi; tidak ada yang diubah.",
      io: "Sebuah berkas tidak dapat dibaca atau ditulis.",
      not_found: "Akun tidak ditemukan (mungkin sudah dihapus).",
      ambiguous: "Beberapa akun cocok.",
      reenrolment_needs_confirmation: "Akun ini sudah ada dengan kunci lain.",
      invalid_input: "Masukkan setidaknya user ID SPSE.",
      capture_failed: "Layar tidak dapat ditangkap.",
      clipboard: "Papan klip tidak dapat digunakan.",
      unknown: "Terjadi kesalahan.",
    },
  },
};

let current = "en";

/** Selects the language (`id` or `en`). */
export function setLanguage(lang) {
  current = STRINGS[lang] ? lang : "en";
  document.documentElement.lang = current;
}

/** The current language. */
export function language() {
  return current;
}

/** The string `key` with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const s = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

/** The localised sentence for an IPC error `{kind, message, scheme?}`. */
export function errorText(err) {
  const kind = err && typeof err === "object" ? err.kind : "unknown";
  if (kind === "not_otpauth" && err.scheme) return t("not_otpauth_scheme", { scheme: err.scheme });
  return STRINGS[current].err[kind] ?? STRINGS[current].err.unknown;
}

/** Fills every `[data-i18n]` (text), `[data-i18n-placeholder]`, `[data-i18n-label]` (aria-label) and `[data-i18n-title]`. */
export function translatePage(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  document.title = t("app_title");
}
