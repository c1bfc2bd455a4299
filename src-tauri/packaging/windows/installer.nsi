; SPSE Authenticator: the per-user Windows installer (NSIS 3, Modern UI 2, Unicode).
;
; Built on Linux by make.sh with Debian's makensis and only the plugins NSIS itself ships
; (LangDLL, nsExec); nothing is downloaded, neither when building nor when installing:
;   makensis -DVERSION=0.1.0 -DVERSION_QUAD=0.1.0.0 -DPUBLISHER=… -DCOPYRIGHT=… -DBIN_DIR=… -DICON=… \
;            -DWELCOME_BMP=… \
;            -DOUT_FILE=…/SPSE-Authenticator_0.1.0_x64-setup.exe installer.nsi
;
; What it does (README "Windows"):
; - installs for the current user only, without administrator rights, into
;   %LOCALAPPDATA%\Programs\SPSE Authenticator: spse-authenticator.exe, spse-auth.exe,
;   WebView2Loader.dll and uninstall.exe;
; - a Start menu shortcut; the folder added once to the user's PATH (HKCU\Environment, REG_EXPAND_SZ)
;   so `spse-auth` works in a new terminal; the uninstall entry in HKCU (Apps & features);
; - English or Bahasa Indonesia, preselected from Windows' language and selectable;
; - checks for the Microsoft Edge WebView2 Runtime and, when it is missing, offers to open
;   Microsoft's download link (never in silent mode: /S never blocks);
; - closes a running SPSE Authenticator / spse-auth first (after asking; /S closes it).
; The uninstaller removes exactly those files, the shortcut, the PATH entry and the uninstall
; entry. It NEVER deletes the accounts: the vault and its backups in %APPDATA%\spse-authenticator\
; and the vault key in Windows Credential Manager stay, and its pages say so.

; A 64-bit installer (NSIS's amd64-unicode stub, shipped by Debian): the app is x64-only anyway (32-bit
; Windows refuses to start either), the installer sees the real registry and System32 (no WOW64
; redirection), and it runs under Debian's 64-bit-only Wine in the tests (the usual 32-bit stub
; would need wine32:i386).
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include WinMessages.nsh

!ifndef VERSION | VERSION_QUAD | PUBLISHER | BIN_DIR | ICON | OUT_FILE
  !error "build with make.sh (it defines VERSION, VERSION_QUAD, PUBLISHER, BIN_DIR, ICON, OUT_FILE, COPYRIGHT)"
!endif
!ifndef COPYRIGHT
  !define COPYRIGHT "${PUBLISHER}"
!endif

!define PRODUCT "SPSE Authenticator"
!define APP_EXE "spse-authenticator.exe"
!define CLI_EXE "spse-auth.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${PRODUCT}"
!define WEBVIEW2_CLIENT "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_URL "https://go.microsoft.com/fwlink/p/?LinkId=2124703"

Name "${PRODUCT}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "${PRODUCT} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

Var PathOld
Var PathNew
Var PathHits
Var PathExists
Var Tries
Var WebView2

; ---- Modern UI pages ---------------------------------------------------------------------------
!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!ifdef WELCOME_BMP ; 164x314, made by make.sh from icons/128x128.png
  !define MUI_WELCOMEFINISHPAGE_BITMAP "${WELCOME_BMP}"
  !define MUI_UNWELCOMEFINISHPAGE_BITMAP "${WELCOME_BMP}"
!endif
!define MUI_ABORTWARNING
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "${UNINST_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
!define MUI_LANGDLL_ALWAYSSHOW
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_LANGDLL_WINDOWTITLE "${PRODUCT}"
!define MUI_LANGDLL_INFO "Pilih bahasa / Please select a language."

!define MUI_WELCOMEPAGE_TEXT "$(WelcomeText)"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!insertmacro MUI_PAGE_FINISH

!define MUI_WELCOMEPAGE_TEXT "$(UnWelcomeText)"
!insertmacro MUI_UNPAGE_WELCOME
!define MUI_UNCONFIRMPAGE_TEXT_TOP "$(UnConfirmText)"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!define MUI_FINISHPAGE_TEXT "$(UnFinishText)"
!insertmacro MUI_UNPAGE_FINISH

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Indonesian"
!insertmacro MUI_RESERVEFILE_LANGDLL

; ---- Texts (English, Bahasa Indonesia) ---------------------------------------------------------
LangString WelcomeText ${LANG_ENGLISH} "This installs ${PRODUCT} ${VERSION} for your Windows user only: no administrator rights are needed.$\r$\n$\r$\nIt installs the app, the spse-auth command line (added to your PATH) and a Start menu shortcut.$\r$\n$\r$\nYour accounts are kept in %APPDATA%\spse-authenticator\ and are never touched by this installer or by the uninstaller.$\r$\n$\r$\n$_CLICK"
LangString WelcomeText ${LANG_INDONESIAN} "Program ini memasang ${PRODUCT} ${VERSION} hanya untuk pengguna Windows Anda: tidak perlu hak administrator.$\r$\n$\r$\nYang dipasang: aplikasi, baris perintah spse-auth (ditambahkan ke PATH Anda) dan pintasan di menu Start.$\r$\n$\r$\nAkun Anda disimpan di %APPDATA%\spse-authenticator\ dan tidak pernah disentuh oleh pemasang ini maupun oleh penghapusnya.$\r$\n$\r$\n$_CLICK"

LangString UnWelcomeText ${LANG_ENGLISH} "This removes ${PRODUCT} (the app, the spse-auth command line, the Start menu shortcut and the PATH entry).$\r$\n$\r$\nYour accounts are NOT deleted: the vault and its backups stay in %APPDATA%\spse-authenticator\ and the vault key stays in Windows Credential Manager, so installing ${PRODUCT} again brings every account back.$\r$\n$\r$\nTo delete them for good, delete that folder yourself (and the entry ending in $\".spse-authenticator$\" in Credential Manager), but only after disabling TOTP in each SPSE: otherwise you will need an SPSE $\"Reset TOTP$\".$\r$\n$\r$\n$_CLICK"
LangString UnWelcomeText ${LANG_INDONESIAN} "Program ini menghapus ${PRODUCT} (aplikasi, baris perintah spse-auth, pintasan menu Start dan entri PATH).$\r$\n$\r$\nAkun Anda TIDAK dihapus: brankas (vault) dan cadangannya tetap ada di %APPDATA%\spse-authenticator\ dan kuncinya tetap tersimpan di Windows Credential Manager, sehingga semua akun kembali bila ${PRODUCT} dipasang lagi.$\r$\n$\r$\nUntuk menghapusnya secara permanen, hapus sendiri folder itu (dan entri yang berakhiran $\".spse-authenticator$\" di Credential Manager), tetapi hanya setelah TOTP dinonaktifkan di setiap SPSE: jika tidak, Anda memerlukan $\"Reset TOTP$\" SPSE.$\r$\n$\r$\n$_CLICK"

LangString UnConfirmText ${LANG_ENGLISH} "${PRODUCT} will be removed from the folder below. Your accounts (%APPDATA%\spse-authenticator\) and the vault key in Credential Manager are kept."
LangString UnConfirmText ${LANG_INDONESIAN} "${PRODUCT} akan dihapus dari folder di bawah ini. Akun Anda (%APPDATA%\spse-authenticator\) dan kunci brankas di Credential Manager tetap disimpan."

LangString UnFinishText ${LANG_ENGLISH} "${PRODUCT} has been removed.$\r$\n$\r$\nYour accounts are still in %APPDATA%\spse-authenticator\ (the vault key is still in Credential Manager): installing ${PRODUCT} again shows them again."
LangString UnFinishText ${LANG_INDONESIAN} "${PRODUCT} sudah dihapus.$\r$\n$\r$\nAkun Anda masih ada di %APPDATA%\spse-authenticator\ (kunci brankas masih di Credential Manager): bila ${PRODUCT} dipasang lagi, semuanya tampil kembali."

LangString WebView2Missing ${LANG_ENGLISH} "${PRODUCT} needs the Microsoft Edge WebView2 Runtime to show its window, and it is not installed on this computer (the spse-auth command line works without it).$\r$\n$\r$\nOpen Microsoft's download link now? Run the installer your browser downloads (MicrosoftEdgeWebview2Setup.exe), then start ${PRODUCT}."
LangString WebView2Missing ${LANG_INDONESIAN} "${PRODUCT} memerlukan Microsoft Edge WebView2 Runtime untuk menampilkan jendelanya, dan runtime itu belum terpasang di komputer ini (baris perintah spse-auth tetap dapat dipakai tanpanya).$\r$\n$\r$\nBuka tautan unduhan Microsoft sekarang? Jalankan pemasang yang diunduh browser Anda (MicrosoftEdgeWebview2Setup.exe), lalu jalankan ${PRODUCT}."

LangString WebView2Found ${LANG_ENGLISH} "Microsoft Edge WebView2 Runtime found:"
LangString WebView2Found ${LANG_INDONESIAN} "Microsoft Edge WebView2 Runtime ditemukan:"
LangString WebView2NotFound ${LANG_ENGLISH} "Microsoft Edge WebView2 Runtime not found: ${WEBVIEW2_URL}"
LangString WebView2NotFound ${LANG_INDONESIAN} "Microsoft Edge WebView2 Runtime tidak ditemukan: ${WEBVIEW2_URL}"

LangString AppRunning ${LANG_ENGLISH} "${PRODUCT} (or spse-auth) is running.$\r$\n$\r$\nClose it now and continue?"
LangString AppRunning ${LANG_INDONESIAN} "${PRODUCT} (atau spse-auth) sedang berjalan.$\r$\n$\r$\nTutup sekarang lalu lanjutkan?"
LangString AppStillRunning ${LANG_ENGLISH} "${PRODUCT} could not be closed. Close it yourself, then run this again."
LangString AppStillRunning ${LANG_INDONESIAN} "${PRODUCT} tidak dapat ditutup. Tutup sendiri aplikasinya, lalu jalankan program ini lagi."

LangString PathAdded ${LANG_ENGLISH} "Added to your PATH (new terminals): $INSTDIR"
LangString PathAdded ${LANG_INDONESIAN} "Ditambahkan ke PATH Anda (terminal baru): $INSTDIR"
LangString PathPresent ${LANG_ENGLISH} "Already in your PATH: $INSTDIR"
LangString PathPresent ${LANG_INDONESIAN} "Sudah ada di PATH Anda: $INSTDIR"
LangString PathTooLong ${LANG_ENGLISH} "Your PATH is too long to be changed safely here; it was left as it is (run spse-auth with its full path)."
LangString PathTooLong ${LANG_INDONESIAN} "PATH Anda terlalu panjang untuk diubah dengan aman di sini; PATH dibiarkan apa adanya (jalankan spse-auth dengan path lengkapnya)."
LangString DataKept ${LANG_ENGLISH} "Kept (your accounts): %APPDATA%\spse-authenticator\ and the vault key in Credential Manager."
LangString DataKept ${LANG_INDONESIAN} "Tetap disimpan (akun Anda): %APPDATA%\spse-authenticator\ dan kunci brankas di Credential Manager."

LangString SetupDescription ${LANG_ENGLISH} "${PRODUCT} Setup"
LangString SetupDescription ${LANG_INDONESIAN} "Pemasang ${PRODUCT}"

; ---- Version information of the installer .exe ------------------------------------------------
VIProductVersion "${VERSION_QUAD}"
VIFileVersion "${VERSION_QUAD}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${PRODUCT} Setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${COPYRIGHT}"
VIAddVersionKey /LANG=${LANG_INDONESIAN} "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=${LANG_INDONESIAN} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_INDONESIAN} "FileDescription" "Pemasang ${PRODUCT}"
VIAddVersionKey /LANG=${LANG_INDONESIAN} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_INDONESIAN} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_INDONESIAN} "LegalCopyright" "${COPYRIGHT}"

; ---- Helpers for both the installer and the uninstaller ----------------------------------------
!macro DEFINE_HELPERS UN

; The user PATH is HKCU\Environment "Path". NSIS strings hold at most 1024 characters
; (NSIS_MAX_STRLEN): a longer value cannot be read (ReadRegStr then fails), and writing a cut-off
; copy back would destroy it. So PATH is only changed when it was read whole and the result fits.

; In: $PathOld. Out: $PathNew = $PathOld without its entries that name $INSTDIR (compared
; case-insensitively after expanding %VARIABLES% and dropping one trailing backslash; every other
; entry, empty ones included, is kept as it was); $PathHits = how many were dropped.
Function ${UN}PathWithoutInstDir
  Push $0 ; rest of the string
  Push $1 ; index
  Push $2 ; character
  Push $3 ; entry
  Push $4 ; entry expanded
  Push $5 ; 1 after the first kept entry
  Push $6 ; 1 at the end
  StrCpy $PathNew ""
  StrCpy $PathHits 0
  StrCpy $0 $PathOld
  StrCpy $5 0
  StrCpy $6 0
  ${Do}
    StrCpy $1 0
    ${Do}
      StrCpy $2 $0 1 $1
      ${If} $2 == ";"
        ${ExitDo}
      ${ElseIf} $2 == ""
        StrCpy $6 1
        ${ExitDo}
      ${EndIf}
      IntOp $1 $1 + 1
    ${Loop}
    StrCpy $3 $0 $1
    IntOp $1 $1 + 1
    StrCpy $0 $0 "" $1
    ExpandEnvStrings $4 $3
    StrCpy $2 $4 1 -1
    ${If} $2 == "\"
      StrCpy $4 $4 -1
    ${EndIf}
    ${If} $4 == $INSTDIR
    ${AndIf} $4 != ""
      IntOp $PathHits $PathHits + 1
    ${ElseIf} $5 == 0
      StrCpy $PathNew $3
      StrCpy $5 1
    ${Else}
      StrCpy $PathNew "$PathNew;$3"
    ${EndIf}
  ${LoopUntil} $6 == 1
  Pop $6
  Pop $5
  Pop $4
  Pop $3
  Pop $2
  Pop $1
  Pop $0
FunctionEnd

; Sets the error flag when a program file in $INSTDIR is in use: deleting a running .exe fails.
; (The files are deleted here either way: the installer puts new ones, the uninstaller removes them.)
Function ${UN}DeleteProgramFiles
  ClearErrors
  ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
    Delete "$INSTDIR\${APP_EXE}"
  ${EndIf}
  ${If} ${FileExists} "$INSTDIR\${CLI_EXE}"
    Delete "$INSTDIR\${CLI_EXE}"
  ${EndIf}
FunctionEnd

; A running app or CLI would keep its files: ask (silent: yes), close the app politely (WM_CLOSE
; through taskkill), then by force; give up with a message after a few tries.
Function ${UN}CloseRunningApp
  StrCpy $Tries 0
  ${Do}
    Call ${UN}DeleteProgramFiles
    ${IfNot} ${Errors}
      ${ExitDo}
    ${EndIf}
    ${If} $Tries == 0
      MessageBox MB_YESNO|MB_ICONEXCLAMATION "$(AppRunning)" /SD IDYES IDYES close_it
      Abort
      close_it:
      nsExec::Exec '"$SYSDIR\taskkill.exe" /IM ${APP_EXE}'
      Pop $0
      nsExec::Exec '"$SYSDIR\taskkill.exe" /F /IM ${CLI_EXE}'
      Pop $0
      Sleep 2000
    ${ElseIf} $Tries < 4
      nsExec::Exec '"$SYSDIR\taskkill.exe" /F /IM ${APP_EXE}'
      Pop $0
      nsExec::Exec '"$SYSDIR\taskkill.exe" /F /IM ${CLI_EXE}'
      Pop $0
      Sleep 1000
    ${Else}
      MessageBox MB_OK|MB_ICONSTOP "$(AppStillRunning)" /SD IDOK
      Abort
    ${EndIf}
    IntOp $Tries $Tries + 1
  ${Loop}
FunctionEnd

!macroend
!insertmacro DEFINE_HELPERS ""
!insertmacro DEFINE_HELPERS "un."

; $PathExists = 1 when HKCU\Environment has a value named Path (of any type and length).
Function PathValueExists
  Push $0
  Push $1
  StrCpy $PathExists 0
  StrCpy $1 0
  ${Do}
    ClearErrors
    EnumRegValue $0 HKCU "Environment" $1
    ${If} ${Errors}
    ${OrIf} $0 == ""
      ${ExitDo}
    ${EndIf}
    ${If} $0 == "Path"
      StrCpy $PathExists 1
      ${ExitDo}
    ${EndIf}
    IntOp $1 $1 + 1
  ${Loop}
  Pop $1
  Pop $0
FunctionEnd

; Adds $INSTDIR to the user PATH once (REG_EXPAND_SZ), then tells running programs (Explorer) so
; that new terminals see it.
Function AddToPath
  ClearErrors
  ReadRegStr $PathOld HKCU "Environment" "Path"
  ${If} ${Errors}
    Call PathValueExists
    ${If} $PathExists == 1
      DetailPrint "$(PathTooLong)"
      Return
    ${EndIf}
    StrCpy $PathOld ""
  ${EndIf}
  Call PathWithoutInstDir
  ${If} $PathHits > 0
    DetailPrint "$(PathPresent)"
    Return
  ${EndIf}
  StrLen $0 $PathOld
  StrLen $1 $INSTDIR
  IntOp $0 $0 + $1
  ${If} $0 > 1000
    DetailPrint "$(PathTooLong)"
    Return
  ${EndIf}
  StrCpy $2 $PathOld 1 -1
  ${If} $PathOld == ""
    StrCpy $PathNew "$INSTDIR"
  ${ElseIf} $2 == ";"
    StrCpy $PathNew "$PathOld$INSTDIR"
  ${Else}
    StrCpy $PathNew "$PathOld;$INSTDIR"
  ${EndIf}
  WriteRegExpandStr HKCU "Environment" "Path" $PathNew
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  DetailPrint "$(PathAdded)"
FunctionEnd

Function un.RemoveFromPath
  ClearErrors
  ReadRegStr $PathOld HKCU "Environment" "Path"
  ${If} ${Errors}
    Return
  ${EndIf}
  Call un.PathWithoutInstDir
  ${If} $PathHits == 0
    Return
  ${EndIf}
  ${If} $PathNew == ""
    DeleteRegValue HKCU "Environment" "Path"
  ${Else}
    WriteRegExpandStr HKCU "Environment" "Path" $PathNew
  ${EndIf}
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
FunctionEnd

; $WebView2 = the installed Evergreen WebView2 Runtime's version ("" when none): the registry
; values Microsoft documents for detecting it, per machine (64- and 32-bit views) and per user.
!macro READ_WEBVIEW2 ROOT KEY
  ${If} $WebView2 == ""
    ReadRegStr $0 ${ROOT} "${KEY}" "pv"
    ${If} $0 != ""
    ${AndIf} $0 != "0.0.0.0"
      StrCpy $WebView2 $0
    ${EndIf}
  ${EndIf}
!macroend
Function FindWebView2
  StrCpy $WebView2 ""
  SetRegView 64
  !insertmacro READ_WEBVIEW2 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2_CLIENT}"
  !insertmacro READ_WEBVIEW2 HKLM "SOFTWARE\${WEBVIEW2_CLIENT}"
  !insertmacro READ_WEBVIEW2 HKCU "Software\${WEBVIEW2_CLIENT}"
  !insertmacro READ_WEBVIEW2 HKCU "Software\WOW6432Node\${WEBVIEW2_CLIENT}"
  SetRegView 32
  !insertmacro READ_WEBVIEW2 HKLM "SOFTWARE\${WEBVIEW2_CLIENT}"
  !insertmacro READ_WEBVIEW2 HKCU "Software\${WEBVIEW2_CLIENT}"
  SetRegView default
FunctionEnd

; ---- Install -------------------------------------------------------------------------------------
Function .onInit
  SetShellVarContext current
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Section "-Install"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  Call CloseRunningApp
  File "${BIN_DIR}/${APP_EXE}"
  File "${BIN_DIR}/${CLI_EXE}"
  File "${BIN_DIR}/WebView2Loader.dll"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallerLanguage" "$LANGUAGE"
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1

  Call AddToPath

  Call FindWebView2
  ${If} $WebView2 != ""
    DetailPrint "$(WebView2Found) $WebView2"
  ${Else}
    DetailPrint "$(WebView2NotFound)"
    MessageBox MB_YESNO|MB_ICONINFORMATION "$(WebView2Missing)" /SD IDNO IDNO webview2_done
    ExecShell "open" "${WEBVIEW2_URL}"
    webview2_done:
  ${EndIf}
  DetailPrint "$(DataKept)"
SectionEnd

; ---- Uninstall -----------------------------------------------------------------------------------
Function un.onInit
  SetShellVarContext current
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Section "Uninstall"
  SetShellVarContext current
  Call un.CloseRunningApp
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  Call un.RemoveFromPath
  DeleteRegKey HKCU "${UNINST_KEY}"
  ; Never %APPDATA%\spse-authenticator\ (vault, backups, settings) nor the Credential Manager entry.
  DetailPrint "$(DataKept)"
SectionEnd
