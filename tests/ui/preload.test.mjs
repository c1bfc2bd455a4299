// index.html preloads every module the page imports (`<link rel="modulepreload">`), so WebKit
// fetches them all at once at start-up instead of one import level after the other. This checks
// that the list stays the module graph of ui/main.js: none missing (it would be fetched late),
// none extra (it would be fetched for nothing). `node --test tests/ui/`.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const UI = join(dirname(fileURLToPath(import.meta.url)), "../../ui");

/** Every module reachable from `entry` through static `import … from "./…"`, paths relative to ui/. */
function moduleGraph(entry) {
  const seen = new Set();
  const todo = [entry];
  while (todo.length) {
    const m = todo.pop();
    if (seen.has(m)) continue;
    seen.add(m);
    const src = readFileSync(join(UI, m), "utf8");
    for (const [, spec] of src.matchAll(/^import\s[^;]*?from\s+"(\.[^"]+)"/gms)) {
      todo.push(normalize(join(dirname(m), spec)));
    }
  }
  return seen;
}

test("index.html preloads exactly the modules main.js imports", () => {
  const html = readFileSync(join(UI, "index.html"), "utf8");
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
  assert.equal(new Set(preloaded).size, preloaded.length, "a module is preloaded twice");
  const graph = moduleGraph("main.js");
  graph.delete("main.js");
  assert.ok(graph.size > 10, `the import scan found only ${[...graph]}`);
  assert.deepEqual([...preloaded].sort(), [...graph].sort());
});

test("main.js is the page's one script", () => {
  const html = readFileSync(join(UI, "index.html"), "utf8");
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.deepEqual(scripts, ['<script type="module" src="main.js">']);
});
