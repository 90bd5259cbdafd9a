// Bundles each widget's entry module into one self-contained ES module in
// micrograd_widgets/static/ (no code splitting: anywidget loads _esm as one text).
// js/<part>/index.js becomes static/<part>.js; a part's stylesheet keeps its name.
import * as esbuild from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { once_per_page } from "./once_per_page.mjs";

const ENTRIES = [
  { in: "js/graph/index.js", out: "graph" },
  { in: "js/graph/graph.css", out: "graph" },
  { in: "js/trainer/index.js", out: "trainer" },
  { in: "js/trainer/trainer.css", out: "trainer" },
  // the kernel-free model that save_html inlines beside the graph bundle
  { in: "js/offline/index.js", out: "offline" },
];
const watch = process.argv.includes("--watch");
const WIDGETS = new Set(["graph.js", "trainer.js"]); // what anywidget loads as _esm

/** The widget bundles run once per page (js/once_per_page.mjs says why). */
const once = {
  name: "once-per-page",
  /** @param {import("esbuild").PluginBuild} build */
  setup(build) {
    build.onEnd((result) => {
      for (const file of Object.keys(result.metafile?.outputs || {})) {
        if (!WIDGETS.has(basename(file))) continue;
        writeFileSync(file, once_per_page(readFileSync(file, "utf8"), basename(file, ".js")));
      }
    });
  },
};

/** @type {import("esbuild").BuildOptions} */
const options = {
  entryPoints: ENTRIES,
  outdir: "micrograd_widgets/static",
  bundle: true,
  format: "esm",
  target: "es2020",
  minify: !watch,
  logLevel: "info",
  metafile: true,
  plugins: [once],
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
