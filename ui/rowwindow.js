// Which rows of a long list are worth having in the DOM: the ones in view plus a few on each side.
// A vendor may hold hundreds of accounts; every row in the DOM costs the web process ≈ 50 KB
// (elements, styles, text), so the list keeps only this window of rows and stands in for the others
// with padding above and below (list.js). Pure functions, no DOM: `node --test tests/ui/`.
//
// Invariants: 0 ≤ start ≤ end ≤ count; end − start ≤ the rows that fit in the view + 2 × overscan
// (+ 1 for a partly visible row); an empty or unmeasured list gives sane numbers, never NaN.

/** Rows kept on each side of the view (Tab, arrows and small scrolls find them ready). */
export const OVERSCAN = 4;

/** Row pitch (px, row + gap) assumed before a row has been measured: 4.6rem + 0.5rem at 16 px. */
export const PITCH_GUESS = 82;

/**
 * The rows to draw: `{ start, end }` (end exclusive) for `count` rows of `pitch` px each (row plus
 * gap) when the view shows the list from `viewTop` px (below the list's top; negative when the list
 * starts lower in the view) for `viewHeight` px, with `overscan` rows more on each side.
 */
export function rowWindow({ count, pitch, viewTop, viewHeight, overscan = OVERSCAN }) {
  const p = Number.isFinite(pitch) && pitch >= 1 ? pitch : PITCH_GUESS;
  const top = Number.isFinite(viewTop) ? Math.max(0, viewTop) : 0;
  const height = Number.isFinite(viewHeight) ? Math.max(0, viewHeight) : 0;
  const n = Math.max(0, Math.floor(count) || 0);
  const first = Math.min(n, Math.floor(top / p));
  const last = Math.min(n, Math.ceil((top + height) / p));
  return { start: Math.max(0, first - overscan), end: Math.min(n, last + overscan) };
}

/**
 * Where to scroll (a `scrollY`) so that row `index` is fully in view below a sticky header of
 * `headerHeight` px, moving as little as possible: `null` when it already is. `listTop` is the list's
 * top in the page (px), `scrollY` and `viewHeight` the view's position and height.
 */
export function scrollFor({ index, pitch, listTop, scrollY, viewHeight, headerHeight = 0 }) {
  const p = Number.isFinite(pitch) && pitch >= 1 ? pitch : PITCH_GUESS;
  const rowTop = listTop + index * p;
  const rowBottom = rowTop + p;
  if (rowTop < scrollY + headerHeight) return Math.max(0, rowTop - headerHeight);
  if (rowBottom > scrollY + viewHeight) return Math.max(0, rowBottom - viewHeight);
  return null;
}
