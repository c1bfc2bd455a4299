// The UI's one mutable state object: every module reads and writes these fields here, and no
// module keeps mutable state of its own. Nothing secret is ever stored here (no secret reaches the
// UI; codes live only in `codes`/`rows` while shown and are dropped on lock).

/** The UI's state. */
export const state = {
  /** Language of the strings shown: `id` or `en` (see i18n.js). */
  language: "en",
  /** What `bootstrap` answered at the last start (data folder, language choice…), or null. */
  boot: null,
  /** Every account in list order, as `codes` last sent them (`{id, issuer, account, type, period}`). */
  accounts: [],
  /** The digest of `accounts` (`codes` sends the list again only when it changes), or null. */
  listDigest: null,
  /** Account id -> its latest CodeInfo, for the rows drawn (list.js asks only for those). */
  codes: new Map(),
  /** The accounts matching the search box, in list order (list.js). */
  shown: [],
  /** Account id -> its row's elements (see list.js `makeRow`), for the rows in the DOM only. */
  rows: new Map(),
  /** Whether Rust was told the first codes are on screen. */
  firstShown: false,
  /** An import (preview, confirmation, commit) is running: another one is refused. */
  busy: false,
  /** The list refreshes every second while true. */
  ticking: false,
  /** Generation of the refresh loop: a stopped loop's pending timer must not start a second one. */
  tickGen: 0,
  /** Idle-lock delay in minutes (0: off). */
  lockMinutes: 0,
  /** Timer of the idle lock. */
  idleTimer: null,
  /** The user closed the recovery-password banner (for this session). */
  bannerDismissed: false,
  /** Number of accounts when the banner was last decided (-1: ask again). */
  bannerChecked: -1,
  /** The clock check's last status from Rust (see api.js `clockStatus`), or null. */
  clock: null,
  /** Settings → Desktop from Rust (`desktop_status`: close to tray, shortcut), or null. */
  desktop: null,
  /** Settings → About, asked once: `{name, version, data_dir}`. */
  about: null,
};
